// Go commands a RUN runs through make or a script: `RUN make build` whose Makefile target (or a
// prerequisite) runs `go build`, `RUN ./scripts/build.sh` whose script runs `go install`. The
// Makefile or script is read as the build context has it, at the path the Dockerfile's COPYs (or a
// bind mount) put it; a file the image does not get from the context, or a target the reader
// cannot find, yields nothing: the analysis never guesses from the RUN text alone.
import * as posix from 'node:path/posix';
import { isRun, type DockerfileModel, type InstructionModel, type RunInstruction, type Stage } from '../model/model';
import { perOwnedObjectAnd } from '../model/memo';
import { startCommandText } from '../model/startup';
import { joinMapped, parseShell, type ShellCommand } from '../parse/shell';
import { scriptRuns, type Arguments } from '../parse/scriptFlow';
import { branchesRunning, readMakefile, recipeOf, type Makefile, type RecipeLine } from '../parse/makefile';
import { taskStepsOf } from '../parse/taskfile';
import { referencedVariables } from '../parse/expand';
import { normalizeContextPath } from '../model/context';
import { commandDirectory, imageFileFromContext } from './commandmodule';
import { compiles, isQuotedFlagValue, parseGoCommand, readsModules, type GoCommand } from './gocommand';
import { mayRunGoUnseenIn } from './gofacts';
import type { Finding, Range } from '../model/types';

const MAKE = /^g?make$/;

/** A command that runs make (`make`, `gmake`). */
export function runsMake(command: ShellCommand): boolean {
  return MAKE.test(command.words[0]?.value ?? '');
}
const SHELLS = /^(sh|bash|ash|dash|zsh)$/;
const MAKE_VALUE_FLAGS = new Set(['-C', '-f', '--file', '--makefile', '--directory', '-I', '-o', '-W', '-l']);
const MAKEFILE_NAMES = ['GNUmakefile', 'makefile', 'Makefile'];
const TASKFILE_NAMES = ['Taskfile.yml', 'taskfile.yml', 'Taskfile.yaml', 'taskfile.yaml', 'Taskfile.dist.yml', 'taskfile.dist.yml', 'Taskfile.dist.yaml', 'taskfile.dist.yaml'];
const TASK_VALUE_FLAGS = new Set(['-d', '--dir', '-t', '--taskfile', '-o', '--output', '-c', '--color']);
const MAX_DEPTH = 3;
/**
 * Commands known to run no Go: a recipe made only of these and Go commands is read to its end.
 * Anything else (golangci-lint, a code generator, a tool built with Go) may read the modules.
 */
export const PLAIN_UTILITIES: ReadonlySet<string> = new Set([
  'echo', 'printf', 'mkdir', 'cp', 'mv', 'rm', 'ln', 'chmod', 'chown', 'touch', 'install', 'cat', 'ls', 'test', '[', 'true', 'false',
  ':', 'set', 'export', 'unset', 'exit', 'date', 'git', 'tr', 'cut', 'sed', 'grep', 'awk', 'tar', 'gzip', 'strip', 'upx', 'which',
  'file', 'sha256sum', 'basename', 'dirname', 'pwd', 'sleep', 'tee', 'head', 'tail', 'sort', 'wc',
]);

/** Read Makefiles by text: the same file is read for every RUN that calls make. */
const makefiles = new Map<string, Makefile>();
function makefileOf(text: string, taken: ReadonlyMap<number, number> = new Map()): Makefile {
  const key = taken.size === 0 ? text : `${[...taken].join(';')}\0${text}`;
  let read = makefiles.get(key);
  if (!read) {
    if (makefiles.size > 50) makefiles.clear();
    makefiles.set(key, (read = readMakefile(text, taken)));
  }
  return read;
}

