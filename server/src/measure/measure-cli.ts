// `go-dockerfile-cache measure [options] FILE [-- extra docker build args]`: builds the Dockerfile
// as it is and as `fix` writes it, rebuilds both after the same one-line change, and prints both
// rebuild times, the speed-up, each step's time and the fix's diff. Exits 0 when measured (or
// there was nothing to measure), 1 when a build failed, 2 on usage errors or when docker cannot
// build, 130 when interrupted.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { chooseContextOnDisk } from '../analysis/ci/workspace';
import { buildsInValue, readCommandArgv, UsageError } from '../cli/argv';
import { formatDuration } from '../profile/render';
import { startMeasure, type MeasureOutcome, type MeasureReport, type MeasuredStep, type MeasureOptions } from './measure';

export interface MeasureIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export const MEASURE_USAGE = `Usage: go-dockerfile-cache measure [options] FILE [-- extra docker build args]

Proves the fix on your own project: copies the build context twice, writes the Dockerfile as it
is into one and what \`fix\` makes of it into the other, builds both, then for each round appends
a comment line to one source file in both copies and rebuilds both. Prints the median rebuild
times, the speed-up, each step's time in each variant and the diff of the fix. Leaves nothing
behind: the copies, its cache mounts and any image it made are removed, also on failure or Ctrl-C.

Options:
  --context DIR            build context (default: the one the repository's CI steps, compose
                           files and Makefiles build the file with, else the Dockerfile's folder)
  --change FILE            context-relative file to change between rebuilds
                           (default: the first .go file of the main package the build compiles)
  --rounds N               rebuilds per variant (default 3)
  --format text|json       output (default text)
  --builds-in auto|local|ci  local: a builder that keeps its cache; ci: empty the builder before
                           every build and carry only an exported layer cache (--cache-to), as a
                           CI runner does (needs --builder); auto: ci when CI=true, else local
  --builder NAME           buildx builder to build on
  --docker PATH            docker binary (default: docker on the PATH)
  -h, --help               show this help`;

interface MeasureArgs {
  file?: string;
  options: Omit<MeasureOptions, 'dockerfile' | 'env' | 'onProgress'>;
  format: 'text' | 'json';
  buildsIn: 'auto' | 'local' | 'ci';
  help: boolean;
}

const VALUE_FLAGS = new Set(['--context', '--change', '--rounds', '--format', '--builds-in', '--builder', '--docker']);

export function parseMeasureArgs(argv: readonly string[]): MeasureArgs {
  const parsed: MeasureArgs = { options: { rounds: 3, buildsIn: 'local', extraArgs: [] }, format: 'text', buildsIn: 'auto', help: false };
  const read = readCommandArgv(argv, VALUE_FLAGS, (flag, value) => {
    if (flag === '--context') parsed.options.context = value;
    else if (flag === '--change') parsed.options.change = value;
    else if (flag === '--builder') parsed.options.builder = value;
    else if (flag === '--docker') parsed.options.dockerPath = value;
    else if (flag === '--rounds') {
      if (!/^[1-9]\d*$/.test(value) || Number(value) > 50) throw new UsageError(`--rounds takes a whole number from 1 to 50, got "${value}"`);
      parsed.options.rounds = Number(value);
    } else if (flag === '--format') {
      if (value !== 'text' && value !== 'json') throw new UsageError(`--format is text or json, got "${value}"`);
      parsed.format = value;
    } else parsed.buildsIn = buildsInValue(value);
  }, (arg) => (arg === '-h' || arg === '--help') && (parsed.help = true));
  parsed.file = read.file;
  parsed.options.extraArgs = read.extraArgs;
  return parsed;
}

function seconds(s: number): string {
  return formatDuration(s * 1000);
}

/** The instruction without its --mount flags: how a step is recognised across the two variants. */
function sameStep(instruction: string): string {
  return instruction.replace(/\s--mount=\S+/g, '').replace(/\s+/g, ' ').trim();
}

function stepLines(steps: readonly MeasuredStep[], other: readonly MeasuredStep[], variant: 'original' | 'fixed'): string[] {
  const width = Math.min(60, Math.max(...steps.map((s) => s.instruction.length), 10));
  return steps.filter((s) => !/^FROM\b/i.test(s.instruction)).map((step) => {
    const twin = other.find((o) => sameStep(o.instruction) === sameStep(step.instruction));
    const turned = variant === 'fixed' && step.cached && twin !== undefined && !twin.cached ? '  ← the fix made this a cache hit' : '';
    const instruction = step.instruction.length > width ? `${step.instruction.slice(0, width - 1)}…` : step.instruction.padEnd(width);
    return `  ${String(step.line).padStart(3)}  ${instruction}  ${step.cached ? 'CACHED' : seconds(step.seconds).padStart(6)}${turned}`;
  });
}

