// Part 1: how long a developer waits for `docker build` after changing one line of Go, with the
// naive Dockerfile, the one `go-dockerfile-cache fix` makes of it, and one tuned by hand.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { engineDescription, GOPROXY, pruneCacheMounts, timedBuild, type StepTime } from './support/docker';
import { median } from './support/stats';

export type VariantName = 'naive' | 'fixed' | 'tuned';

export interface VariantResult {
  variant: VariantName;
  /** Why the variant was not measured, when it was not. */
  unavailable?: string;
  dockerfile?: string;
  firstBuildMs?: number;
  rebuildMs: number[];
  medianMs?: number;
  /** Where the time of the last rebuild went, slowest step first. */
  slowestSteps?: StepTime[];
}

export interface RebuildOptions {
  repoRoot: string;
  rounds: number;
  /** Keep the cache mounts of an earlier run, so that the first builds start warm. */
  keepCacheMounts: boolean;
  log: (line: string) => void;
}

export interface Environment {
  /** The builder's engine, for the table: `BuildKit v0.34.2 (buildx v0.38.2, builder gdc-buildkit)`. */
  engine: string;
  /** Modules bench/service builds with, all served by the Go module proxy. */
  modules: number;
  workDir: string;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status < 500;
  } catch {
    return false;
  }
}

/** The builder and the Go module proxy of scripts/engine/setup.sh, which runs when either is missing. */
export async function prepareEnvironment(options: Pick<RebuildOptions, 'repoRoot' | 'log'>): Promise<Environment> {
  let engine = await engineDescription();
  if (engine === undefined || !(await answers(GOPROXY))) {
    options.log('the gdc-buildkit builder or the Go module proxy is missing: running scripts/engine/setup.sh');
    const setup = spawnSync('bash', [path.join(options.repoRoot, 'scripts/engine/setup.sh')], { stdio: 'inherit' });
    if (setup.status !== 0) throw new Error('scripts/engine/setup.sh failed');
    engine = await engineDescription();
    if (engine === undefined) throw new Error('the gdc-buildkit builder does not answer after scripts/engine/setup.sh');
  }
  const sum = fs.readFileSync(path.join(options.repoRoot, 'bench/service/go.sum'), 'utf8');
  const modules = new Set(sum.split('\n').filter((l) => l.trim() !== '' && !l.includes('/go.mod ')).map((l) => l.split(' ').slice(0, 2).join('@'))).size;
  return { engine, modules, workDir: path.join(options.repoRoot, 'bench/work') };
}

/** `go-dockerfile-cache fix --stdout` of the naive Dockerfile, or why there is none. */
function fixedDockerfile(repoRoot: string, naive: string): { text?: string; unavailable?: string } {
  const cli = path.join(repoRoot, 'server/out/cli.js');
  if (!fs.existsSync(cli)) return { unavailable: 'server/out/cli.js is not built' };
  const run = spawnSync(process.execPath, [cli, 'fix', '--stdout', naive], { encoding: 'utf8' });
  if (run.status !== 0 || !run.stdout.includes('FROM')) return { unavailable: `fix failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n')[0]}` };
  return { text: run.stdout };
}

/**
 * Gives every cache mount of a variant's Dockerfile an id of its own. BuildKit keys a cache mount
 * by its id, which defaults to the target path, so without this the fixed and the tuned
 * Dockerfile (and any other build on the daemon) would share /root/.cache/go-build.
 */
export function isolateCacheMounts(dockerfile: string, variant: string): string {
  return dockerfile.replace(/--mount=(\S+)/g, (flag, spec: string) => {
    const fields = spec.split(',');
    if (!fields.includes('type=cache')) return flag;
    const target = fields.find((f) => /^(target|dst|destination)=/.test(f))?.split('=')[1] ?? '';
    const id = fields.find((f) => f.startsWith('id='));
    const isolated = id ? fields.map((f) => (f === id ? `id=gdc-bench-${variant}-${id.slice(3)}` : f)) : [fields[0], `id=gdc-bench-${variant}${target}`, ...fields.slice(1)];
    return `--mount=${isolated.join(',')}`;
  });
}

