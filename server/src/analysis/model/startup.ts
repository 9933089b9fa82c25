// What an image starts: the program of its ENTRYPOINT, else of its CMD, as the stages it is built
// from set them (the last one written wins, as in the image config).
import * as posix from 'node:path/posix';
import type { InstructionModel, Stage } from './model';
import { writtenJsonStrings } from '../parse/written';

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

/**
 * A scratch image whose stages set no ENTRYPOINT or CMD: it has no program to start, only files,
 * like the `binaries` stage a build exports with `--output type=local`.
 */
export function holdsFilesOnly(stage: Stage): boolean {
  return stage.facts.family === 'scratch' && imageStart(stage) === undefined;
}

/** The instruction that decides what the image runs: its last ENTRYPOINT, else its last CMD; undefined when the stages set neither. */
export function imageStart(stage: Stage): InstructionModel | undefined {
  const instructions = stage.chain.flatMap((s) => s.instructions);
  return instructions.filter((i) => i.keyword === 'ENTRYPOINT').pop() ?? instructions.filter((i) => i.keyword === 'CMD').pop();
}

/** A word as the shell reads it back: single-quoted unless it is plain. */
function shellQuoted(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, '\'\\\'\'')}'`;
}

/** The exec form's words; undefined for the shell form. */
function execWords(instruction: InstructionModel): string[] | undefined {
  return writtenJsonStrings(instruction.node)?.map((s) => s.value);
}

/** The shell form's text. */
function shellText(instruction: InstructionModel): string {
  return (instruction.node.getArgumentsContent() ?? '').trim();
}

/** Launchers that run the command after a fixed number of their own arguments (`su-exec app cmd…`). */
const FIXED_ARGUMENT_LAUNCHERS: ReadonlyMap<string, number> = new Map([['su-exec', 1], ['gosu', 1]]);
/** Launchers that run the command after their options (`tini -- cmd…`, `env A=1 cmd…`). */
const OPTION_LAUNCHERS = new Set(['tini', 'dumb-init', 'env', 'nice', 'nohup', 'exec']);

/** The command an init or user-switching launcher starts: `/sbin/tini -- go run .` → `go run .`. */
function withoutLaunchers(words: readonly string[]): string[] {
  let rest = [...words];
  for (let depth = 0; depth < 3 && rest.length > 0; depth++) {
    const name = posix.basename(rest[0]);
    const fixed = FIXED_ARGUMENT_LAUNCHERS.get(name);
    if (fixed !== undefined) { rest = rest.slice(1 + fixed); continue; }
    if (!OPTION_LAUNCHERS.has(name)) break;
    let next = 1;
    while (next < rest.length && (rest[next].startsWith('-') || (name === 'env' && rest[next].includes('=')))) {
      if (rest[next++] === '--') break;
    }
    rest = rest.slice(next);
  }
  return rest;
}

/**
 * What a container started from the stage runs, as shell text (`sh -c '…'` is read by the shell
 * parser like any command; an init or user-switching launcher such as tini or su-exec is looked
 * through), with the instruction that sets it. An exec-form ENTRYPOINT gets the CMD as arguments
 * when that CMD is set in the same stage or after it; a shell-form ENTRYPOINT ignores the CMD.
 * undefined when the stages set neither.
 */
export function startCommandText(stage: Stage): { instruction: InstructionModel; text: string } | undefined {
  const instructions = stage.chain.flatMap((s) => s.instructions);
  const entrypoint = instructions.filter((i) => i.keyword === 'ENTRYPOINT').pop();
  const cmd = instructions.filter((i) => i.keyword === 'CMD').pop();
  const start = entrypoint ?? cmd;
  if (!start) return undefined;
  const startWords = execWords(start);
  if (!startWords) return { instruction: start, text: shellText(start) };
  const cmdApplies = entrypoint !== undefined && cmd !== undefined && (cmd.stage === entrypoint.stage || instructions.indexOf(cmd) > instructions.indexOf(entrypoint));
  // A shell-form CMD reaches an exec-form ENTRYPOINT as `/bin/sh -c '<text>'`.
  const cmdWords = cmdApplies ? execWords(cmd) ?? ['/bin/sh', '-c', shellText(cmd)] : [];
  return { instruction: start, text: withoutLaunchers([...startWords, ...cmdWords]).map(shellQuoted).join(' ') };
}
