// The commands of the CLI that analyse: check, fix and rules, and the usage text. Exit codes: 0
// clean, 1 findings at or above --fail-on, 2 usage or read errors (with a message on stderr).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../analysis/analyze';
import { loadShellParser, shellParserFailure } from '../analysis/parse/bashGrammar';
import { diskContext, dockerfileInContext, type BuildContext } from '../analysis/model/context';
import { fixAll } from '../analysis/fixing/fixer';
import { ruleById, rules } from '../analysis/rules/index';
import type { RuleSettings, Severity } from '../analysis/model/types';
import { SEVERITY_RANK, formatJson, toFileFinding, type FileFinding } from '../report/findings';
import { formatCheckstyle } from '../report/checkstyle';
import { formatGithub } from '../report/github';
import { formatGitlab, instructionText, type GitlabFinding } from '../report/gitlab';
import { formatSarif } from '../report/sarif';
import { readProfileFile } from '../report/profileFile';
import { withMeasuredCosts } from '../features/measuredCost';
import { formatText } from '../report/text';
import { version } from '../../../package.json';
import { ciBuildsOnDisk, defaultContextNote, defaultContextOnDisk } from '../analysis/ci/workspace';
import { resolveBuildSite } from '../analysis/ci/discover';
import { buildsInValue, UsageError } from './argv';
import type { BuildSite, BuildsInSetting } from '../analysis/ci/types';

export const USAGE = `Usage:
  go-dockerfile-cache check [--format text|json|sarif|github|checkstyle|gitlab] [--context DIR] [--fail-on error|warning|info|none] [--rules ID=LEVEL,...] [--builds-in auto|local|ci] [--profile-file F] FILE...
  go-dockerfile-cache fix [--context DIR] [--rule ID,ID] [--unsafe-fixes] [--format text|json] [--stdout] [--builds-in auto|local|ci] FILE
  go-dockerfile-cache profile [--context DIR] [--builds-in auto|local|ci] FILE [-- extra docker build args]
  go-dockerfile-cache measure [--context DIR] [--change FILE] [--rounds N] [--format text|json] [--builds-in auto|local|ci] FILE [-- extra docker build args]
  go-dockerfile-cache history [--record REF|FILE.dockerbuild] [--builder NAME] [--context DIR] [--format text|json] FILE
  go-dockerfile-cache rules

Finds and fixes what makes Go Docker builds slow. Rules: GD001–GD${String(rules.length).padStart(3, '0')} (see docs/rules/).
LEVEL is off, info, warning or error. The build context defaults to the one the repository's
CI steps, compose files and Makefiles build the file with, else the Dockerfile's folder.
--builds-in says where the image is built (the advice differs): auto (default) reads the
repository's CI files (GitHub Actions, GitLab CI, bake files, scripts with --cache-to) and the
CI=true environment variable.`;

export const CHECK_USAGE = `Usage: go-dockerfile-cache check [options] FILE...

Reports what makes the Go builds of each Dockerfile slow. Exits 1 when a finding is at or above
--fail-on, 2 on a usage or read error, 0 otherwise.
  --format F           text (default), json, sarif, github (workflow commands), checkstyle or gitlab
                       (Code Quality)
  --context DIR        the build context (default: the one the repository's CI steps, compose files and
                       Makefiles build the file with, when they agree; else the Dockerfile's folder)
  --fail-on LEVEL      error, warning (default), info or none
  --rules ID=LEVEL,... change a rule's severity, or turn it off: --rules GD012=off,GD016=warning
  --builds-in WHERE    where the image is built: auto (default: the repository's CI files and CI=true),
                       local or ci
  --profile-file F     a build of this Dockerfile saved with \`profile --format json\` (or \`history
                       --format json\`): each finding gets the seconds its line took
  -h, --help           show this help`;

export const FIX_USAGE = `Usage: go-dockerfile-cache fix [--context DIR] [--rule ID,ID] [--unsafe-fixes] [--format text|json] [--stdout] [--builds-in auto|local|ci] FILE

Applies every fix (only those of --rule) until nothing fixable remains and writes the file in place
(and the ignore file in the build context when GD013 asks for it).
  --stdout        print the fixed Dockerfile instead of writing it
  --unsafe-fixes  also apply the fixes that change what the image does at run time, not only how it
                  is built (GD020's USER: the image then runs as another user). Without it they are
                  left out and listed; the editor still offers them as quick fixes.
  --format json   print what was applied, left out and left over as JSON (not with --stdout)
  --rule ID,ID    apply only these rules' fixes
  --context DIR   the build context (default: as for check)
  --builds-in     where the image is built: auto (default), local or ci`;

const BOM = '\uFEFF';

