// Whether a build reads the repository's git metadata from the build context: a `git` command in
// a RUN after the source copy (`git describe` for a version stamp), a Makefile that calls git, git
// installed in the build stage (then `go build` stamps vcs.revision from .git, Go 1.18 and later),
// or a program that reads its build info (`debug.ReadBuildInfo`). Excluding .git from the context
// changes or breaks all of these, so advice to exclude it must say so.
import * as posix from 'node:path/posix';
import { perObject, perObjectAnd } from '../model/memo';
import { isArg, type ArgInstruction, type CopyInstruction, type DockerfileModel, type RunInstruction, type Stage } from '../model/model';
import { installedPackages } from '../model/packages';
import { evaluatedTexts, readMakefile, yieldsToEnvironment, type Assignment, type Makefile } from '../parse/makefile';
import { normalizeContextPath, type BuildContext } from '../model/context';
import { makeRecipeOf, runsMake, shellCommandsOf, type MakeRecipe } from './delegated';
import { commandDirectory, imageFileFromContext } from './commandmodule';
import { packageArgs } from './gocommand';

/** The RUNs after a COPY that see what it copied: later in its stage, and in stages built FROM it. */
function runsSeeing(model: DockerfileModel, copy: CopyInstruction): RunInstruction[] {
  const stage = copy.stage;
  if (!stage) return [];
  const inherits = (s: Stage) => s.chain.includes(stage);
  return model.runs.filter((r) => r.stage && (r.stage === stage ? r.position > copy.position : inherits(r.stage)));
}

const GIT_SUBSTITUTION = /\$\(\s*git\s|`\s*git\s/;

/** The line (zero-based) where a RUN runs git: the command, or the word that substitutes its output. */
function gitLine(run: RunInstruction): number | undefined {
  for (const c of run.commands) {
    if (c.words[0]?.value === 'git') return c.words[0].range.start.line;
    const word = [...c.assignments, ...c.words].find((w) => GIT_SUBSTITUTION.test(w.value));
    if (word) return word.range.start.line;
  }
  return undefined;
}

function installsGit(run: RunInstruction): boolean {
  return installedPackages(run).includes('git');
}

const GIT_READ = /\bgit\s+(describe|rev-parse|log|rev-list|tag|show|symbolic-ref)\b/;
/** A script path a Makefile runs, as a command or a command substitution (`./hack/version.sh`, `$(shell sh scripts/v)`). */
const MAKEFILE_SCRIPT = /(?:^|[\s;&|(`])(?:(?:ba)?sh\s+)?((?:\.\/)?[\w.-]+\/[\w./-]+)/g;

/** Makefile text (a recipe line, a value, the whole file) that runs git, itself or in a script of the context it runs. */
function makeTextRunsGit(context: BuildContext, text: string): boolean {
  if (GIT_READ.test(text)) return true;
  // Only files of the context: the image has nothing from outside it.
  const scripts = new Set([...text.matchAll(MAKEFILE_SCRIPT)].map((m) => normalizeContextPath(m[1])).filter((p) => !p.startsWith('..')));
  return [...scripts].slice(0, 50).some((script) => GIT_READ.test(context.readText(script) ?? ''));
}

const MAKEFILE_NAMES = ['Makefile', 'makefile', 'GNUmakefile'];

/** A Makefile in the context root that runs git (for a version stamp, usually). */
const makefileRunsGit = perObject((context: BuildContext): boolean =>
  MAKEFILE_NAMES.some((name) => { const text = context.readText(name); return text !== undefined && makeTextRunsGit(context, text); }));

/** Of `names`, those with an assignment that yields to make's environment (`?=`, `$(if $(NAME),…)`) and runs git. */
function gitDefaults(context: BuildContext, makefile: Makefile, names: Iterable<string>): Map<string, Assignment> {
  const defaults = new Map<string, Assignment>();
  for (const name of names) {
    const assignment = makefile.assignments.find((a) => a.name === name && yieldsToEnvironment(a));
    if (assignment && makeTextRunsGit(context, assignment.value)) defaults.set(name, assignment);
  }
  return defaults;
}

/**
 * Of `names`, the ones whose Makefile default yields to the environment and reads git, when those
 * defaults are the Makefile's only git reads: variables of those names in make's environment
 * (ARGs) then stand in for every git read. Empty otherwise.
 */
function gitOnlyForDefaults(context: BuildContext, names: readonly string[]): string[] {
  const text = MAKEFILE_NAMES.map((n) => context.readText(n)).find((t) => t !== undefined);
  if (text === undefined) return [];
  const defaults = gitDefaults(context, readMakefile(text), names);
  const dropped = new Set([...defaults.values()].flatMap(({ lines: [first, last] }) => Array.from({ length: last - first + 1 }, (_, i) => first + i)));
  const rest = text.replace(/\r\n/g, '\n').split('\n').filter((_, line) => !dropped.has(line)).join('\n');
  return defaults.size > 0 && !makeTextRunsGit(context, rest) ? [...defaults.keys()] : [];
}