/** The Makefile as make reads it for these goals: with the conditional branches they must take (`branchesRunning`). */
function makefileFor(text: string, goals: readonly (string | undefined)[]): Makefile {
  const makefile = makefileOf(text);
  const taken = branchesRunning(makefile, goals);
  return taken ? makefileOf(text, taken) : makefile;
}

/** The commands of shell text, line by line (a recipe line, a script). */
export function shellCommandsOf(text: string): ShellCommand[] {
  return parseShell(joinMapped(text.split('\n').map((line, index) => ({ text: line, start: { line: index, character: 0 } })), '\n'));
}

interface Invocation {
  kind: 'make' | 'script' | 'task';
  /** The image directory make runs in (after -C) or the script's image path. */
  path: string;
  /** The directory the commands start in. */
  cwd: string;
  /** The Makefile or Taskfile named with -f / -t. */
  file?: string;
  targets: string[];
  overrides: Map<string, string>;
  /** A script's arguments (see scriptFlow.ts); undefined for make and task. */
  args?: Arguments;
}

/** How a runner (make, task) reads its command line. */
interface RunnerSyntax {
  kind: 'make' | 'task';
  /** Flags that take the next word as their value. */
  valueFlags: ReadonlySet<string>;
  /** Of the flags with a value (also written `--flag=value`), those naming the directory to start in. */
  dirFlags: ReadonlySet<string>;
  /** …and those naming the Makefile or Taskfile. */
  fileFlags: ReadonlySet<string>;
  /** A flag that also takes its directory attached (`-Cdir`). */
  attachedDirFlag?: string;
  /** What follows this word is the tasks' arguments (CLI_ARGS), not task names. */
  endOfTargets?: string;
  /** Flags with which the runner runs nothing (`task --list`). */
  runsNothing?: RegExp;
}

const MAKE_SYNTAX: RunnerSyntax = {
  kind: 'make',
  valueFlags: MAKE_VALUE_FLAGS,
  dirFlags: new Set(['-C', '--directory']),
  fileFlags: new Set(['-f', '--file', '--makefile']),
  attachedDirFlag: '-C',
};

const TASK_SYNTAX: RunnerSyntax = {
  kind: 'task',
  valueFlags: TASK_VALUE_FLAGS,
  dirFlags: new Set(['-d', '--dir']),
  fileFlags: new Set(['-t', '--taskfile']),
  endOfTargets: '--',
  runsNothing: /^(-l|--list|--list-all|-a|-n|--dry|--summary|-i|--init|--version|-h|--help|--status)$/,
};

/** The directory, file, targets and variable overrides of a make or task command line; undefined where a word is only known at build time. */
function runnerInvocation(syntax: RunnerSyntax, words: readonly string[], dir: string): Invocation | undefined {
  let path = dir;
  let file: string | undefined;
  const targets: string[] = [];
  const overrides = new Map<string, string>();
  const setting = (flag: string, value: string) => {
    if (syntax.dirFlags.has(flag)) path = posix.resolve(path, value);
    else if (syntax.fileFlags.has(flag)) file = posix.resolve(path, value);
  };
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (word === syntax.endOfTargets) break;
    if (syntax.valueFlags.has(word)) {
      const value = words[++i];
      if (value === undefined || value.includes('$')) return undefined;
      setting(word, value);
    } else if (syntax.attachedDirFlag && word.length > syntax.attachedDirFlag.length && word.startsWith(syntax.attachedDirFlag)) {
      path = posix.resolve(path, word.slice(syntax.attachedDirFlag.length));
    } else if (word.startsWith('--') && word.includes('=')) {
      setting(word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1));
    } else if (word.startsWith('-')) {
      if (syntax.runsNothing?.test(word)) return undefined;
    } else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) overrides.set(word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1));
    else if (word.includes('$')) return undefined;
    else targets.push(word);
  }
  return { kind: syntax.kind, path, cwd: path, file, targets, overrides };
}

