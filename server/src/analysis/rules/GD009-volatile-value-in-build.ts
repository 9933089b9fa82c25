import * as posix from 'node:path/posix';
import { insertLinesBefore, moveInstructionBefore } from '../fixing/edits';
import { gitSubcommand, gitSubcommandIndex, WORK_TREE_SUBCOMMANDS } from '../go/readsgit';
import { isArg, isCopy, isRun, type DockerfileModel, type RunInstruction } from '../model/model';
import { bindsWholeContext, WHOLE_CONTEXT_SOURCES } from '../model/sources';
import type { Fix, Range, TextEdit } from '../model/types';
import { referencedVariables } from '../parse/expand';
import type { Word } from '../parse/shell';
import { defineRule } from './api';

type VolatileKind = 'date' | 'git' | 'random';

interface BuildArg {
  name: string;
  defaultValue: string;
}

interface VolatileValue {
  kind: VolatileKind;
  /** The word of the RUN it is written in. */
  word: Word;
  /** The substitution as written, e.g. `$(git rev-parse HEAD)`. */
  text: string;
  range: Range;
  /** The ARG that replaces it; undefined when what it yields cannot be named. */
  arg?: BuildArg;
  /** It only inspects the work tree and passes on what git printed (`$(git status --porcelain)`). */
  inspectsWorkTree?: boolean;
}

const BUILD_DATE: BuildArg = { name: 'BUILD_DATE', defaultValue: 'unknown' };
const GIT_COMMIT: BuildArg = { name: 'GIT_COMMIT', defaultValue: 'unknown' };
const VERSION: BuildArg = { name: 'VERSION', defaultValue: 'dev' };
const BUILD_ID: BuildArg = { name: 'BUILD_ID', defaultValue: '0' };

/** `date -d @$SOURCE_DATE_EPOCH`, `date -r file`: formats a given time, same result every build. */
function datePrintsGivenTime(args: string[]): boolean {
  return args.some((a) => a === '-d' || a === '-r' || a === '-f' || /^--(date|reference|file)(=|$)/.test(a) || /^-[uR]*[drf]/.test(a));
}

/** The ARG that replaces the output of a `git` command line (its words, `git` first). */
function gitArg(words: string[]): BuildArg | undefined {
  const i = gitSubcommandIndex(words);
  if (i < 0) return undefined;
  const sub = words[i];
  const rest = words.slice(i + 1);
  if (sub === 'describe' || sub === 'tag') return VERSION;
  // `--abbrev-ref` gives a branch name, `--show-toplevel` a path: neither is a commit.
  if (sub === 'rev-parse' && !rest.some((a) => /^--(abbrev-ref|show-|git-dir|is-)/.test(a))) return GIT_COMMIT;
  if ((sub === 'log' || sub === 'show') && rest.some((a) => /%[hH]/.test(a))) return GIT_COMMIT;
  return undefined;
}

/**
 * Every command the substitution runs as `git` inspects the work tree (`git status --porcelain |
 * wc -l`), and it prints no word of its own: `git diff --quiet || echo -dirty` makes a version
 * suffix out of the answer.
 */
function inspectsWorkTreeOnly(words: string[]): boolean {
  return words.every((word, i) => {
    if (i > 0 && !['&&', '||', '|', ';'].includes(words[i - 1]) && !words[i - 1].endsWith(';')) return true;
    const command = posix.basename(word);
    if (command === 'echo' || command === 'printf') return false;
    return command !== 'git' || WORK_TREE_SUBCOMMANDS.has(gitSubcommand(words.slice(i)) ?? '');
  });
}

