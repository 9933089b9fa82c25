// A stage's base image as BuildKit will pull it: the FROM reference with the global ARGs
// (those before the first FROM) substituted, split into name, tag and digest.
import { expandVariables, referencedVariables } from '../parse/expand';
import { splitImageReference } from './images';
import { perObject } from './memo';
import { isArg, type DockerfileModel, type Stage } from './model';
import type { Range } from './types';

export interface ResolvedImage {
  /** The whole reference after substitution: `golang:1.22-alpine`. */
  reference: string;
  name: string;
  tag?: string;
  digest?: string;
}

/** Global ARG defaults; undefined for an ARG whose value is only given at build time. */
const globalArgs = perObject((model: DockerfileModel): ReadonlyMap<string, string | undefined> => {
  const args = new Map<string, string | undefined>();
  for (const instruction of model.instructions) {
    if (isArg(instruction) && !instruction.stage && instruction.name) args.set(instruction.name, instruction.defaultValue);
  }
  return args;
});

/** The stage's FROM image resolved, or undefined when it uses an ARG without a default value. */
export function resolvedImage(model: DockerfileModel, stage: Stage): ResolvedImage | undefined {
  const raw = stage.image.raw;
  const args = globalArgs(model);
  if (referencedVariables(raw).some((name) => args.get(name) === undefined)) return undefined;
  const reference = expandVariables(raw, (name) => args.get(name), model.escape);
  // A form the analysis does not evaluate (`${VAR/arm\/v7/arm-7}`) is left as written: unknown too.
  if (reference.includes('$')) return undefined;
  return { reference, ...splitImageReference(reference) };
}

/** The image a stage ultimately starts from (through FROM <stage>), for messages. */
export function baseImageName(model: DockerfileModel, stage: Stage): string {
  let root = stage;
  for (const seen = new Set<Stage>(); root.image.stage && !seen.has(root); seen.add(root)) root = root.image.stage;
  return resolvedImage(model, root)?.reference ?? root.image.raw;
}

/**
 * Where the tag of a stage's FROM image is written, as `From.getImageTagRange()` finds it. That
 * reads the line again and steps over variables; an image written without `$` has none, and then
 * the tag follows the last `:` after the last `/` (before an `@digest`).
 */
/**
 * dockerfile-ast's own answer for a FROM it cannot read plainly: it looks at the instruction's
 * text only, so it is kept per instruction, which the parser reuses while its line is unchanged.
 */
const writtenTagRange = perObject((from: Stage['from']): Range | undefined => from.getImageTagRange() ?? undefined);

export function imageTagRange(model: DockerfileModel, stage: Stage): Range | undefined {
  const range = stage.image.range;
  const written = model.document.getText(range);
  if (stage.image.raw === '' || written.includes('$')) return writtenTagRange(stage.from);
  const start = model.document.offsetAt(range.start);
  const at = (offset: number) => model.document.positionAt(start + offset);
  const digestAt = written.indexOf('@');
  const slashAt = written.indexOf('/');
  if (digestAt === -1) {
    const colonAt = written.lastIndexOf(':');
    if (colonAt > slashAt) return { start: at(colonAt + 1), end: { line: range.end.line, character: range.end.character } };
  }
  const beforeDigest = written.substring(0, digestAt);
  const colonAt = beforeDigest.indexOf(':');
  if (colonAt === -1 || (slashAt !== -1 && colonAt < slashAt)) return undefined;
  return { start: at(colonAt + 1), end: at(digestAt) };
}
