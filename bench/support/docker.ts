// docker build as the benchmark runs it: `docker buildx build` on current BuildKit (the
// `gdc-buildkit` builder that scripts/engine/setup.sh creates), plain progress, host networking
// (the Go module proxy listens on 127.0.0.1), one build at a time.
import * as path from 'node:path';
import { PlainProgressParser, VertexTable } from '../../server/src/profile/index';
import { tail, timedRun } from './process';

/** The docker client on PATH, as a user runs it. */
export const DOCKER = 'docker';
export const BUILDER = process.env.GDC_BENCH_BUILDER ?? 'gdc-buildkit';
/** The offline Go module proxy of scripts/engine/setup.sh; the bench Dockerfiles declare `ARG GOPROXY`. */
export const GOPROXY = process.env.GDC_BENCH_GOPROXY ?? 'http://127.0.0.1:5001';
export const BUILD_ENV = { ...process.env };

export interface StepTime {
  name: string;
  ms: number;
  cached: boolean;
}

export interface BuildTiming {
  ms: number;
  /** Steps by time taken, slowest first: the profile that says where a build's time goes. */
  steps: StepTime[];
}

/**
 * The build, untagged: the builder's driver (remote) keeps results in its build cache, and
 * loading an image into dockerd would add an export no rebuild of a developer's needs.
 */
export function plainBuildArgs(dockerfile: string): string[] {
  return ['buildx', 'build', '--builder', BUILDER, '--progress=plain', '--file', path.resolve(dockerfile), '--build-arg', `GOPROXY=${GOPROXY}`, '--network=host', path.dirname(path.resolve(dockerfile))];
}

/** What the builder runs, e.g. `BuildKit v0.34.2 (buildx v0.38.2, builder gdc-buildkit)`; undefined when it does not answer. */
export async function engineDescription(): Promise<string | undefined> {
  const inspect = await timedRun(DOCKER, ['buildx', 'inspect', '--bootstrap', BUILDER]);
  const buildkit = /^BuildKit version:\s*(\S+)/m.exec(inspect.output)?.[1];
  if (inspect.code !== 0 || !buildkit) return undefined;
  const buildx = /\s(v\d+\.\d+\.\d+\S*)/.exec((await timedRun(DOCKER, ['buildx', 'version'])).output)?.[1] ?? 'unknown';
  return `BuildKit ${buildkit} (buildx ${buildx}, builder ${BUILDER})`;
}

export function stepTimes(output: string): StepTime[] {
  const parser = new PlainProgressParser();
  const table = new VertexTable();
  table.applyAll([...parser.push(output), ...parser.end()]);
  return table.vertices()
    .map((v) => ({ name: v.name, ms: v.durationMs ?? 0, cached: v.state === 'cached' }))
    .sort((a, b) => b.ms - a.ms);
}

/** Builds and times a Dockerfile whose build context is its own folder; throws when the build fails. */
export async function timedBuild(dockerfile: string): Promise<BuildTiming> {
  const run = await timedRun(DOCKER, plainBuildArgs(dockerfile), { env: BUILD_ENV });
  if (run.code !== 0) throw new Error(`docker buildx build of ${dockerfile} failed:\n${tail(run.output)}`);
  return { ms: run.ms, steps: stepTimes(run.output) };
}

/** Removes the cache mounts earlier runs left on the builder. */
export async function pruneCacheMounts(): Promise<void> {
  await timedRun(DOCKER, ['buildx', 'prune', '--builder', BUILDER, '--force', '--filter', 'type=exec.cachemount'], { env: BUILD_ENV });
}