/** What a shell command runs, when it is make, task or a script file; relative paths against `dir`. */
function invocationOf(command: ShellCommand, dir: string): Invocation | undefined {
  const words = command.words.map((w) => w.value);
  const name = words[0] ?? '';
  if (MAKE.test(name)) return runnerInvocation(MAKE_SYNTAX, words, dir);
  if (name === 'task') return runnerInvocation(TASK_SYNTAX, words, dir);
  let script: number | undefined;
  if (SHELLS.test(posix.basename(name))) {
    const file = words[1];
    if (file !== undefined && !file.startsWith('-') && /\.(sh|bash)$|\//.test(file)) script = 1;
  } else if (/\.(sh|bash)$/.test(name) || name.startsWith('./') || (name.startsWith('/') && name.includes('/scripts/'))) {
    script = 0;
  }
  if (script === undefined || words[script].includes('$')) return undefined;
  const args = words.slice(script + 1).map((w) => (/[$`*?[]/.test(w) ? undefined : w));
  return { kind: 'script', path: posix.resolve(dir, words[script]), cwd: dir, targets: [], overrides: new Map(), args };
}

interface Found {
  go: GoCommand;
  file: string;
  /** Zero-based line in the file. */
  line: number;
  /** The image directory the Go command runs in. */
  dir: string;
  complete: boolean;
  flagsKnown: boolean;
  /** Variables of the RUN's environment the file passes to the Go command. */
  environment: string[];
}

/** The build-context file at an image path when the RUN runs: a bind mount of the context, else the COPYs. */
function contextFileAt(model: DockerfileModel, run: InstructionModel, imagePath: string): string | undefined {
  const context = model.context;
  if (!context?.root) return undefined;
  for (const mount of isRun(run) ? run.mounts : []) {
    if (mount.type !== 'bind' || mount.from || !mount.targetResolved) continue;
    const target = mount.targetResolved;
    if (imagePath !== target && !imagePath.startsWith(`${target}/`)) continue;
    const candidate = normalizeContextPath(posix.join(mount.source ?? '.', imagePath.slice(target.length)));
    return context.exists(candidate) && !model.dockerignore.ignores(candidate) ? candidate : undefined;
  }
  return imageFileFromContext(model, run, imagePath);
}

interface Reading {
  found: Found[];
  /** Every command was followed: none may run Go the reader did not see. */
  whole: boolean;
}

/** Go commands of shell text read from `file`, with `cd` followed from `dir`; make and scripts through `recurse`. */
function goCommandsOfShell(text: string, file: string, firstLine: number, dir: string, complete: boolean, recurse: (command: ShellCommand, dir: string) => Reading | undefined, makeEnvironment: readonly string[] = [], runs?: (offset: number) => boolean): Reading {
  const found: Found[] = [];
  let whole = true;
  let cwd: string | undefined = dir;
  const lineStarts = runs ? [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)] : [];
  for (const command of shellCommandsOf(text)) {
    if (runs && !runs(lineStarts[command.range.start.line] + command.range.start.character)) continue;
    // Assignments alone (`COMMIT=$(git rev-parse HEAD)`) run nothing: their substitutions are commands of their own.
    if (command.words.length === 0) continue;
    const name = command.words[0].value;
    if (name === 'cd') {
      const target = command.words[1]?.value;
      cwd = target === undefined || /[$`*?~]/.test(target) || cwd === undefined ? undefined : posix.resolve(cwd, target);
      continue;
    }
    if (cwd === undefined || name.includes('$')) { whole = false; continue; }
    const go = parseGoCommand(command);
    if (go) {
      // What the shell expands on the line (`$VERSION`) comes from the environment too.
      const environment = [...new Set([...makeEnvironment, ...[...command.assignments, ...command.words].flatMap((w) => referencedVariables(w.raw))])];
      // Every value the file does not define leaves a `$` in the words (make keeps `$(NAME)` as written).
      const unknown = command.words.flatMap((w, i) => (w.value.includes('$') ? [i] : []));
      found.push({ go, file, line: firstLine + command.range.start.line, dir: cwd, complete: complete && unknown.length === 0, flagsKnown: unknown.every((i) => isQuotedFlagValue(command.words, i)), environment });
      continue;
    }
    const inner = recurse(command, cwd);
    if (inner) {
      found.push(...inner.found);
      whole &&= inner.whole;
    } else if (mayRunGoUnseenIn(command) || !PLAIN_UTILITIES.has(posix.basename(name))) whole = false;
  }
  return { found, whole };
}

function runsOf(model: DockerfileModel, run: InstructionModel, invocation: Invocation, depth: number): Reading | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const recurse = (command: ShellCommand, dir: string) => {
    const inner = invocationOf(command, dir);
    return inner ? runsOf(model, run, inner, depth + 1) : undefined;
  };
  if (invocation.kind === 'script') {
    const file = contextFileAt(model, run, invocation.path);
    const text = file === undefined ? undefined : model.context?.readText(file);
    if (file === undefined || text === undefined) return undefined;
    // A script runs in the directory it is called from; a `cd` inside it is followed, and only the
    // branches its arguments take.
    return goCommandsOfShell(text, file, 0, invocation.cwd, true, recurse, [], scriptRuns(text, invocation.args));
  }
  if (invocation.kind === 'task') return taskRuns(model, run, invocation, recurse);
  const recipe = makeRecipe(model, run, invocation);
  if (!recipe) return undefined;
  const reading: Reading = { found: [], whole: true };
  for (const line of recipe.lines) {
    const inner = goCommandsOfShell(line.text, recipe.file, line.line, invocation.path, line.complete, recurse, line.environment);
    reading.found.push(...inner.found);
    reading.whole &&= inner.whole;
  }
  return reading;
}

