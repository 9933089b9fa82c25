import { referencedVariables } from '../parse/expand';
import { readsModules } from '../go/gocommand';
import { runsMake } from '../go/delegated';
import { installedPackages, installWordIndex } from '../model/packages';
import { cutInstructionLines, leadingCommentsStart } from '../fixing/edits';
import { AUTOMATIC_ARGS, isArg, isCopy, isEnv, isRun, type ArgInstruction, type DockerfileModel, type InstructionModel, type RunInstruction, type Stage } from '../model/model';
import { bindsWholeContext } from '../model/sources';
import type { Range, TextEdit } from '../model/types';
import { defineRule } from './api';

/** Names that by convention carry a value that changes with every commit or every build. */
// BUILD_ names the build itself (its time, number, id), not a setting of it: BUILD_TAGS, BUILD_JS
// or BUILD_MODE choose what is built and stay the same from build to build.
// GIT_ names a repository fact (GIT_COMMIT, GIT_TAG, GIT_TREE_STATE), not a pinned package
// version such as GIT_APT_VERSION; GIT_VERSION is the repository's version.
const VOLATILE_NAME = /^(VERSION|COMMIT|REVISION|GIT_VERSION|GIT_(?!\w+_VERSION$)\w+|BUILD_(TIME|TIMESTAMP|NUMBER|NUM|ID|TAG|VERSION)|\w+_DATE|\w+_SHA|\w+_COMMIT|\w+_REVISION)$/i;
/** Go's own settings (GOPROXY, GOPRIVATE, CGO_ENABLED…) stay the same from build to build. */
const GO_SETTING = /^(GO[A-Z0-9]+|CGO_[A-Z_]+)$/;

/** Names that by convention carry the commit itself: a new value means a new commit. */
const COMMIT_NAME = /(^|_)(SHA|COMMIT|REVISION)$/i;