interface Variant {
  name: VariantName;
  dir: string;
  dockerfile: string;
  result: VariantResult;
}

/** A fresh copy of bench/service for one variant, with that variant's Dockerfile in it. */
function variantCopy(repoRoot: string, workDir: string, name: VariantName): Variant | VariantResult {
  const dir = path.join(workDir, 'rebuild', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(repoRoot, 'bench/service'), dir, { recursive: true });
  const dockerfile = path.join(dir, `Dockerfile.${name}`);
  let text = fs.readFileSync(name === 'fixed' ? path.join(dir, 'Dockerfile.naive') : dockerfile, 'utf8');
  if (name === 'fixed') {
    const fixed = fixedDockerfile(repoRoot, path.join(dir, 'Dockerfile.naive'));
    if (!fixed.text) return { variant: name, unavailable: fixed.unavailable, rebuildMs: [] };
    text = fixed.text;
  }
  fs.writeFileSync(dockerfile, isolateCacheMounts(text, name));
  return { name, dir, dockerfile, result: { variant: name, dockerfile: text, rebuildMs: [] } };
}

const GREETING = /^const greeting = .*$/m;

/** Tells this run's edits from those of earlier runs, whose layers BuildKit still has. */
const RUN_ID = Date.now().toString(36);

/** The one-line change: what /healthz answers. Unique per run, variant and round, so no build can reuse another's layers. */
export function editSource(dir: string, label: string): void {
  const file = path.join(dir, 'internal/api/greeting.go');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(GREETING, `const greeting = "orders ok (${label}, run ${RUN_ID})"`));
}

async function build(variant: Variant, label: string): Promise<{ ms: number; steps: StepTime[] }> {
  editSource(variant.dir, label);
  return timedBuild(variant.dockerfile);
}

/**
 * One build at a time, never two at once (they would slow each other). First builds fill each
 * variant's caches; then the rounds take the variants in turn, starting with a different one
 * each round, so that a spell of load from elsewhere on the machine hits all of them alike.
 */
export async function benchRebuild(options: RebuildOptions, environment: Environment): Promise<VariantResult[]> {
  if (!options.keepCacheMounts) {
    // Cache mounts left by an earlier run would make the first builds warm.
    await pruneCacheMounts();
  }
  const copies = (['naive', 'fixed', 'tuned'] as const).map((name) => variantCopy(options.repoRoot, environment.workDir, name));
  const variants = copies.filter((c): c is Variant => 'dir' in c);
  const failed = (variant: Variant, error: unknown) => {
    variant.result.unavailable = (error as Error).message;
  };
  for (const variant of variants) {
    options.log(`${variant.name}: first build (fills the caches)`);
    try {
      variant.result.firstBuildMs = (await build(variant, `${variant.name} first build`)).ms;
    } catch (error) {
      failed(variant, error);
    }
  }
  for (let round = 1; round <= options.rounds; round++) {
    const turn = variants.map((_, i) => variants[(i + round - 1) % variants.length]);
    for (const variant of turn.filter((v) => !v.result.unavailable)) {
      try {
        const { ms, steps } = await build(variant, `${variant.name} round ${round}`);
        variant.result.rebuildMs.push(ms);
        variant.result.slowestSteps = steps.slice(0, 4);
        options.log(`${variant.name}: rebuild ${round}/${options.rounds} after a one-line change: ${(ms / 1000).toFixed(1)} s`);
      } catch (error) {
        failed(variant, error);
      }
    }
  }
  return copies.map((c) => ('dir' in c ? { ...c.result, medianMs: c.result.unavailable ? undefined : median(c.result.rebuildMs) } : c));
}
