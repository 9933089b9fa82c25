// Shared by the engine tests: the engines they build on, whether each is here, temp copies of
// the examples, and real profiled builds of them.
//
// Every scenario runs on each engine the product meets (scripts/engine/setup.sh brings them up):
//   current BuildKit v0.34.2 through buildx v0.38.2 (builder gdc-buildkit, remote driver), with
//     rawjson progress and with plain progress;
//   legacy: Debian's docker 20.10 client and daemon (BuildKit v0.8 inside), plain progress.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BuildResult, StepAnnotation } from '../../server/src/profile/model';
import { startBuild, type BuildHandle, type BuildUpdate } from '../../server/src/profile/runner';
import type { BuildOptions, ProgressMode } from '../../server/src/profile/docker';
import { listProcesses } from '../helpers/processes';
import { tempDir } from '../unit/profile/temp';

export const ROOT = path.join(__dirname, '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');
/** Debian's docker 20.10 client: the legacy engine's. */
export const DOCKER = '/usr/bin/docker';
/** The docker client on PATH (28.2.2 on the project's machines), with the buildx plugin. */
export const PATH_DOCKER = 'docker';
export const BUILDER = 'gdc-buildkit';
export const BUILDKIT_VERSION = 'v0.34.2';
export const IMAGE = 'golang:1.26';
const SETUP = 'scripts/engine/setup.sh';

export interface Engine {
  /** Short name for test titles. */
  name: string;
  /** What it is, for messages. */
  label: string;
  docker: string;
  builder?: string;
  progress: ProgressMode;
  /** Current BuildKit: heredocs, Dockerfile checks' warnings, `--load` for the remote driver. */
  current: boolean;
}

export const CURRENT_RAWJSON: Engine = { name: 'current rawjson', label: `BuildKit ${BUILDKIT_VERSION} via buildx (builder ${BUILDER}), rawjson progress`, docker: PATH_DOCKER, builder: BUILDER, progress: 'rawjson', current: true };
export const CURRENT_PLAIN: Engine = { ...CURRENT_RAWJSON, name: 'current plain', label: `BuildKit ${BUILDKIT_VERSION} via buildx (builder ${BUILDER}), plain progress`, progress: 'plain' };
export const LEGACY_PLAIN: Engine = { name: 'legacy plain', label: 'docker 20.10 (BuildKit v0.8), plain progress', docker: DOCKER, progress: 'plain', current: false };
export const ENGINES: readonly Engine[] = [CURRENT_RAWJSON, CURRENT_PLAIN, LEGACY_PLAIN];

function said(run: ReturnType<typeof spawnSync>): string {
  // docker 20.10 prints the reason under "Server:" on stdout, not on stderr.
  return `${run.stdout ?? ''}\n${run.stderr ?? ''}\n${run.error?.message ?? ''}`.split('\n').find((l) => /ERROR|Cannot connect|denied|not found|no builder/i.test(l))?.trim() ?? '';
}

/** What is missing for a real build on `engine`, in words; undefined when everything is there. */
function missingEngine(engine: Engine): string | undefined {
  if (!fs.existsSync(DOCKER)) return `${DOCKER} is not installed (run ${SETUP} as root)`;
  const info = spawnSync(DOCKER, ['info'], { encoding: 'utf8', timeout: 30_000 });
  if (info.status !== 0) return `the Docker daemon does not answer "${DOCKER} info" (run ${SETUP} as root): ${said(info)}`;
  if (!engine.current) {
    const image = spawnSync(DOCKER, ['image', 'inspect', IMAGE], { encoding: 'utf8', timeout: 30_000 });
    return image.status === 0 ? undefined : `the offline image ${IMAGE} is missing (run ${SETUP} as root)`;
  }
  const inspect = spawnSync(engine.docker, ['buildx', 'inspect', engine.builder ?? ''], { encoding: 'utf8', timeout: 30_000 });
  if (inspect.status !== 0) return `the buildx builder ${engine.builder} does not answer (run ${SETUP} as root): ${said(inspect)}`;
  const version = /^BuildKit version:\s*(\S+)/m.exec(inspect.stdout)?.[1];
  return version === BUILDKIT_VERSION ? undefined : `the buildx builder ${engine.builder} runs BuildKit ${version ?? 'unknown'}, not ${BUILDKIT_VERSION} (run ${SETUP} as root)`;
}

const missing = new Map(ENGINES.map((engine) => [engine, missingEngine(engine)]));

/**
 * `skip` option for an engine's suites. In CI (CI=true) a missing engine is a failure, reported by
 * a test of its own, never a skip.
 */