export function renderMeasureText(report: MeasureReport, file: string): string {
  const engine = report.engine.buildkitVersion ? `builder ${report.engine.builder}, BuildKit ${report.engine.buildkitVersion}` : `builder ${report.engine.builder}`;
  const faster = report.speedup >= 1 ? `${report.speedup.toFixed(1)}× faster` : `${(1 / report.speedup).toFixed(1)}× slower`;
  return [
    `Measured ${file}: ${report.rounds} round${report.rounds === 1 ? '' : 's'}, ${report.change} changed before each rebuild (${engine}${report.buildsIn === 'ci' ? ', CI scenario: empty builder, exported layer cache' : ''})`,
    '',
    `Rebuild after a one-line change (median of ${report.rounds}):`,
    `  original  ${seconds(report.original.rebuildSeconds).padStart(7)}`,
    `  fixed     ${seconds(report.fixed.rebuildSeconds).padStart(7)}   ${faster}`,
    '',
    'Original, per step:',
    ...stepLines(report.original.steps, report.fixed.steps, 'original'),
    '',
    'Fixed, per step:',
    ...stepLines(report.fixed.steps, report.original.steps, 'fixed'),
    '',
    'The fix:',
    report.diff.trimEnd(),
    '',
  ].join('\n');
}

function describeFailure(outcome: Extract<MeasureOutcome, { kind: 'failed' }>): string {
  const where = outcome.line !== undefined ? ` at line ${outcome.line}${outcome.instruction ? ` (${outcome.instruction.slice(0, 60)})` : ''}` : '';
  return `measure: the ${outcome.variant} Dockerfile failed to build${where}: ${outcome.error}\n`;
}

export async function runMeasureCommand(argv: string[], io: MeasureIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  let parsed: MeasureArgs;
  try {
    parsed = parseMeasureArgs(argv);
  } catch (error) {
    io.stderr.write(`measure: ${(error as Error).message}\n\n${MEASURE_USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(`${MEASURE_USAGE}\n`);
    return 0;
  }
  if (parsed.file === undefined) {
    io.stderr.write(`measure: which Dockerfile?\n\n${MEASURE_USAGE}\n`);
    return 2;
  }
  const buildsIn = parsed.buildsIn === 'auto' ? (io.env.CI === 'true' ? 'ci' : 'local') : parsed.buildsIn;
  if (parsed.options.context === undefined && existsSync(parsed.file)) {
    // The context the repository's builds of the file use, as `check` and `profile` take it.
    const chosen = await chooseContextOnDisk(parsed.file, 'measured with');
    parsed.options.context = chosen.dir;
    if (chosen.note) io.stderr.write(`note: ${chosen.note}\n`);
  }
  const live = io.stderr.isTTY === true;
  const measuring = startMeasure({
    ...parsed.options,
    buildsIn,
    dockerfile: parsed.file,
    env: io.env,
    onProgress: (message) => io.stderr.write(live ? `\r\x1b[K${message}` : `${message}\n`),
  });
  const interrupt = () => measuring.cancel();
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  let outcome: MeasureOutcome;
  try {
    outcome = await measuring.done;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    if (live) io.stderr.write('\r\x1b[K');
  }
  switch (outcome.kind) {
    case 'nothing':
      if (parsed.format === 'json') io.stdout.write(`${JSON.stringify({ version: 1, nothingToMeasure: true, message: outcome.message })}\n`);
      else io.stdout.write(`${outcome.message}\n`);
      return 0;
    case 'measured':
      io.stdout.write(parsed.format === 'json' ? `${JSON.stringify(outcome.report, null, 2)}\n` : renderMeasureText(outcome.report, path.relative(process.cwd(), path.resolve(parsed.file)) || parsed.file));
      return 0;
    case 'failed':
      io.stderr.write(describeFailure(outcome));
      return 1;
    case 'canceled':
      io.stderr.write('measure: cancelled; everything it made was removed\n');
      return 130;
    case 'unusable':
      io.stderr.write(`measure: ${outcome.message}\n`);
      return 2;
  }
}
