// Shared by the engine tests: whether a real Docker daemon and the offline golang:1.19 image are
// here, temp copies of the examples, and real profiled builds of them.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BuildResult, StepAnnotation } from '../../server/src/profile/model';
import { startBuild, type BuildHandle, type BuildUpdate } from '../../server/src/profile/runner';
import type { BuildOptions } from '../../server/src/profile/docker';
import { listProcesses } from '../helpers/processes';
import { tempDir } from '../unit/profile/temp';

export const ROOT = path.join(__dirname, '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');
export const DOCKER = '/usr/bin/docker';
const IMAGE = 'golang:1.19';
const SETUP = 'scripts/engine/setup.sh';

/** What is missing for a real build, in words; undefined when everything is there. */
function missingEngine(): string | undefined {
  if (!fs.existsSync(DOCKER)) return `${DOCKER} is not installed (run ${SETUP} as root)`;
  const info = spawnSync(DOCKER, ['info'], { encoding: 'utf8', timeout: 30_000 });
  if (info.status !== 0) {
    // docker 20.10 prints the reason under "Server:" on stdout, not on stderr.
    const said = `${info.stdout ?? ''}\n${info.stderr ?? ''}\n${info.error?.message ?? ''}`.split('\n').find((l) => /ERROR|Cannot connect|denied/i.test(l)) ?? '';
    return `the Docker daemon does not answer "${DOCKER} info" (run ${SETUP} as root): ${said.trim()}`;
  }
  const image = spawnSync(DOCKER, ['image', 'inspect', IMAGE], { encoding: 'utf8', timeout: 30_000 });
  if (image.status !== 0) return `the offline image ${IMAGE} is missing (run ${SETUP} as root)`;
  return undefined;
}

const missing = missingEngine();

/**
 * `skip` option for engine suites. In CI (CI=true) a missing engine is a failure, reported by a
 * test of its own, never a skip.
 */
export const engineSkip: string | false = missing === undefined || process.env.CI === 'true' ? false : `engine tests skipped: ${missing}`;

if (missing !== undefined && process.env.CI === 'true') {
  test('a real Docker engine is available in CI', () => {
    throw new Error(`CI=true but ${missing}`);
  });
}
if (engineSkip) process.stderr.write(`${engineSkip}\n`);

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

/** Builds the project in `dir` for real; docker needs host networking on this kind of machine. */
export function build(dir: string, options: Partial<BuildOptions> = {}, onUpdate?: (update: BuildUpdate) => void): BuildHandle {
  return startBuild({
    dockerPath: DOCKER,
    dockerfile: path.join(dir, 'Dockerfile'),
    manifestDir: manifestDirFor(dir),
    ...options,
    extraArgs: ['--network=host', ...(options.extraArgs ?? [])],
  }, onUpdate);
}

export async function profile(dir: string, options: Partial<BuildOptions> = {}): Promise<BuildResult> {
  return build(dir, options).done;
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