/** What a `$(…)` / backtick command yields, when it is `date` or `git`. */
function classifyCommand(inner: string): Pick<VolatileValue, 'kind' | 'arg' | 'inspectsWorkTree'> | undefined {
  // Line continuations (`\` or, under `# escape=\``, a backtick) are not part of the command.
  const words = inner.replace(/[\\`]\r?\n/g, ' ').trim().split(/\s+/).filter((w) => w !== '');
  while (words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0])) words.shift();
  const command = posix.basename(words[0] ?? '');
  const args = words.slice(1);
  if (command === 'date') return datePrintsGivenTime(args) ? undefined : { kind: 'date', arg: BUILD_DATE };
  if (command === 'git') return { kind: 'git', arg: gitArg(words), inspectsWorkTree: inspectsWorkTreeOnly(words) };
  return undefined;
}

/** Index just past the `)` closing the `$(` that starts at `open` (the `$`). */
function closingParen(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let j = open + 1; j < text.length; j++) {
    const ch = text[j];
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

/** Volatile substitutions in one stretch of RUN text that starts at document offset `base`. */
function scanText(model: DockerfileModel, word: Word, text: string, base: number): VolatileValue[] {
  const found: VolatileValue[] = [];
  const at = (start: number, end: number) => ({ start: model.document.positionAt(base + start), end: model.document.positionAt(base + end) });
  for (let i = 0; i < text.length; i++) {
    if (text[i - 1] === '\\') continue;
    let end = -1;
    let inner = '';
    if (text.startsWith('$(', i) && text[i + 2] !== '(') {
      end = closingParen(text, i);
      inner = end > 0 ? text.slice(i + 2, end - 1) : '';
    } else if (text[i] === '`' && /^`[ \t]*[\w/]/.test(text.slice(i))) {
      end = text.indexOf('`', i + 1) + 1;
      inner = end > 0 ? text.slice(i + 1, end - 1) : '';
    } else {
      const random = text[i] === '$' ? /^\$(RANDOM\b|\{RANDOM\})/.exec(text.slice(i)) : null;
      if (random) {
        found.push({ kind: 'random', word, text: random[0], range: at(i, i + random[0].length), arg: BUILD_ID });
        i += random[0].length - 1;
      }
      continue;
    }
    if (end <= 0) continue;
    const what = classifyCommand(inner);
    if (!what) continue;
    found.push({ ...what, word, text: text.slice(i, end), range: at(i, end) });
    i = end - 1;
  }
  return found;
}

