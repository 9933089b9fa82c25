// docker build as the benchmark runs it: Debian's docker 20.10 client with BuildKit and plain
// progress, host networking (the module proxy listens on 127.0.0.1), one build at a time.
import * as path from 'node:path';
import { PlainProgressParser, VertexTable } from '../../server/src/profile/index';
import { tail, timedRun } from './process';

export const DOCKER = '/usr/bin/docker';
export const BUILD_ENV = { ...process.env, DOCKER_BUILDKIT: '1' };
/** Label on every image the benchmark builds, so its leftovers can be removed and nothing else. */
export const BENCH_LABEL = 'go-dockerfile-cache.bench=1';

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

export function plainBuildArgs(dockerfile: string, tag: string): string[] {
  return ['build', '--progress=plain', '--file', path.resolve(dockerfile), '--tag', tag, '--label', BENCH_LABEL, '--network=host', path.dirname(path.resolve(dockerfile))];
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
export async function timedBuild(dockerfile: string, tag: string): Promise<BuildTiming> {
  const run = await timedRun(DOCKER, plainBuildArgs(dockerfile, tag), { env: BUILD_ENV });
  if (run.code !== 0) throw new Error(`docker build of ${dockerfile} failed:\n${tail(run.output)}`);
  return { ms: run.ms, steps: stepTimes(run.output) };
}

export async function docker(args: readonly string[], input?: string): Promise<string> {
  const run = await timedRun(DOCKER, args, { env: BUILD_ENV, input });
  if (run.code !== 0) throw new Error(`docker ${args.join(' ')} failed:\n${tail(run.output)}`);
  return run.output;
}

/** Whether the daemon answers and has an image. */
export async function hasImage(reference: string): Promise<boolean> {
  return (await timedRun(DOCKER, ['image', 'inspect', reference])).code === 0;
}

/** Removes the benchmark's untagged images (each rebuild leaves the previous one behind). */
export async function removeDanglingBenchImages(): Promise<void> {
  await timedRun(DOCKER, ['image', 'prune', '--force', '--filter', 'dangling=true', '--filter', `label=${BENCH_LABEL}`]);
}
