// What an image starts: the program of its ENTRYPOINT, else of its CMD, as the stages it is built
// from set them (the last one written wins, as in the image config).
import * as posix from 'node:path/posix';
import type { InstructionModel, Stage } from './model';

/** The program a CMD or ENTRYPOINT starts, as written: the first word of its exec form or shell form. */
export function startedPath(instruction: InstructionModel): string | undefined {
  const args = instruction.node.getArguments().map((a) => a.getValue().replace(/^\[?\s*"?|"?\s*,?\s*\]?$/g, ''));
  return args.find((a) => a !== '');
}

/** The program's file name (`/app/server` → `server`). */
export function startedProgram(instruction: InstructionModel): string | undefined {
  const path = startedPath(instruction);
  return path === undefined ? undefined : posix.basename(path);
}

/** The instruction that decides what the image runs: its last ENTRYPOINT, else its last CMD; undefined when the stages set neither. */
export function imageStart(stage: Stage): InstructionModel | undefined {
  const instructions = stage.chain.flatMap((s) => s.instructions);
  return instructions.filter((i) => i.keyword === 'ENTRYPOINT').pop() ?? instructions.filter((i) => i.keyword === 'CMD').pop();
}