/** Sources that bring the repository's git metadata: `.git` itself, or the whole context when .dockerignore keeps it. */
function copiesGit(model: DockerfileModel, source: string): boolean {
  const path = source.trim().replace(/^\.\//, '').replace(/\/+$/, '');
  if (path === '.git') return true;
  return ['', '.', '*'].includes(path) && model.context?.root !== undefined && !model.dockerignore.ignores('.git') && !model.dockerignore.ignores('.git/HEAD');
}

/**
 * A COPY or ADD of `.git` from the context above the step: every commit changes `.git`, so the
 * step reruns on every new commit whatever the ARGs say.
 */
function rerunsOnEveryCommit(model: DockerfileModel, stage: Stage, step: RunInstruction): boolean {
  return stage.instructions.some((i) => isCopy(i) && !i.from && i.position < step.position && i.sources.some((s) => copiesGit(model, s.value)));
}

/** A COPY or ADD of the whole build context above the step. */
function copiesContextBefore(stage: Stage, step: RunInstruction): boolean {
  return stage.instructions.some((i) => isCopy(i) && !i.from && i.position < step.position && i.sources.some((s) => ['.', './', '*'].includes(s.value.trim())));
}

/**
 * Whether the instruction uses the variable: its own text, or a Go command it runs through make or
 * a script that reads it from the environment (`VERSION ?= …` in the Makefile, `$VERSION` in a script).
 */
function refersTo(model: DockerfileModel, instruction: InstructionModel, name: string): boolean {
  if (isRun(instruction) && instruction.go.some((go) => go.via?.environment.includes(name))) return true;
  return referencedVariables(model.document.getText(instruction.range)).includes(name);
}

/** Whether some Go command of the stage passes the ARG to the linker, as version stamps are. */
function stampedByLinker(stage: Stage, name: string): boolean {
  return stage.instructions.filter(isRun).some((run) => run.go.some((go) => referencedVariables(go.flags.get('ldflags')?.value ?? '').includes(name)));
}

function isVolatile(stage: Stage, name: string): boolean {
  if (AUTOMATIC_ARGS.has(name) || GO_SETTING.test(name)) return false;
  return VOLATILE_NAME.test(name) || stampedByLinker(stage, name);
}

/** A step that fetches dependencies: the Go command reading modules, or the package manager installing packages. */
interface DependencyStep {
  run: RunInstruction;
  /** What it runs, for the message: "go mod download", "apt-get install". */
  command: string;
  /** Where to point the related location. */
  range: Range;
  /** What each new value costs there. */
  cost: string;
  /** Installs system packages (not Go modules). */
  packages: boolean;
}

/** `npm ci`, `npm install`, `yarn` (install), `pnpm install`: the JavaScript dependencies of a web UI built beside the Go code. */
function installsNodePackages(words: readonly string[]): boolean {
  const [tool, action] = words;
  if (tool === 'yarn') return action === undefined || action === 'install' || action.startsWith('-');
  return (tool === 'npm' || tool === 'pnpm') && ['ci', 'install', 'i'].includes(action ?? '') && words.length === 2 + words.slice(2).filter((w) => w.startsWith('-')).length;
}

function dependencyStepAfter(stage: Stage, position: number): DependencyStep | undefined {
  for (const run of stage.runs) {
    if (run.position < position) continue;
    const go = run.go.find(readsModules);
    if (go) return { run, command: `go ${go.subcommand}`, range: go.nameRange, cost: go.subcommand === 'mod download' ? 'downloads all modules again' : 'reruns that step and every one after it', packages: false };
    if (installedPackages(run).length > 0) {
      // The command that installs (`apt-get install` after `apt-get update`).
      for (const c of run.commands) {
        const action = installWordIndex(c.words.map((w) => w.value));
        if (action >= 0) return { run, command: `${c.words[0].value} ${c.words[action].value}`, range: c.words[0].range, cost: 'downloads and installs those packages again', packages: true };
      }
    }
    const node = run.commands.find((c) => installsNodePackages(c.words.map((w) => w.value)));
    if (node) return { run, command: node.words.slice(0, 2).map((w) => w.value).join(' '), range: node.words[0].range, cost: 'downloads and installs every package again', packages: true };
  }
  return undefined;
}

/**
 * Whether the step uses the ARG's value through ENVs set from it in between (`ENV V=$VERSION`),
 * with no other RUN between them that a new value would rerun first.
 */
function usedThroughEnv(model: DockerfileModel, stage: Stage, arg: ArgInstruction & { name: string }, step: RunInstruction): boolean {
  const between = stage.instructions.filter((i) => i.position > arg.position && i.position < step.position);
  if (between.some(isRun)) return false;
  const names = new Set([arg.name]);
  for (const i of between) {
    if (!isEnv(i)) continue;
    for (const v of i.vars) if (referencedVariables(v.value).some((n) => names.has(n))) names.add(v.name);
  }
  return [...names].some((name) => refersTo(model, step, name));
}

/**
 * The first program after the ARG that the analysis cannot read and that may read the ARG from
 * the environment: make, or a script or program started by its path (`/script/version.sh`,
 * `./gen.sh`), that the image brings or the analysis did not read through.
 */
function unreadProgramAfter(stage: Stage, arg: ArgInstruction): { run: RunInstruction; program: string } | undefined {
  for (const run of stage.instructions.filter(isRun)) {
    if (run.position <= arg.position) continue;
    const command = run.commands.find((c) => !run.readThrough?.has(c)
      && (runsMake(c) || (/\/|\.(sh|bash)$/.test(c.words[0]?.value ?? '') && !/^\/(usr\/)?bin\//.test(c.words[0].value))));
    if (command) return { run, program: command.words[0].value };
  }
  return undefined;
}

/** Move an instruction just above another one and the comments that head it. */
function moveAbove(model: DockerfileModel, moved: InstructionModel, anchor: InstructionModel): TextEdit[] {
  const { text, edit } = cutInstructionLines(model, moved);
  const at = { line: leadingCommentsStart(model, anchor), character: 0 };
  return [{ range: { start: at, end: at }, newText: text }, edit];
}

export default defineRule({
  id: 'GD008',
  name: 'volatile-arg-before-dependencies',
  severity: 'warning',
  summary: 'An ARG whose value changes between builds is declared before the module download (or a package install), so every new value downloads them all again.',
  fixable: true,
  needsCache: true,
  check({ model, report }) {
    for (const stage of model.stages) {
      const args = stage.instructions.filter(isArg).filter((a): a is ArgInstruction & { name: string } => a.name !== undefined);
      for (const arg of args) {
        if (!arg.nameRange || !isVolatile(stage, arg.name)) continue;
        // The first step after the ARG that downloads modules or builds: the one a new value reruns
        // for nothing when it does not use the ARG (the first of the stage may be above the ARG).
        const step = dependencyStepAfter(stage, arg.position);
        if (!step) continue;
        // Before a package install, only names that change with every build by convention count
        // (a tool's pinned version changes when it is bumped), and not after a copy of the whole
        // context, which reruns the install on every change to any file anyway.
        if (step.packages && (!VOLATILE_NAME.test(arg.name) || copiesContextBefore(stage, step.run))) continue;
        const later = stage.instructions.filter((i) => i.position > arg.position);
        const use = later.find((i) => refersTo(model, i, arg.name));
        if (use === step.run) continue;
        // An ARG the file takes for a version stamp only, used before the step (to fetch that
        // version): a new value reruns that use and everything after it wherever the ARG is.
        if (use && use.position < step.run.position && !VOLATILE_NAME.test(arg.name)) continue;
        // `ARG VERSION` / `ENV VERSION=$VERSION` right before the build that stamps it: the step
        // reruns for a new value anyway, so the ARG busts nothing that did not have to rebuild.
        if (usedThroughEnv(model, stage, arg, step.run)) continue;
        // A step that bind-mounts the build context reruns on every change to it anyway: its cache
        // key follows every file of the context.
        if (step.run.mounts.some(bindsWholeContext)) continue;
        // A commit id changes only with a new commit, which reruns a step after a copy of .git anyway.
        if (COMMIT_NAME.test(arg.name) && rerunsOnEveryCommit(model, stage, step.run)) continue;
        const stepLine = step.run.range.start.line + 1;
        const reader = use ? undefined : unreadProgramAfter(stage, arg);
        const moveDown = use && use.position > step.run.position;
        // Moved just above the program that may read it, when that program runs after the step.
        const moveToReader = reader && reader.run.position > step.run.position ? reader.run : undefined;
        const where = reader ? `No line of this stage names it, but line ${reader.run.range.start.line + 1} runs \`${reader.program}\`, which the analysis cannot read and which may read it from the environment${moveToReader ? ': declare it just above that line' : ''}.`
          : !use ? 'It is never used in this stage.'
            : moveDown ? `It is first used on line ${use.range.start.line + 1}.`
              : `It is used on line ${use.range.start.line + 1}, before that step, so moving it means moving that use too.`;
        report({
          range: arg.nameRange,
          message: `ARG ${arg.name} changes between builds and is declared before \`${step.command}\` on line ${stepLine}: every RUN after an ARG sees it, so each new value ${step.cost}. ${where}`,
          related: [{ range: step.range, message: `a new ${arg.name} reruns this step` }],
          fixes: moveDown ? [{
            title: `Move ARG ${arg.name} down to line ${use.range.start.line + 1}, where it is first used`,
            edits: moveAbove(model, arg, use),
            preferred: true,
          }] : moveToReader ? [{
            title: `Move ARG ${arg.name} down to line ${moveToReader.range.start.line + 1}, whose program may read it`,
            edits: moveAbove(model, arg, moveToReader),
            preferred: true,
          }] : [],
        });
      }
    }
  },
});
