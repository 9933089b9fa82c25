// `npm run bench`: every measurement of bench/README.md in one run, printed as a table and
// written to bench/results.json. Options:
//   --only rebuild,profile,latency,core,extension,precision   run some parts (the others keep their last results)
//   --rounds N          rebuild rounds per Dockerfile (default 5, at least 3)
//   --edits N           edits per server and file (default 50)
//   --starts N          server starts (default 10)
//   --profile-runs N    runs of each build in the profiling overhead part (default 5)
//   --keep-cache-mounts keep BuildKit cache mounts of earlier runs (first builds start warm)
//   --no-readme         leave the tables in bench/README.md and README.md alone
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { benchCore } from './core';
import { benchStartup, bundleSizes } from './extension-cost';
import { DOCKER } from './support/docker';
import { timedRun } from './support/process';
import { benchLatency, benchTypingPace } from './lsp/latency';
import { TYPING_INTERVAL_MS } from './lsp/typing';
import { closingNotes } from './notes';
import { benchPrecision, precisionTable, updatePrecisionSection } from './precision';
import { benchProfileOverhead, fixedCosts } from './profile-overhead';
import { benchRebuild, prepareEnvironment } from './rebuild';
import { markdownTable, updateReadmes, type Results } from './report';

const PARTS = ['extension', 'core', 'latency', 'rebuild', 'profile', 'precision'] as const;
type Part = (typeof PARTS)[number];

const repoRoot = path.resolve(__dirname, '..');
const resultsFile = path.join(repoRoot, 'bench/results.json');
const workDir = path.join(repoRoot, 'bench/work');
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

function options() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' }, rounds: { type: 'string', default: '5' }, edits: { type: 'string', default: '50' },
      starts: { type: 'string', default: '10' }, 'profile-runs': { type: 'string', default: '5' },
      'keep-cache-mounts': { type: 'boolean', default: false }, 'no-readme': { type: 'boolean', default: false },
    },
  });
  const only = values.only?.split(',').map((p) => p.trim()) ?? [...PARTS];
  const unknown = only.filter((p) => !PARTS.includes(p as Part));
  if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')}; parts are ${PARTS.join(', ')}`);
  const count = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
    return n;
  };
  return {
    parts: new Set(only as Part[]), rounds: count('rounds', values.rounds, 3), edits: count('edits', values.edits, 1),
    starts: count('starts', values.starts, 1), profileRuns: count('profile-runs', values['profile-runs'], 1),
    keepCacheMounts: values['keep-cache-mounts'], readme: !values['no-readme'],
  };
}

async function main(): Promise<void> {
  const opts = options();
  fs.mkdirSync(workDir, { recursive: true });
  const previous: Results = fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Results) : {};
  const results: Results = { ...previous };
  const measuredAt = new Date().toISOString();
  // The precision part reads files only: alone, it needs no docker and leaves the timing table as it was.
  const timed = [...opts.parts].some((p) => p !== 'precision');
  if (timed) {
    // Without a daemon, the Docker parts of the table are those of the run that had one.
    const probe = await timedRun(DOCKER, ['version', '--format', '{{.Server.Version}}']);
    const dockerVersion = probe.code === 0 ? probe.output.trim() : previous.machine?.docker;
    results.machine = { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100), node: process.version, docker: dockerVersion };
  }

  if (opts.parts.has('precision')) {
    results.precision = { measuredAt, ...(await benchPrecision()) };
    process.stdout.write(`\nPrecision on the real-world corpus:\n\n${precisionTable(results.precision)}\n`);
    if (opts.readme) {
      const updated = updatePrecisionSection([path.join(repoRoot, 'bench/README.md'), path.join(repoRoot, 'README.md')], precisionTable(results.precision), measuredAt);
      if (updated.length > 0) log(`precision table updated in ${updated.map((f) => path.relative(repoRoot, f)).join(', ')}`);
    }
  }

  if (opts.parts.has('extension')) {
    results.extension = { measuredAt, bundles: bundleSizes(repoRoot), startup: await benchStartup({ repoRoot, workDir, starts: opts.starts, log }) };
  }
  if (opts.parts.has('core')) results.core = { measuredAt, results: await benchCore({ repoRoot, workDir, log }) };
  if (opts.parts.has('latency')) {
    results.latency = { measuredAt, edits: opts.edits, results: await benchLatency({ repoRoot, workDir, edits: opts.edits, log }) };
    results.typing = { measuredAt, edits: opts.edits, intervalMs: TYPING_INTERVAL_MS, results: await benchTypingPace({ repoRoot, workDir, edits: opts.edits, log }) };
  }
  if (opts.parts.has('rebuild') || opts.parts.has('profile')) {
    const environment = await prepareEnvironment({ repoRoot, log });
    if (opts.parts.has('rebuild')) {
      const variants = await benchRebuild({ repoRoot, rounds: opts.rounds, keepCacheMounts: opts.keepCacheMounts, log }, environment);
      results.rebuild = { measuredAt, rounds: opts.rounds, engine: environment.engine, proxyModules: environment.modules, variants };
    }
    if (opts.parts.has('profile')) {
      // The tuned project of the rebuild part: built before, so this is a cached build.
      const projectDir = path.join(workDir, 'rebuild/tuned');
      if (!fs.existsSync(projectDir)) fs.cpSync(path.join(repoRoot, 'bench/service'), projectDir, { recursive: true });
      const scenarios = await benchProfileOverhead({ repoRoot, projectDir, dockerfile: 'Dockerfile.tuned', runs: opts.profileRuns, log });
      results.profileOverhead = { measuredAt, engine: environment.engine, scenarios, fixedCosts: await fixedCosts(repoRoot, path.join(projectDir, 'Dockerfile.tuned')) };
    }
  }

  fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  if (!timed) return;
  const table = markdownTable(results);
  const notes = closingNotes(results);
  const machine = results.machine ?? { cpus: os.cpus().length, loadAverage: os.loadavg(), node: process.version };
  const footer = [
    `Measured ${measuredAt.slice(0, 10)} on ${machine.cpus} CPUs (load average ${machine.loadAverage.join(', ')} at the start), Node ${machine.node}, Docker ${machine.docker}.`,
    ...(notes.length > 0 ? ['', ...notes.map((n) => `- ${n}`)] : ['', 'Every goal met.']),
  ].join('\n');
  process.stdout.write(`\n${table}\n\n${footer}\n`);
  if (opts.readme) {
    const updated = updateReadmes([path.join(repoRoot, 'bench/README.md'), path.join(repoRoot, 'README.md')], table, footer);
    if (updated.length > 0) log(`table updated in ${updated.map((f) => path.relative(repoRoot, f)).join(', ')}`);
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