/**
 * The recipe lines a make invocation runs (its targets or the default goal, prerequisites first),
 * from the Makefile the image has where make looks for it, with that file's context path.
 * undefined when there is no such file, or a target the reader cannot find (a pattern rule, one
 * inside a conditional): then nothing is said about what make runs.
 */
function makeRecipe(model: DockerfileModel, run: InstructionModel, invocation: Invocation): MakeRecipe | undefined {
  const candidates = invocation.file ? [invocation.file] : MAKEFILE_NAMES.map((n) => posix.join(invocation.path, n));
  for (const imagePath of candidates) {
    const file = contextFileAt(model, run, imagePath);
    const text = file === undefined ? undefined : model.context?.readText(file);
    if (file === undefined || text === undefined) continue;
    const targets = invocation.targets.length > 0 ? invocation.targets : [undefined];
    const makefile = makefileFor(text, targets);
    const lines: RecipeLine[] = [];
    for (const target of targets) {
      const recipe = recipeOf(makefile, target, invocation.overrides);
      if (recipe === undefined) return undefined;
      lines.push(...recipe);
    }
    return { file, lines, makefile, targets, overrides: invocation.overrides };
  }
  return undefined;
}

/** What a make invocation runs: its recipe lines, the Makefile and its context path, the goals and the `make NAME=…` arguments. */
export interface MakeRecipe {
  file: string;
  lines: RecipeLine[];
  makefile: Makefile;
  /** undefined for the default goal. */
  targets: (string | undefined)[];
  overrides: ReadonlyMap<string, string>;
}

/**
 * What a `make` command of a RUN runs, read as for its Go commands; undefined for another command
 * or what cannot be read. Remembered: GD013 asks whether it reads git, then which ARGs replace git.
 */
export const makeRecipeOf = perOwnedObjectAnd((model: DockerfileModel, run: RunInstruction, command: ShellCommand): MakeRecipe | undefined => {
  if (!runsMake(command)) return undefined;
  const dir = commandDirectory(run, { command, flags: new Map() });
  const invocation = dir === undefined ? undefined : invocationOf(command, dir);
  return invocation?.kind === 'make' ? makeRecipe(model, run, invocation) : undefined;
});

