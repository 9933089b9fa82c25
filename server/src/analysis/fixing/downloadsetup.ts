// What a module download moved above the source COPY must take with it: it has to run with
// everything it ran with before. The WORKDIR (Go finds go.mod from there), the USER (its HOME and
// cache directories), the ENV and ARG values Go or git read (GOPROXY, GOPRIVATE, GOFLAGS, a token
// an `insteadOf` uses), and the steps that set up access to private modules (`git config`, a
// .netrc, `go env -w`, installing git). Those move up with it; when one cannot move without
// changing another step, there is no safe fix and the caller offers none.
import type { GoCommand } from '../go/gocommand';
import { readsModules, compiles } from '../go/gocommand';
import { referencedVariables } from '../parse/expand';
import type { ShellCommand } from '../parse/shell';
import { isArg, isCopy, isEnv, isRun, type DockerfileModel, type InstructionModel, type RunInstruction, type Stage } from '../model/model';

/** Variables Go, git, ssh or an HTTP client read while downloading modules (not the build's: GOCACHE, CGO_ENABLED, GOOS…). */
const DOWNLOAD_VARIABLE = /^(GO(PROXY|PRIVATE|NOSUMDB|NOPROXY|NOSUMCHECK|SUMDB|INSECURE|FLAGS|PATH|MODCACHE|WORK|TOOLCHAIN|ENV|AUTH)|HOME|XDG_CONFIG_HOME|PATH|GIT_\w+|SSH_\w+|NETRC|[A-Z_]*TOKEN[A-Z_]*|[A-Z_]*PASSWORD|[A-Z_]*USER(NAME)?|https?_proxy|no_proxy|all_proxy|HTTPS?_PROXY|NO_PROXY|ALL_PROXY)$/;

/** Files that give git, ssh or Go access to private modules. */
const ACCESS_FILE = /(netrc|\.ssh|gitconfig|git-credentials|\.config\/go)/;

/**
 * A command that sets up what a download needs: git configuration, `go env -w`, ssh host keys,
 * packages (git, CA certificates), a .netrc or ssh key written out.
 */
function setsUpAccess(command: ShellCommand): boolean {
  const name = command.words[0]?.value ?? '';
  const sub = command.words[1]?.value ?? '';
  switch (name) {
    case 'git': return sub === 'config';
    case 'go': return sub === 'env' && command.words.some((w) => w.value === '-w');
    case 'ssh-keyscan': case 'update-ca-certificates': case 'apk': case 'apt-get': case 'apt': case 'yum': case 'dnf': case 'microdnf':
      return true;
    case 'echo': case 'printf': case 'cat': case 'mkdir': case 'chmod': case 'chown': case 'touch': case 'cp': case 'ln':
      return command.words.some((w) => ACCESS_FILE.test(w.value));
    default:
      return false;
  }
}

/** A command whose effect the download neither needs nor changes (a message, a marker file). */
function harmless(command: ShellCommand): boolean {
  if (command.words.length === 0) return command.assignments.length > 0;
  const name = command.words[0].value;
  // Reading a secret mount (`$(cat /run/secrets/token)` inside a git config) only feeds the command around it.
  if (name === 'cat') return command.words.length > 1 && command.words.slice(1).every((w) => w.value.startsWith('/run/secrets/'));
  return ['true', 'echo', 'printf', 'mkdir', 'chmod', 'chown', 'touch', ':'].includes(name);
}

/** The shell state later commands of the RUN run with: the directory, exported variables, options. */
function setsShellState(command: ShellCommand): boolean {
  return ['cd', 'export', 'set'].includes(command.words[0]?.value ?? '');
}

/** A RUN of access setup only (and harmless commands): it reads nothing the source COPY brings. */
function onlySetup(run: RunInstruction): boolean {
  return !run.execForm && run.commands.some(setsUpAccess) && run.commands.every((c) => setsUpAccess(c) || harmless(c) || setsShellState(c));
}

/** Text a step writes variables into: what a moved ENV or ARG changes for it. */
function mentions(model: DockerfileModel, instruction: InstructionModel, names: Set<string>): boolean {
  const text = model.document.getText(instruction.range);
  return referencedVariables(text).some((n) => names.has(n));
}

function declared(instruction: InstructionModel): string[] {
  if (isEnv(instruction)) return instruction.vars.map((v) => v.name);
  if (isArg(instruction)) return instruction.vars.map((v) => v.name);
  return [];
}

/** Whether a COPY writes credentials or configuration the download reads (a .netrc, ssh keys, git config, CA certificates). */
function copiesAccessFiles(instruction: InstructionModel): boolean {
  if (!isCopy(instruction)) return false;
  const dest = instruction.destResolved ?? '';
  return instruction.sources.every((s) => s.kind === 'other') && /(netrc|\.ssh|gitconfig|\.config\/go|\/etc\/ssl|ca-certificates|\.git-credentials)/.test(`${dest} ${instruction.sources.map((s) => s.value).join(' ')}`);
}