/**
 * Whether what a `make` runs reads git: the recipes of its goals, the variables they use, or the
 * Makefile's immediate assignments (`:=`), which make evaluates whatever the target. Variables
 * named in `environment` are set in make's environment by the build, which replaces the file's
 * defaults for them (`?=`, `:= $(if $(NAME),$(NAME),…)`); `make NAME=…` replaces every assignment.
 * undefined when the reader cannot tell what make runs.
 */
function recipeReadsGit(context: BuildContext, recipe: MakeRecipe, environment: ReadonlySet<string> = new Set()): boolean | undefined {
  const replaced = (a: Assignment) => recipe.overrides.has(a.name) || (environment.has(a.name) && yieldsToEnvironment(a));
  return evaluatedTexts(recipe.makefile, recipe.targets, replaced)?.some((text) => makeTextRunsGit(context, text));
}

/** The `make` command of a RUN whose reads the reader can follow, as `recipeReadsGit` does. */
function readableMakeRecipe(model: DockerfileModel, context: BuildContext, run: RunInstruction): MakeRecipe | undefined {
  for (const command of run.commands) {
    const recipe = makeRecipeOf(model, run, command);
    if (recipe && recipeReadsGit(context, recipe) !== undefined) return recipe;
  }
  return undefined;
}

/** Whether the `make` a RUN runs reads git; what the reader cannot follow counts when the Makefile reads git anywhere. */
function runsMakeReadingGit(model: DockerfileModel, run: RunInstruction): boolean {
  const context = model.context;
  return context !== undefined && run.commands.some((c) => {
    if (!runsMake(c)) return false;
    const recipe = makeRecipeOf(model, run, c);
    return (recipe && recipeReadsGit(context, recipe)) ?? makefileRunsGit(context);
  });
}

