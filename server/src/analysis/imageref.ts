// A stage's base image as BuildKit will pull it: the FROM reference with the global ARGs
// (those before the first FROM) substituted, split into name, tag and digest.
import { expandVariables, referencedVariables } from './expand';
import { splitImageReference } from './images';
import { perObject } from './memo';
import { isArg, type DockerfileModel, type Stage } from './model';

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
  return { reference, ...splitImageReference(reference) };
}

/** The image a stage ultimately starts from (through FROM <stage>), for messages. */
export function baseImageName(model: DockerfileModel, stage: Stage): string {
  let root = stage;
  for (const seen = new Set<Stage>(); root.image.stage && !seen.has(root); seen.add(root)) root = root.image.stage;
  return resolvedImage(model, root)?.reference ?? root.image.raw;
}