export interface DownloadSetup {
  /** Instructions between the source COPY and the download to move above the source COPY, in order. */
  moved: InstructionModel[];
  /** Commands before the Go command in its RUN that a new download RUN repeats (`cd`, `git config`…), as written. */
  prefix: string[];
  /** Whether one of them is a `cd`: the directory it names may not exist yet where the new RUN goes. */
  changesDirectory: boolean;
}

/**
 * What goes above `anchor` with a download that today runs at `target` (the RUN of `go`), or
 * undefined when something it needs cannot move there without changing another step.
 */
export function downloadSetup(model: DockerfileModel, stage: Stage, anchor: InstructionModel, target: RunInstruction, go: GoCommand, movesTarget: boolean): DownloadSetup | undefined {
  const all = stage.instructions;
  const between = all.slice(all.indexOf(anchor) + 1, all.indexOf(target));
  const moved = new Set<InstructionModel>();
  const needed = new Set<string>();
  // Commands before the Go command in its own RUN run before it: a new download RUN repeats them.
  const prefix: string[] = [];
  let changesDirectory = false;
  if (!movesTarget) {
    for (const command of target.commands) {
      if (command === go.command) break;
      if (setsUpAccess(command) || setsShellState(command)) prefix.push(model.document.getText({ start: command.range.start, end: command.range.end }));
      else if (!harmless(command)) return undefined;
      changesDirectory ||= command.words[0]?.value === 'cd';
    }
  }
  // Variables the download reads as written: the whole RUN when it moves; else what the new RUN repeats of it.
  const downloadText = movesTarget ? model.document.getText(target.range) : [...prefix, ...downloadInlineEnv(go), ...accessMounts(model, target)].join(' ');
  for (const name of referencedVariables(downloadText)) needed.add(name);
  for (const instruction of between) {
    // A new download runs as the source COPY's user (the owner its cache mount gets is worked out
    // for that user); a moved one keeps the user it ran as.
    if (instruction.keyword === 'WORKDIR' || (instruction.keyword === 'USER' && movesTarget)) moved.add(instruction);
    else if ((isEnv(instruction) || isArg(instruction)) && declared(instruction).some((n) => DOWNLOAD_VARIABLE.test(n))) moved.add(instruction);
    else if (isRun(instruction) && onlySetup(instruction) && !instruction.go.some((g) => readsModules(g) || compiles(g))) moved.add(instruction);
    else if (copiesAccessFiles(instruction)) moved.add(instruction);
  }
  // What moves takes the variables it reads along: `ENV GOPRIVATE=$PRIVATE` needs `ARG PRIVATE`.
  for (const instruction of moved) for (const name of referencedVariables(model.document.getText(instruction.range))) needed.add(name);
  for (let i = between.length - 1; i >= 0; i--) {
    const instruction = between[i];
    if (moved.has(instruction) || !declared(instruction).some((n) => needed.has(n))) continue;
    moved.add(instruction);
    for (const name of referencedVariables(model.document.getText(instruction.range))) needed.add(name);
  }
  // Whatever moves jumps over the source COPY and the steps that stay: none of them may see a
  // difference. A RUN would run in another directory, as another user, with other variables; a
  // COPY to a relative destination would land elsewhere.
  const stays = [anchor, ...between.filter((i) => !moved.has(i))];
  const movedList = between.filter((i) => moved.has(i));
  for (const instruction of movedList) {
    const jumped = stays.filter((s) => s.position < instruction.position);
    const names = new Set(declared(instruction));
    for (const other of jumped) {
      if (isRun(other)) return undefined;
      if (isRun(instruction) && other.keyword === 'USER') return undefined;
      if (instruction.keyword === 'WORKDIR' && isCopy(other) && !/^[/$]/.test(other.dest?.value ?? '/')) return undefined;
      if (names.size > 0 && mentions(model, other, names)) return undefined;
      if (isRun(instruction) && (isEnv(other) || isArg(other)) && mentions(model, instruction, new Set(declared(other)))) return undefined;
    }
  }
  return { moved: movedList, prefix, changesDirectory };
}

/** Names of the variables set inline on a Go command that change what a download fetches, with their text as written. */
export function downloadInlineEnv(go: GoCommand): string[] {
  const out: string[] = [];
  for (const word of [...go.command.assignments, ...go.command.words]) {
    const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(word.raw)?.[1];
    if (name && /^(GO(PRIVATE|NOSUMDB|NOSUMCHECK|NOPROXY|PROXY|FLAGS|INSECURE|WORK|TOOLCHAIN|SUMDB|PATH|MODCACHE)|HOME|GIT_\w+)$/.test(name)) out.push(word.raw);
  }
  return out;
}

/** The secret and ssh mounts of a RUN, as written: a download that ran with them needs them again. */
export function accessMounts(model: DockerfileModel, run: RunInstruction): string[] {
  return run.mounts.filter((m) => m.type === 'secret' || m.type === 'ssh').map((m) => model.document.getText(m.range));
}