function taskRuns(model: DockerfileModel, run: InstructionModel, invocation: Invocation, recurse: (command: ShellCommand, dir: string) => Reading | undefined): Reading | undefined {
  const candidates = invocation.file ? [invocation.file] : TASKFILE_NAMES.map((n) => posix.join(invocation.path, n));
  for (const imagePath of candidates) {
    const file = contextFileAt(model, run, imagePath);
    const text = file === undefined ? undefined : model.context?.readText(file);
    if (file === undefined || text === undefined) continue;
    const reading: Reading = { found: [], whole: true };
    // Tasks run in the Taskfile's directory (or their own `dir:` under it).
    const base = posix.dirname(imagePath);
    for (const target of invocation.targets.length > 0 ? invocation.targets : [undefined]) {
      const steps = taskStepsOf(text, target, invocation.overrides);
      if (steps === undefined) return undefined;
      for (const step of steps) {
        if (step.dir !== undefined && /[{$]/.test(step.dir)) { reading.whole = false; continue; }
        const dir = step.dir === undefined ? base : posix.resolve(base, step.dir);
        const inner = goCommandsOfShell(step.text, file, step.line, dir, step.complete, recurse);
        reading.found.push(...inner.found);
        reading.whole &&= inner.whole;
      }
    }
    return reading;
  }
  return undefined;
}

/** The derived command, every range on the host command of the Dockerfile. */
function onHost(found: Found, host: ShellCommand, hostDir: string): GoCommand {
  const range: Range = host.range;
  const { go } = found;
  const flags = new Map([...go.flags].map(([name, flag]) => [name, { value: flag.value, range }]));
  const ownChdir = go.flags.get('C')?.value;
  const dir = ownChdir !== undefined ? posix.resolve(found.dir, ownChdir) : found.dir;
  if (dir !== hostDir) flags.set('C', { value: dir, range });
  const text = [...go.command.assignments, ...go.command.words].map((w) => w.raw).join(' ');
  return {
    subcommand: go.subcommand,
    range,
    nameRange: range,
    flags,
    output: go.output,
    // make and scripts pass their environment on: `CGO_ENABLED=0 make` reaches the Go command.
    inlineEnv: new Map([...host.assignments.flatMap((w): [string, string][] => (w.value.includes('=') ? [[w.value.slice(0, w.value.indexOf('=')), w.value.slice(w.value.indexOf('=') + 1)]] : [])), ...go.inlineEnv]),
    args: go.args.map((w) => ({ value: w.value, raw: w.raw, range })),
    command: host,
    via: {
      host: host.words.map((w) => w.raw).join(' '),
      text: text.length > 80 ? `${text.slice(0, 77)}...` : text,
      file: found.file,
      line: found.line + 1,
      complete: found.complete,
      flagsKnown: found.flagsKnown,
      environment: found.environment,
    },
  };
}

/**
 * Adds to each RUN's Go commands (of the RUNs `read` accepts) those it runs through make, task or
 * a script, in the order the shell runs them. Called once the model is complete (the COPYs of
 * every stage are known).
 */
export function addDelegatedGoCommands(model: DockerfileModel, read: (run: RunInstruction) => boolean = () => true): void {
  if (!model.context?.root) return;
  for (const run of model.runs) {
    if (run.execForm || run.heredoc || !read(run)) continue;
    if (!run.commands.some((c) => runsMake(c) || c.words[0]?.value === 'task' || /\.(sh|bash)$|^\.\//.test(c.words[0]?.value ?? '') || (SHELLS.test(c.words[0]?.value ?? '') && c.words[1] !== undefined))) continue;
    const merged: GoCommand[] = [];
    let added = false;
    for (const command of run.commands) {
      const direct = run.go.filter((g) => g.command === command);
      merged.push(...direct);
      if (direct.length > 0) continue;
      const hostDir = commandDirectory(run, { command, flags: new Map() });
      if (hostDir === undefined) continue;
      const invocation = invocationOf(command, hostDir);
      if (!invocation) continue;
      const reading = runsOf(model, run, invocation, 0);
      if (!reading) continue;
      if (reading.whole) (run.readThrough ??= new Set()).add(command);
      const derived = reading.found.map((f) => onHost(f, command, hostDir));
      if (derived.length > 0) added = true;
      merged.push(...derived);
    }
    if (added) run.go = merged;
  }
}

/**
 * The Go commands a container started from the stage's image runs (its ENTRYPOINT and CMD),
 * directly or through make, a script or task read as for a RUN. undefined when it may run Go the
 * reader cannot see: a script or Makefile the image does not get from the context, a target it
 * cannot find. A program that is no script (the binary the build made) runs no Go.
 */
export function goCommandsAtStart(model: DockerfileModel, stage: Stage): GoCommand[] | undefined {
  const start = startCommandText(stage);
  if (!start) return [];
  const found: GoCommand[] = [];
  for (const command of shellCommandsOf(start.text)) {
    const go = parseGoCommand(command);
    if (go) { found.push(go); continue; }
    const invocation = invocationOf(command, stage.endWorkdir);
    if (!invocation) continue;
    const reading = runsOf(model, start.instruction, invocation, 0);
    if (!reading) {
      const name = command.words[0]?.value ?? '';
      if (invocation.kind === 'script' && !/\.(sh|bash)$/.test(invocation.path) && !SHELLS.test(posix.basename(name))) continue;
      return undefined;
    }
    if (!reading.whole) return undefined;
    found.push(...reading.found.map((f) => f.go));
  }
  return found;
}

/** Rules whose finding rests on the Go command's flags or arguments. */
const FLAG_RULES = new Set(['GD009', 'GD010', 'GD016', 'GD017', 'GD025']);
/** …and of those, the ones that read a flag's value too (GD010: `-ldflags` may link statically). */
const FLAG_VALUE_RULES = new Set(['GD010']);

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * Findings about a Go command run through make or a script, made true to what the user sees:
 * the message says which file and line runs it; a fix that would rewrite the `make` command as if
 * it were the Go command is dropped (the Go command lives in the Makefile); and where the line
 * uses values the file does not define, findings about its flags are not made at all.
 */
export function explainDelegatedFindings(model: DockerfileModel, findings: Finding[]): Finding[] {
  const delegated = model.runs.flatMap((run) => run.go.filter((g) => g.via !== undefined));
  if (delegated.length === 0) return findings;
  const out: Finding[] = [];
  for (const finding of findings) {
    const places = [finding.range, ...(finding.related ?? []).map((r) => r.range)];
    const onThisHost = delegated.filter((g) => places.some((p) => overlaps(p, g.command.range)));
    // Several Go commands behind one `make`: the one the message names (`go build`), else the
    // first that builds or reads modules (what findings are about, not a `go version`), else the first.
    const go = onThisHost.find((g) => finding.message.includes(`\`go ${g.subcommand}`)) ?? onThisHost.find((g) => compiles(g) || readsModules(g)) ?? onThisHost[0];
    if (!go?.via) { out.push(finding); continue; }
    if (FLAG_RULES.has(finding.rule) && !(FLAG_VALUE_RULES.has(finding.rule) ? go.via.complete : go.via.flagsKnown)) continue;
    const fixes = finding.fixes.filter((fix) => !fix.edits.some((edit) => overlaps(edit.range, go.command.range)));
    const origin = `\`${go.via.host}\` runs \`${go.via.text}\` (${go.via.file}:${go.via.line})`;
    out.push({ ...finding, message: `${finding.message} ${origin}.`, fixes });
  }
  return out;
}
