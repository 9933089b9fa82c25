// Whether a build reads the repository's git metadata from the build context: a `git` command in
// a RUN after the source copy (`git describe` for a version stamp), a Makefile that calls git, git
// installed in the build stage (then `go build` stamps vcs.revision from .git, Go 1.18 and later),
// or a program that reads its build info (`debug.ReadBuildInfo`). Excluding .git from the context
// changes or breaks all of these, so advice to exclude it must say so.
import { perObject } from '../model/memo';
import { type CopyInstruction, type DockerfileModel, type RunInstruction, type Stage } from '../model/model';
import type { BuildContext } from '../model/context';
import { installedPackages } from '../model/packages';
import { readMakefile } from '../parse/makefile';
import { joinMapped, parseShell } from '../parse/shell';

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

/** A Makefile in the context root that runs git (for a version stamp, usually). */
const makefileRunsGit = perObject((context: BuildContext): boolean => {
  for (const name of ['Makefile', 'makefile', 'GNUmakefile']) {
    const text = context.readText(name);
    if (text !== undefined && /\bgit\s+(describe|rev-parse|log|rev-list|tag|show|symbolic-ref)\b/.test(text)) return true;
  }
  return false;
});

/** A Go file of the context (outside vendor/) that reads the binary's build info. */
const readsBuildInfo = perObject((context: BuildContext): string | undefined => {
  const files = context.listFiles('.', 3000).filter((f) => f.endsWith('.go') && !f.startsWith('vendor/') && !f.includes('/vendor/') && !f.endsWith('_test.go'));
  for (const file of files.slice(0, 1000)) {
    if (/debug\.ReadBuildInfo\s*\(/.test(context.readText(file) ?? '')) return file;
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

/** The subcommand a `git` command line runs (`git -C src checkout v1` → checkout). */
function gitSubcommand(words: readonly string[]): string | undefined {
  for (let i = 1; i < words.length; i++) {
    if (GIT_VALUE_OPTIONS.has(words[i])) { i++; continue; }
    if (!words[i].startsWith('-')) return words[i];
  }
  return undefined;
}

/** A Makefile in the context root whose recipes work on the repository (`git checkout $(TAG)`). */
const makefileNeedsRepository = perObject((context: BuildContext): boolean => {
  for (const name of ['Makefile', 'makefile', 'GNUmakefile']) {
    const text = context.readText(name);
    if (text === undefined) continue;
    for (const rule of readMakefile(text).rules.values()) {
      for (const step of rule.recipe) {
        const commands = parseShell(joinMapped([{ text: step.text.replace(/^[@+-]+\s*/, ''), start: { line: step.line, character: 0 } }], '\n'));
        if (commands.some((c) => c.words[0]?.value === 'git' && REPOSITORY_SUBCOMMANDS.has(gitSubcommand(c.words.map((w) => w.value)) ?? ''))) return true;
      }
    }
  }
  return false;
});

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
  const make = runs.find((r) => r.commands.some((c) => /^g?make$/.test(c.words[0]?.value ?? '')));
  if (make && model.context && makefileNeedsRepository(model.context)) return `\`make\` on line ${make.range.start.line + 1} runs a Makefile that works on the git repository`;
  return undefined;
}

export interface GitRead {
  /** What reads it: "`git` runs on line 8". */
  why: string;
  /** What goes without .git. */
  loses: string;
}

const COMMAND_LOSES = 'the version it stamps is lost (git fails without a repository)';
const STAMP_LOSES = 'Go records no vcs.revision in the binary';

/** Why the build reads git from what the COPY brings in, in words for a message; undefined when nothing does. */
export function gitReadAfter(model: DockerfileModel, copy: CopyInstruction): GitRead | undefined {
  const runs = runsSeeing(model, copy);
  for (const run of runs) {
    const line = gitLine(run);
    if (line !== undefined) return { why: `\`git\` runs on line ${line + 1}`, loses: COMMAND_LOSES };
  }
  const make = runs.find((r) => r.commands.some((c) => /^g?make$/.test(c.words[0]?.value ?? '')));
  if (make && model.context && makefileRunsGit(model.context)) return { why: `\`make\` on line ${make.range.start.line + 1} runs a Makefile that calls git`, loses: COMMAND_LOSES };
  const chain = copy.stage?.chain ?? [];
  const install = chain.flatMap((s) => s.runs).find(installsGit);
  const builds = runs.some((r) => r.go.some((g) => g.subcommand === 'build' || g.subcommand === 'install'));
  if (install && builds) return { why: `git is installed on line ${install.range.start.line + 1}, so \`go build\` stamps the commit from .git into the binary`, loses: STAMP_LOSES };
  const info = model.context?.root ? readsBuildInfo(model.context) : undefined;
  if (info && builds) return { why: `${info} reads the binary's build info (debug.ReadBuildInfo), where Go records the commit from .git`, loses: STAMP_LOSES };
  return undefined;
}