/** What a Go file of the context is looked for: the pattern, and whether test files count. */
const GO_CODE = {
  /** Reads the binary's build info, where Go records the commit (programs only). */
  buildInfo: { pattern: /debug\.ReadBuildInfo\s*\(/, tests: false },
  /** Opens the repository with go-git (a test the build runs counts). */
  goGit: { pattern: /\bgit\.Plain(?:Open|OpenWithOptions)\s*\(/, tests: true },
} as const;

/** The first Go file of the context (outside vendor/, among its first 1,000) whose code does `what`. */
const contextGoFileDoing = perObjectAnd((context: BuildContext, what: keyof typeof GO_CODE): string | undefined => {
  const { pattern, tests } = GO_CODE[what];
  const files = context.listFiles('.', 3000).filter((f) => f.endsWith('.go') && !f.startsWith('vendor/') && !f.includes('/vendor/') && (tests || !f.endsWith('_test.go')));
  for (const file of files.slice(0, 1000)) {
    if (pattern.test(context.readText(file) ?? '')) return file;
  }
  return undefined;
});

/**
 * git subcommands that work on the repository itself (its objects, refs and work tree), not only
 * report on it: a version passed in replaces `git describe`, nothing replaces `git checkout`.
 */
const REPOSITORY_SUBCOMMANDS = new Set([
  'checkout', 'switch', 'reset', 'restore', 'submodule', 'stash', 'merge', 'cherry-pick', 'rebase', 'revert',
  'pull', 'fetch', 'worktree', 'bisect', 'archive', 'clean', 'lfs',
]);
/** git's own options that take a value before the subcommand (`git -C dir checkout`). */
const GIT_VALUE_OPTIONS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path']);

/** Where the subcommand of a `git` command line is (`git -C src checkout v1` → 3); -1 when it has none. */
export function gitSubcommandIndex(words: readonly string[]): number {
  for (let i = 1; i < words.length; i++) {
    if (GIT_VALUE_OPTIONS.has(words[i])) { i++; continue; }
    if (!words[i].startsWith('-')) return i;
  }
  return -1;
}

/** The subcommand a `git` command line runs (`git -C src checkout v1` → checkout). */
export function gitSubcommand(words: readonly string[]): string | undefined {
  const i = gitSubcommandIndex(words);
  return i < 0 ? undefined : words[i];
}

/**
 * git subcommands that inspect the work tree or the index against the checkout (`git status
 * --porcelain`, `git diff --exit-code`, `git ls-files -m`): they answer whether the tree differs,
 * not what commit or version it is.
 */
export const WORK_TREE_SUBCOMMANDS: ReadonlySet<string> = new Set(['status', 'diff', 'diff-index', 'diff-files', 'ls-files', 'check-ignore', 'check-attr', 'update-index']);

/** A recipe line that runs a git subcommand working on the repository. */
function worksOnRepository(text: string): boolean {
  return shellCommandsOf(text).some((c) => c.words[0]?.value === 'git' && REPOSITORY_SUBCOMMANDS.has(gitSubcommand(c.words.map((w) => w.value)) ?? ''));
}

/** A Makefile in the context root with a recipe, any recipe, that works on the repository (`git checkout $(TAG)`). */
const makefileNeedsRepository = perObject((context: BuildContext): boolean => {
  for (const name of MAKEFILE_NAMES) {
    const text = context.readText(name);
    if (text === undefined) continue;
    for (const rule of readMakefile(text).rules.values()) {
      if (rule.recipe.some((step) => worksOnRepository(step.text.replace(/^[@+-]+\s*/, '')))) return true;
    }
  }
  return false;
});

/**
 * The build context holds a .git that .dockerignore lets through (`.git/*` counts as excluding it:
 * it leaves an empty directory but keeps out what commits change), so a COPY of the whole context
 * changes with every commit.
 */
export function contextSendsGit(model: DockerfileModel): boolean {
  const context = model.context;
  return !!context?.root && context.exists('.git') && !model.dockerignore.ignores('.git') && !model.dockerignore.ignores('.git/HEAD');
}

/**
 * Why the build needs the repository itself from what the COPY brings in (`git checkout` of a
 * release in a RUN after it, or in the Makefile a `make` there runs); undefined when it does not.
 * Excluding .git there breaks the build, and no build argument can stand in for it.
 */
export function gitRepositoryNeededAfter(model: DockerfileModel, copy: CopyInstruction): string | undefined {
  const runs = runsSeeing(model, copy);
  for (const run of runs) {
    for (const c of run.commands) {
      const words = c.words.map((w) => w.value);
      if (words[0] !== 'git') continue;
      const sub = gitSubcommand(words);
      if (sub !== undefined && REPOSITORY_SUBCOMMANDS.has(sub)) return `\`git ${sub}\` runs on line ${c.words[0].range.start.line + 1}`;
    }
  }
  for (const run of runs) {
    for (const command of run.commands.filter(runsMake)) {
      const recipe = makeRecipeOf(model, run, command);
      // What make runs cannot be read: any recipe of the Makefile may be the one.
      const works = recipe ? recipe.lines.some((line) => worksOnRepository(line.text)) : model.context !== undefined && makefileNeedsRepository(model.context);
      if (works) return `\`make\` on line ${run.range.start.line + 1} runs a Makefile that works on the git repository`;
    }
  }
  return undefined;
}

export interface GitRead {
  /** What reads it: "`git` runs on line 8". */
  why: string;
  /** What goes without .git. */
  loses: string;
  /**
   * A build ARG the build already takes in place of what it reads from git: an ARG the Makefile
   * or script reads from its environment (`VERSION ?= $(shell ./scripts/git-version)`).
   */
  passedIn?: { name: string; line: number }[];
}

/**
 * The ARGs that stand in for every git read of a RUN's `make`: those whose Makefile defaults
 * (`?=`, `:= $(if $(NAME),$(NAME),…)`) read git, when passing them leaves make no git read.
 */
function argPassedIn(model: DockerfileModel, context: BuildContext, runs: readonly RunInstruction[]): GitRead['passedIn'] {
  for (const run of runs) {
    const recipe = readableMakeRecipe(model, context, run);
    const names = recipe ? argsForMakeGitDefaults(context, run, recipe) : argsForGitDefaults(context, run);
    if (names.size > 0) return [...names].map(([name, line]) => ({ name, line }));
  }
  return undefined;
}

/** The ARG a variable of the RUN's environment comes from: its name and line. */
function argOf(run: RunInstruction, name: string): [string, number] | undefined {
  const value = run.env.get(name);
  return value?.isArg && value.origin.kind === 'arg' && value.origin.line !== undefined ? [name, value.origin.line] : undefined;
}

/**
 * The ARGs of the RUN's stage whose defaults in the Makefile read git, when passing every ARG
 * (each is in make's environment) leaves the `make` no git read at all.
 */
function argsForMakeGitDefaults(context: BuildContext, run: RunInstruction, recipe: MakeRecipe): Map<string, number> {
  const declared = new Map((run.stage?.instructions ?? []).filter((i) => isArg(i) && i.position < run.position)
    .flatMap((i) => (i as ArgInstruction).vars.map((v) => argOf(run, v.name)).filter((a) => a !== undefined)));
  if (recipeReadsGit(context, recipe, new Set(declared.keys())) !== false) return new Map();
  const defaults = gitDefaults(context, recipe.makefile, declared.keys());
  return new Map([...declared].filter(([name]) => defaults.has(name)));
}

/** Where the reader cannot tell what make runs: the ARGs the Go commands read whose `?=` defaults are the Makefile's only git reads. */
function argsForGitDefaults(context: BuildContext, run: RunInstruction): Map<string, number> {
  const args = new Map(run.go.flatMap((go) => (go.via?.environment ?? []).map((name) => argOf(run, name)).filter((a) => a !== undefined)));
  return new Map(gitOnlyForDefaults(context, [...args.keys()]).map((name) => [name, args.get(name)!]));
}

const COMMAND_LOSES = 'the version it stamps is lost (git fails without a repository)';
const STAMP_LOSES = 'Go records no vcs.revision in the binary';

/**
 * A Go program that runs git: `exec.Command("git", …)`, or a helper called with git and a
 * subcommand that reads the repository (`runError("git", "describe", …)`).
 */
const EXEC_GIT = /exec\.Command(?:Context)?\s*\((?:[^,()]+,\s*)?"git"|\(\s*"git"\s*,\s*"(?:describe|rev-parse|log|show|rev-list|symbolic-ref)"/;

/**
 * A `go test` or `go run` after the COPY, in a context whose Go code opens the repository with
 * go-git (`git.PlainOpen`): code the build runs reads .git without the git command.
 */
function goCodeOpeningRepository(model: DockerfileModel, runs: readonly RunInstruction[]): string | undefined {
  const step = runs.flatMap((r) => r.go).find((g) => g.subcommand === 'test' || g.subcommand === 'run');
  const file = step && model.context?.root ? contextGoFileDoing(model.context, 'goGit') : undefined;
  return step && file ? `\`go ${step.subcommand}\` on line ${step.nameRange.start.line + 1} runs code that opens the repository with go-git (${file})` : undefined;
}

/**
 * A `go run build.go` after the COPY whose program, a Go file of the context, runs git (a build
 * script written in Go, as some projects keep): "`go run build.go` on line 12 runs git (build.go:946)".
 */
function goProgramRunningGit(model: DockerfileModel, runs: readonly RunInstruction[]): string | undefined {
  const context = model.context;
  if (!context?.root) return undefined;
  for (const run of runs) {
    for (const go of run.go.filter((g) => g.subcommand === 'run')) {
      const dir = commandDirectory(run, go);
      const file = packageArgs(go).find((w) => w.value.endsWith('.go'))?.value;
      const contextPath = dir === undefined || file === undefined ? undefined : imageFileFromContext(model, run, posix.join(dir, file));
      if (contextPath === undefined) continue;
      const at = (context.readText(contextPath) ?? '').split('\n').findIndex((line) => EXEC_GIT.test(line));
      if (at >= 0) return `\`go run ${file}\` on line ${go.nameRange.start.line + 1} runs git (${contextPath}:${at + 1})`;
    }
  }
  return undefined;
}

/** Why the build reads git from what the COPY brings in, in words for a message; undefined when nothing does. */
export function gitReadAfter(model: DockerfileModel, copy: CopyInstruction): GitRead | undefined {
  const runs = runsSeeing(model, copy);
  for (const run of runs) {
    const line = gitLine(run);
    if (line !== undefined) return { why: `\`git\` runs on line ${line + 1}`, loses: COMMAND_LOSES };
  }
  const make = runs.find((r) => runsMakeReadingGit(model, r));
  if (make && model.context) return { why: `\`make\` on line ${make.range.start.line + 1} runs a Makefile that calls git`, loses: COMMAND_LOSES, passedIn: argPassedIn(model, model.context, runs) };
  const chain = copy.stage?.chain ?? [];
  const install = chain.flatMap((s) => s.runs).find(installsGit);
  const builds = runs.some((r) => r.go.some((g) => g.subcommand === 'build' || g.subcommand === 'install'));
  if (install && builds) return { why: `git is installed on line ${install.range.start.line + 1}, so \`go build\` stamps the commit from .git into the binary`, loses: STAMP_LOSES };
  const program = goProgramRunningGit(model, runs);
  if (program) return { why: program, loses: COMMAND_LOSES };
  const opens = goCodeOpeningRepository(model, runs);
  if (opens) return { why: opens, loses: 'what it reads from the repository is lost (go-git fails to open one that is not there)' };
  // Go stamps the commit only where it finds git (-buildvcs=auto drops it silently otherwise): the
  // Debian golang images have it, the Alpine ones and images the analysis does not know may not.
  const hasGit = chain[0]?.facts.family === 'golang';
  const info = model.context?.root && hasGit ? contextGoFileDoing(model.context, 'buildInfo') : undefined;
  if (info && builds) return { why: `${info} reads the binary's build info (debug.ReadBuildInfo), where Go records the commit from .git`, loses: STAMP_LOSES };
  return undefined;
}