function readDockerfile(file: string): { text: string; bom: boolean } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `cannot read ${file}: no such file` : code === 'EISDIR' ? `cannot read ${file}: it is a directory` : `cannot read ${file}: ${(error as Error).message}`);
  }
  return text.startsWith(BOM) ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/** How the analysis of one Dockerfile reads it: its build context, where it is built, and its path in the context. */
interface Setup {
  context: BuildContext;
  dockerfile: string | undefined;
  site: BuildSite;
}

/**
 * The context is --context, else the one the repository's builds of the file use (a CI step's
 * `context:`, a compose service's, a Makefile's `docker build … .`), else the Dockerfile's folder.
 * The builds are read once for both the context and where the file is built.
 */
function setupFor(file: string, contextDir: string | undefined, setting: BuildsInSetting): Setup {
  const builds = setting === 'local' && contextDir !== undefined ? [] : ciBuildsOnDisk(file);
  const chosen = contextDir === undefined ? defaultContextOnDisk(file, builds) : { dir: contextDir };
  if (!fs.existsSync(chosen.dir) || !fs.statSync(chosen.dir).isDirectory()) throw new UsageError(`build context ${chosen.dir} is not a directory`);
  const context = diskContext(path.resolve(chosen.dir));
  const note = defaultContextNote(file, chosen, 'analysed with');
  if (note) warn([note], 'note');
  return { context, dockerfile: dockerfileInContext(context.root, file), site: resolveBuildSite(setting, setting === 'local' ? [] : builds, process.env.CI) };
}

function parseRuleSettings(value: string | undefined): RuleSettings {
  const settings: RuleSettings = {};
  for (const pair of (value ?? '').split(',').filter(Boolean)) {
    const [id, level] = pair.split('=');
    if (!ruleById(id ?? '')) throw new UsageError(`unknown rule "${id}" in --rules`);
    if (!['off', 'info', 'warning', 'error'].includes(level ?? '')) throw new UsageError(`--rules ${pair}: the level must be off, info, warning or error`);
    settings[id.toUpperCase()] = level as RuleSettings[string];
  }
  return settings;
}

function buildsInSetting(value: string | undefined): BuildsInSetting {
  return buildsInValue(value ?? 'auto');
}

function warn(messages: string[], kind = 'warning'): void {
  for (const message of messages) process.stderr.write(`${kind}: ${message}\n`);
}

const FORMATS = ['text', 'json', 'sarif', 'github', 'checkstyle', 'gitlab'] as const;
type Format = typeof FORMATS[number];

interface Checked {
  files: string[];
  findings: FileFinding[];
  /** For the GitLab report: each finding with the instruction it is on. */
  located: GitlabFinding[];
}

function formatReport(format: Format, checked: Checked): string {
  switch (format) {
    case 'json': return formatJson(checked.findings);
    case 'sarif': return formatSarif(checked.findings, version, process.cwd());
    case 'github': return formatGithub(checked.findings, process.cwd());
    case 'checkstyle': return formatCheckstyle(checked.files, checked.findings);
    case 'gitlab': return formatGitlab(checked.located, process.cwd());
    case 'text': return formatText(checked.findings, process.stdout.isTTY === true && !process.env.NO_COLOR);
  }
}