export function engineSkip(engine: Engine): string | false {
  const reason = missing.get(engine);
  return reason === undefined || process.env.CI === 'true' ? false : `engine tests on ${engine.label} skipped: ${reason}`;
}

for (const engine of ENGINES) {
  const reason = missing.get(engine);
  if (reason !== undefined && process.env.CI === 'true') {
    test(`the engine is available in CI: ${engine.label}`, () => {
      throw new Error(`CI=true but ${reason}`);
    });
  }
  const skip = engineSkip(engine);
  if (skip) process.stderr.write(`${skip}\n`);
}

/** A throwaway copy of examples/<name>, so tests may edit and build it freely. */
export function copyExample(name: string): string {
  const dir = tempDir(`gdc-engine-${name}-`);
  fs.cpSync(path.join(EXAMPLES, name), dir, { recursive: true });
  return dir;
}

export function exampleNames(): string[] {
  return fs.readdirSync(EXAMPLES).filter((name) => fs.existsSync(path.join(EXAMPLES, name, 'Dockerfile'))).sort();
}

/**
 * A one-line change to a Go source file. Unique per call, so no earlier run of these tests can
 * have left a cached layer for the changed source.
 */
export function changeOneSourceLine(dir: string, file = 'main.go'): void {
  fs.appendFileSync(path.join(dir, file), `// changed ${randomBytes(8).toString('hex')}\n`);
}

const manifestDirs = new Map<string, string>();

/** Where profiles of `dir` keep their manifests: outside the context, which they would change. */
export function manifestDirFor(dir: string): string {
  if (!manifestDirs.has(dir)) manifestDirs.set(dir, tempDir('gdc-engine-profiles-'));
  return manifestDirs.get(dir)!;
}

/** Builds the project in `dir` for real on `engine`; docker needs host networking on this kind of machine. */
export function build(engine: Engine, dir: string, options: Partial<BuildOptions> = {}, onUpdate?: (update: BuildUpdate) => void): BuildHandle {
  return startBuild({
    dockerPath: engine.docker,
    builder: engine.builder,
    progress: engine.progress,
    dockerfile: path.join(dir, 'Dockerfile'),
    manifestDir: manifestDirFor(dir),
    ...options,
    extraArgs: ['--network=host', ...(options.extraArgs ?? [])],
  }, onUpdate);
}

export async function profile(engine: Engine, dir: string, options: Partial<BuildOptions> = {}): Promise<BuildResult> {
  return build(engine, dir, options).done;
}

/** A temp folder holding `files` (name → content), for Dockerfiles of a test's own. */
export function project(files: Record<string, string>): string {
  const dir = tempDir('gdc-engine-case-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** A word no earlier build has seen, so no layer of an earlier run is reused. */
export function unique(): string {
  return randomBytes(6).toString('hex');
}

/** The step whose instruction contains `text`; fails the test with what there was instead. */
export function stepWith(result: BuildResult, text: string): StepAnnotation {
  const step = result.steps.find((s) => s.instruction.includes(text));
  if (!step) throw new Error(`no step containing "${text}" in ${JSON.stringify(result.steps.map((s) => s.instruction))}`);
  return step;
}

/** The Dockerfile `fix` writes for the one in `dir`, from the built CLI. */
export function fixedDockerfile(dir: string): string {
  const cli = path.join(ROOT, 'server', 'out', 'cli.js');
  if (!fs.existsSync(cli)) {
    const bundle = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (bundle.status !== 0) throw new Error(`npm run build failed: ${bundle.stderr}`);
  }
  const fix = spawnSync(process.execPath, [cli, 'fix', '--stdout', path.join(dir, 'Dockerfile')], { cwd: dir, encoding: 'utf8' });
  if (fix.error || !/^\s*FROM\b/im.test(fix.stdout)) {
    throw new Error(`"go-dockerfile-cache fix --stdout" gave no Dockerfile (status ${fix.status}): ${fix.stderr || fix.error?.message}`);
  }
  return fix.stdout;
}

/** Process ids of every live process in a process group, read from /proc. */
export function processesInGroup(pgid: number): number[] {
  return listProcesses().filter((p) => p.pgid === pgid && p.state !== 'Z').map((p) => p.pid);
}

/** Live processes whose command line contains `text`. */
export function processesRunning(text: string): number[] {
  return listProcesses().filter((p) => p.pid !== process.pid && p.command.includes(text)).map((p) => p.pid);
}

export { eventually } from '../helpers/eventually';
