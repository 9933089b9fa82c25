// What a step's layer cache depends on (BuildKit reruns it when any of these change) and which
// steps rebuild after it.
import { stageChain } from '../../analysis/cache/artifacts';
import { isCopy, isRun, type DockerfileModel, type InstructionModel, type Stage } from '../../analysis/model/model';
import { shownVariables } from '../../analysis/model/scope';
import { code, lineRef, plural } from './markdown';

function instructionText(model: DockerfileModel, instruction: InstructionModel): string {
  const text = model.document.getText(instruction.range).split(/\r?\n/)[0].trim();
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function baseImageInput(stage: Stage): string {
  const root = stageChain(stage)[0];
  return `the base image ${code(root.image.raw || 'scratch')} (${lineRef(root.fromRange.start.line)}): a new image behind the tag reruns every step`;
}

/** Bullet lines: what must stay the same for BuildKit to reuse the cached result of `instruction`. */
export function cacheInputs(model: DockerfileModel, instruction: InstructionModel): string[] {
  const stage = instruction.stage;
  if (!stage) return [];
  const inputs = [`the text of this step (${lineRef(instruction.range.start.line)})`];
  const earlier = stageChain(stage).flatMap((s) => s.instructions).filter((i) => i.position < instruction.position);
  for (const copy of earlier.filter(isCopy)) {
    const what = copy.from ? `the files it takes from stage ${code(copy.from.value)}` : copy.heredoc ? 'its inline text' : 'the build-context files it reads';
    inputs.push(`${code(instructionText(model, copy))} (${lineRef(copy.range.start.line)}): ${what}`);
  }
  const args = shownVariables(instruction.env).filter(([, v]) => v.isArg && v.origin.line !== undefined);
  if (args.length > 0) {
    inputs.push(`the values of the build args in scope: ${args.map(([name, v]) => `${code(name)} (${lineRef(v.origin.line!)})`).join(', ')}`);
  }
  if (isRun(instruction)) {
    for (const mount of instruction.mounts.filter((m) => m.type === 'bind')) {
      inputs.push(`the files bind-mounted at ${code(mount.target ?? '?')} from ${mount.from ? `stage ${code(mount.from)}` : 'the build context'}`);
    }
  }
  inputs.push(baseImageInput(stage));
  return inputs;
}

/** "the 2 steps after it in stage `build` (lines 4–5)", or undefined for the last step of a stage. */
export function laterSteps(instruction: InstructionModel): string | undefined {
  const stage = instruction.stage;
  if (!stage) return undefined;
  const later = stage.instructions.filter((i) => i.position > instruction.position);
  if (later.length === 0) return undefined;
  const first = later[0].range.start.line;
  const last = later[later.length - 1].range.end.line;
  const lines = first === last ? lineRef(first) : `lines ${first + 1}–${last + 1}`;
  const name = stage.name ? ` ${code(stage.name)}` : ` ${stage.index}`;
  return `${later.length === 1 ? 'the step' : `the ${plural(later.length, 'step')}`} after it in stage${name} (${lines})`;
}