export function check(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      context: { type: 'string' },
      'fail-on': { type: 'string', default: 'warning' },
      rules: { type: 'string' },
      'builds-in': { type: 'string' },
      'profile-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${CHECK_USAGE}\n`);
    return 0;
  }
  const buildsIn = buildsInSetting(values['builds-in']);
  const measured = values['profile-file'] === undefined ? undefined : readProfileFile(values['profile-file']);
  if (measured && 'error' in measured) throw new UsageError(measured.error);
  const format = values.format! as Format;
  const failOn = values['fail-on']! as Severity | 'none';
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be ${FORMATS.slice(0, -1).join(', ')} or ${FORMATS.at(-1)}, not "${format}"`);
  if (!(failOn in SEVERITY_RANK)) throw new UsageError(`--fail-on must be error, warning, info or none, not "${failOn}"`);
  if (positionals.length === 0) throw new UsageError('check needs at least one Dockerfile');
  const settings = parseRuleSettings(values.rules);
  const checked: Checked = { files: positionals, findings: [], located: [] };
  for (const file of positionals) {
    const { text } = readDockerfile(file);
    const { context, dockerfile, site } = setupFor(file, values.context, buildsIn);
    const result = analyze(text, { context, dockerfile, rules: settings, buildsIn: site });
    warn(result.warnings);
    // One saved profile is one Dockerfile's build: with several files, only the lines it matches get numbers.
    const { findings, costs } = withMeasuredCosts(result.findings, result.model, measured);
    for (const finding of findings.map((f) => ({ ...toFileFinding(file, f), ...(costs.has(f) ? { measuredSeconds: costs.get(f)!.seconds } : {}) }))) {
      checked.findings.push(finding);
      if (format === 'gitlab') checked.located.push({ finding, instruction: instructionText(result.model, finding.line) });
    }
  }
  process.stdout.write(formatReport(format, checked));
  return checked.findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}

export function fix(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      context: { type: 'string' }, rule: { type: 'string' }, stdout: { type: 'boolean', default: false }, rules: { type: 'string' },
      'builds-in': { type: 'string' }, 'unsafe-fixes': { type: 'boolean', default: false }, format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${FIX_USAGE}\n`);
    return 0;
  }
  const buildsIn = buildsInSetting(values['builds-in']);
  const format = values.format!;
  if (format !== 'text' && format !== 'json') throw new UsageError(`fix --format must be text or json, not "${format}"`);
  if (format === 'json' && values.stdout) throw new UsageError('fix --format json and --stdout both write to stdout: use one');
  if (positionals.length !== 1) throw new UsageError('fix takes exactly one Dockerfile');
  const file = positionals[0];
  const fixRules = values.rule?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of fixRules ?? []) {
    const rule = ruleById(id);
    if (!rule) throw new UsageError(`unknown rule "${id}" in --rule`);
    if (!rule.fixable) throw new UsageError(`${rule.id} (${rule.name}) has no automatic fix`);
  }
  const { text, bom } = readDockerfile(file);
  const { context, dockerfile, site } = setupFor(file, values.context, buildsIn);
  const unsafeFixes = values['unsafe-fixes'];
  const result = fixAll(text, { context, dockerfile, fixRules, unsafeFixes, rules: parseRuleSettings(values.rules), buildsIn: site });
  const output = (bom ? BOM : '') + result.text;
  if (values.stdout) {
    process.stdout.write(output);
    for (const change of result.files) process.stderr.write(`not written (--stdout): ${change.kind} ${change.path}\n`);
  } else {
    if (result.text !== text) fs.writeFileSync(file, output);
    for (const change of result.files) {
      fs.writeFileSync(path.join(context.root, change.path), change.text);
      process.stderr.write(`${change.kind === 'create' ? 'created' : 'updated'} ${path.join(context.root, change.path)}\n`);
    }
  }
  const counts = new Map<string, number>();
  for (const a of result.applied) counts.set(a.rule, (counts.get(a.rule) ?? 0) + 1);
  const summary = [...counts].map(([rule, n]) => `${rule}×${n}`).join(', ');
  process.stderr.write(result.applied.length === 0 ? `${file}: nothing to fix\n` : `${file}: applied ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'} (${summary})\n`);
  // A fix that changes what the image does at run time is the user's call: say what it would do.
  for (const { finding, fix: left } of result.skipped) {
    process.stderr.write(`${file}:${finding.range.start.line + 1}: ${finding.rule} not fixed: "${left.title}" changes what the image does at run time (${left.unsafe}); --unsafe-fixes applies it\n`);
  }
  if (result.remaining.length > 0) {
    process.stderr.write(`${result.remaining.length} fixable finding(s) could not be fixed automatically: ${result.remaining.map((f) => `${f.rule} line ${f.range.start.line + 1}`).join(', ')}\n`);
  }
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({
      version: 1,
      file,
      applied: result.applied,
      skipped: result.skipped.map(({ finding, fix: left }) => ({ rule: finding.rule, line: finding.range.start.line + 1, title: left.title, unsafe: left.unsafe })),
      remaining: result.remaining.map((f) => ({ rule: f.rule, line: f.range.start.line + 1 })),
      files: result.files.map((f) => ({ path: f.path, kind: f.kind })),
    }, null, 2)}\n`);
  }
  return result.remaining.length > 0 ? 1 : 0;
}

export function listRules(): number {
  for (const rule of rules) process.stdout.write(`${rule.id}  ${rule.name.padEnd(40)} ${rule.severity.padEnd(8)} ${rule.fixable ? 'fixable' : '       '}  ${rule.summary}\n`);
  return 0;
}

/** Runs check, fix, rules or help; a usage error is said on stderr with the usage, exit code 2. */
export async function runCommand(command: string | undefined, rest: string[]): Promise<number> {
  try {
    if (command === 'check' || command === 'fix') {
      await loadShellParser();
      const failure = shellParserFailure();
      // Without the shell parser no RUN is read: say so, and report what the rest shows.
      if (failure) warn([`the shell parser did not load (${failure.message}): RUN commands are not analysed`]);
    }
    switch (command) {
      case 'check': return check(rest);
      case 'fix': return fix(rest);
      case 'rules': return listRules();
      case '--help': case '-h': case 'help': process.stdout.write(`${USAGE}\n`); return 0;
      default: throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`go-dockerfile-cache: ${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}