function volatileValuesIn(model: DockerfileModel, run: RunInstruction): VolatileValue[] {
  const found: VolatileValue[] = [];
  for (const command of run.commands) {
    // An exec-form RUN passes `$(date)` to the program as it is written; only the script of an
    // exec-form shell (`["sh", "-c", "…"]`) evaluates it. The script's words are read at their
    // places in the JSON string, where the fix writes plain `${NAME}`.
    if (run.execForm && !command.within.includes('sh -c')) continue;
    for (const word of [...command.assignments, ...command.words]) {
      const text = model.document.getText(word.range);
      // Every substitution starts with `$` or a backtick: most words have neither.
      if (/[$`]/.test(text)) found.push(...scanText(model, word, text, model.document.offsetAt(word.range.start)));
    }
  }
  return found;
}

/** `-X importpath.name=value` (also `-X=…`, or inside `-ldflags=…`): the linker writes the value into the binary. */
const LINKER_STAMP = /(?:^|[\s"'=])-X[\s=]/;

/** `NAME=value` as an assignment (`VERSION=$(…) go build`, `version=$(…);`, `export VERSION=$(…)`): the name. */
function assignedName(word: Word, command: RunInstruction['commands'][number]): string | undefined {
  const declares = ['export', 'local', 'declare', 'readonly', 'typeset'].includes(command.words[0]?.value ?? '');
  if (!command.assignments.includes(word) && !(declares && command.words.indexOf(word) > 0)) return undefined;
  return /^([A-Za-z_]\w*)=/.exec(word.value)?.[1];
}

/**
 * The words of a RUN that stamp a value into a binary with the linker's `-X`, directly or through
 * shell variables assigned from it (`VERSION=$(git describe)` … `-ldflags "-X main.version=$VERSION"`,
 * or the flags written to a file the build reads). A version or build time computed there is the
 * binary's own stamp, computed on purpose: the project chose to build it from git or the clock.
 */
function stampedValues(model: DockerfileModel, run: RunInstruction, values: VolatileValue[]): Set<VolatileValue> {
  const words = run.commands.flatMap((command) => [...command.assignments, ...command.words].map((word) => ({ word, command, text: model.document.getText(word.range) })));
  const stamps = words.filter((w) => LINKER_STAMP.test(w.text));
  const stamped = new Set<VolatileValue>();
  for (const value of values) {
    if (value.kind === 'random') continue;
    if (stamps.some((s) => s.word === value.word)) {
      stamped.add(value);
      continue;
    }
    // The variables that carry the value, and those assigned from them in turn.
    const carriers = new Set<string>();
    const first = words.find((w) => w.word === value.word);
    const name = first && assignedName(first.word, first.command);
    if (!name) continue;
    carriers.add(name);
    for (let grew = true; grew;) {
      grew = false;
      for (const w of words) {
        const assigned = assignedName(w.word, w.command);
        if (assigned && !carriers.has(assigned) && referencedVariables(w.text).some((n) => carriers.has(n))) {
          carriers.add(assigned);
          grew = true;
        }
      }
    }
    if (stamps.some((s) => referencedVariables(s.text).some((n) => carriers.has(n)))) stamped.add(value);
  }
  return stamped;
}

/**
 * A work-tree inspection (`diff=$(git status --porcelain)`, `[ -z "$(git diff)" ]`) not stamped
 * with `-X` is a check: a validate stage comparing generated files with the committed ones needs
 * .git by design, and no build ARG could stand in for the answer.
 */
function isWorkTreeCheck(value: VolatileValue, stamped: Set<VolatileValue>): boolean {
  return value.inspectsWorkTree === true && !stamped.has(value);
}

/**
 * The default of a build ARG (`${COMMIT_SHA:-$(git describe)}` with `ARG COMMIT_SHA` declared): the
 * file already takes the value as an ARG, and the command runs only in builds that do not pass it.
 */
function defaultOfPassedArg(model: DockerfileModel, run: RunInstruction, value: VolatileValue): boolean {
  const before = model.document.getText({ start: value.word.range.start, end: value.range.start });
  const expansion = /\$\{(\w+):?-$/.exec(before);
  return expansion !== null && run.env.get(expansion[1])?.isArg === true;
}

/** A COPY source that brings the context's `.git`: the whole context, or `.git` itself. */
function bringsContextGit(source: string): boolean {
  return WHOLE_CONTEXT_SOURCES.has(source) || source === '.git' || source === '.git/';
}

/**
 * Whether the RUN can see the build context's `.git`: a COPY or ADD of the whole context (or of
 * .git) in its stage or one it starts FROM, or a bind mount of the context on it. Without either,
 * the repository `git` reads is another one (cloned in an earlier RUN), which the context does not
 * change.
 */
function seesContextGit(model: DockerfileModel, run: RunInstruction): boolean {
  // A known context without a .git of its own (a folder of the repository) sends none.
  if (model.context?.root && !model.context.exists('.git')) return false;
  if (run.mounts.some(bindsWholeContext)) return true;
  const chain = run.stage?.chain ?? [];
  return chain.some((stage) => stage.instructions.some((i) => isCopy(i) && !i.from && (i.stage !== run.stage || i.position < run.position) && i.sources.some((src) => bringsContextGit(src.value.trim()))));
}

/** A SHELL other than a POSIX shell reads `${NAME}` differently: leave the RUN alone. */
function runsInPosixShell(run: RunInstruction): boolean {
  const stage = run.stage;
  if (!stage) return true;
  const shells = stage.instructions.slice(0, stage.instructions.indexOf(run)).filter((i) => i.keyword === 'SHELL');
  const last = shells[shells.length - 1];
  return !last || !/powershell|pwsh|cmd/i.test(last.node.getArgumentsContent() ?? '');
}

function buildFix(model: DockerfileModel, run: RunInstruction, value: VolatileValue, all: VolatileValue[]): Fix | undefined {
  const arg = value.arg;
  if (!arg || !runsInPosixShell(run)) return undefined;
  const edits: TextEdit[] = [];
  if (!run.env.has(arg.name)) {
    // The stage declares it further down (an earlier fix of a later RUN did): move that ARG up
    // rather than declare it twice, so the result does not depend on which RUN was fixed first.
    const later = run.stage?.instructions.find((i) => isArg(i) && i.position > run.position && i.name === arg.name && i.range.start.line === i.range.end.line);
    // A global ARG of that name keeps its default when the stage re-declares it without one.
    const global = model.instructions.some((i) => isArg(i) && !i.stage && i.name === arg.name);
    if (later) edits.push(...moveInstructionBefore(model, later, run));
    else edits.push(insertLinesBefore(model, run, [global ? `ARG ${arg.name}` : `ARG ${arg.name}=${arg.defaultValue}`]));
  }
  for (const same of all.filter((v) => v.text === value.text)) edits.push({ range: same.range, newText: `\${${arg.name}}` });
  return { title: `Pass the value in as build ARG ${arg.name}`, edits, preferred: true };
}

/** Markdown code span that survives backticks in the code. */
function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** A version or build time the build stamps into its binary: the project's choice, said as such. */
function describeStamp(value: VolatileValue): string {
  const instead = value.arg ? `\`--build-arg ${value.arg.name}=…\`` : 'a build ARG';
  if (value.kind === 'git') {
    return `${code(value.text)} stamps the binary's version from git (a \`-X\` linker flag): the build needs \`.git\` in its context, which every commit changes. If that is not wanted, pass the value in as ${instead} and exclude \`.git\` from the context.`;
  }
  return `${code(value.text)} stamps the time this RUN runs into the binary (a \`-X\` linker flag): a cached layer keeps the old time, and two builds of the same source give different binaries. If the stamp should follow the source instead, pass it in as ${instead} (from SOURCE_DATE_EPOCH, for instance).`;
}

function describe(value: VolatileValue): string {
  const instead = value.arg ? `Pass it in as \`--build-arg ${value.arg.name}=…\` instead.` : 'Pass the value in as a build ARG instead.';
  switch (value.kind) {
    case 'git':
      return `${code(value.text)} needs \`.git\` in the build context: it fails once .dockerignore excludes \`.git\`, and keeping \`.git\` in the context rebuilds the source COPY on every commit. ${instead}`;
    case 'date':
      return `${code(value.text)} is evaluated when this RUN runs: a cached layer keeps the old date, and every rebuild writes a new one, so this layer and everything copied from it change even when no source did. ${instead}`;
    default:
      return `${code(value.text)} is different every time this RUN runs, so a rebuild never reproduces the same layer and everything copied from it changes with it. ${instead}`;
  }
}

export default defineRule({
  id: 'GD009',
  name: 'volatile-value-in-build',
  severity: 'warning',
  summary: 'A RUN computes a value that changes on every build or needs .git in the context ($(date), $(git …), $RANDOM) instead of taking it as a build ARG.',
  fixable: true,
  needsCache: true,
  scoped: true,
  check({ model, inScope, report }) {
    for (const run of model.instructions.filter(isRun)) {
      if (!inScope(run.stage)) continue;
      const found = volatileValuesIn(model, run);
      const stamped = found.length > 0 ? stampedValues(model, run, found) : new Set<VolatileValue>();
      const values = found.filter((value) => !isWorkTreeCheck(value, stamped) && !defaultOfPassedArg(model, run, value)
        && (value.kind !== 'git' || seesContextGit(model, run)));
      for (const value of values) {
        // A placeholder ARG in its place would ship binaries stamped `dev` or `unknown` from every
        // build that does not pass it: no fix, and no more than info for a deliberate choice.
        if (stamped.has(value)) {
          report({ range: value.range, message: describeStamp(value), severity: 'info' });
          continue;
        }
        const fix = buildFix(model, run, value, values.filter((v) => !stamped.has(v)));
        report({ range: value.range, message: describe(value), fixes: fix ? [fix] : [] });
      }
    }
  },
});
