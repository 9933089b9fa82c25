// Part 1: how long a developer waits for `docker build` after changing one line of Go, with the
// naive Dockerfile, the one `go-dockerfile-cache fix` makes of it, and one tuned by hand.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUILD_ENV, DOCKER, docker, hasImage, removeDanglingBenchImages, timedBuild, type StepTime } from './lib/docker';
import { timedRun } from './lib/process';
import { median } from './lib/stats';
import { prepareProxy } from './goproxy/index';
import { serveProxy, type ServedProxy } from './goproxy/serve';

export const BASE_IMAGE = 'golang:1.19';
/** The offline Go image plus the proxy settings; its name ends in /golang so the analysis treats it as the official image. */
export const BENCH_IMAGE = 'gdc-bench/golang:1.19';
export const PROXY_PORT = Number(process.env.GDC_BENCH_PROXY_PORT ?? 17070);
export const CACHE_DIR = process.env.GDC_BENCH_CACHE ?? '/var/cache/gdc-bench';

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
  /** Keep BuildKit cache mounts between variants (faster, but fixed and tuned then share them). */
  keepCacheMounts: boolean;
  log: (line: string) => void;
}

export interface Environment {
  proxy: ServedProxy;
  modules: number;
  workDir: string;
  close(): Promise<void>;
}

/** The module proxy, served, and the bench image that points at it. */
export async function prepareEnvironment(options: Pick<RebuildOptions, 'repoRoot' | 'log'>): Promise<Environment> {
  if (!(await hasImage(BASE_IMAGE))) {
    options.log(`${BASE_IMAGE} is missing: running scripts/engine/setup.sh`);
    const setup = spawnSync('bash', [path.join(options.repoRoot, 'scripts/engine/setup.sh')], { stdio: 'inherit' });
    if (setup.status !== 0) throw new Error('scripts/engine/setup.sh failed');
  }
  const prepared = prepareProxy(CACHE_DIR, options.log);
  const proxy = await serveProxy(prepared.dir, PROXY_PORT);
  const dockerfile = `FROM ${BASE_IMAGE}\nENV GOPROXY=${proxy.url} GOSUMDB=off GOFLAGS=-mod=mod\n`;
  await docker(['build', '--quiet', '--tag', BENCH_IMAGE, '-'], dockerfile);
  const workDir = path.join(options.repoRoot, 'bench/work');
  return { proxy, modules: prepared.modules, workDir, close: () => proxy.close() };
}

/** `go-dockerfile-cache fix --stdout` of the naive Dockerfile, or why there is none. */
function fixedDockerfile(repoRoot: string, naive: string): { text?: string; unavailable?: string } {
  const cli = path.join(repoRoot, 'server/out/cli.js');
  if (!fs.existsSync(cli)) return { unavailable: 'server/out/cli.js is not built' };
  const run = spawnSync(process.execPath, [cli, 'fix', '--stdout', naive], { encoding: 'utf8' });
  if (run.status !== 0 || !run.stdout.includes('FROM')) return { unavailable: `fix failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().split('\n')[0]}` };
  return { text: run.stdout };
}

/** A fresh copy of bench/service for one variant, with that variant's Dockerfile in it. */
function variantCopy(repoRoot: string, workDir: string, variant: VariantName): { dir: string; dockerfile?: string; unavailable?: string } {
  const dir = path.join(workDir, 'rebuild', variant);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(repoRoot, 'bench/service'), dir, { recursive: true });
  const dockerfile = path.join(dir, `Dockerfile.${variant}`);
  if (variant === 'fixed') {
    const fixed = fixedDockerfile(repoRoot, path.join(dir, 'Dockerfile.naive'));
    if (!fixed.text) return { dir, unavailable: fixed.unavailable };
    fs.writeFileSync(dockerfile, fixed.text);
  }
  return { dir, dockerfile };
}

const GREETING = /^const greeting = .*$/m;

/** The one-line change: what /healthz answers. Unique per variant and round, so no build can reuse another's result. */
function editSource(dir: string, label: string): void {
  const file = path.join(dir, 'internal/api/greeting.go');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(GREETING, `const greeting = "orders ok (${label})"`));
}

async function measureVariant(variant: VariantName, options: RebuildOptions, workDir: string): Promise<VariantResult> {
  const copy = variantCopy(options.repoRoot, workDir, variant);
  if (!copy.dockerfile) return { variant, unavailable: copy.unavailable, rebuildMs: [] };
  const dockerfile = copy.dockerfile;
  const tag = `gdc-bench-${variant}`;
  if (!options.keepCacheMounts) {
    // Cache mounts are shared by target path across all builds of the daemon; without this the
    // second variant with a cache mount on /root/.cache/go-build would start warm.
    await timedRun(DOCKER, ['builder', 'prune', '--force', '--filter', 'type=exec.cachemount'], { env: BUILD_ENV });
  }
  options.log(`${variant}: first build (fills the caches)`);
  editSource(copy.dir, `${variant} first build`);
  const first = await timedBuild(dockerfile, tag);
  const result: VariantResult = { variant, dockerfile: fs.readFileSync(dockerfile, 'utf8'), firstBuildMs: first.ms, rebuildMs: [] };
  for (let round = 1; round <= options.rounds; round++) {
    editSource(copy.dir, `${variant} round ${round}`);
    const build = await timedBuild(dockerfile, tag);
    result.rebuildMs.push(build.ms);
    result.slowestSteps = build.steps.slice(0, 4);
    options.log(`${variant}: rebuild ${round}/${options.rounds} after a one-line change: ${(build.ms / 1000).toFixed(1)} s`);
  }
  result.medianMs = median(result.rebuildMs);
  await removeDanglingBenchImages();
  return result;
}

/** Measures the variants one after the other (never two builds at once: they would slow each other). */
export async function benchRebuild(options: RebuildOptions, environment: Environment): Promise<VariantResult[]> {
  const results: VariantResult[] = [];
  for (const variant of ['naive', 'fixed', 'tuned'] as const) {
    try {
      results.push(await measureVariant(variant, options, environment.workDir));
    } catch (error) {
      results.push({ variant, unavailable: (error as Error).message, rebuildMs: [] });
    }
  }
  return results;
}
