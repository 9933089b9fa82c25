// Part 3: what `go-dockerfile-cache profile` adds to the wall time of the same `docker build`:
// parsing the progress, snapshotting the context for miss reasons, printing the annotated file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildxPluginInstalled } from '../server/src/profile/docker';
import { BUILD_ENV, BUILDER, DOCKER, GOPROXY, plainBuildArgs } from './support/docker';
import { tail, timedRun } from './support/process';
import { median } from './support/stats';
import { editSource } from './rebuild';

export interface OverheadScenario {
  scenario: string;
  dockerMs: number[];
  profileMs: number[];
  medianDockerMs?: number;
  medianProfileMs?: number;
  unavailable?: string;
}

export interface OverheadOptions {
  repoRoot: string;
  /** A project whose Dockerfile was built before, so its layers and cache mounts are warm. */
  projectDir: string;
  dockerfile: string;
  runs: number;
  log: (line: string) => void;
}

async function checked(command: string, args: string[]): Promise<number> {
  const run = await timedRun(command, args, { env: BUILD_ENV });
  if (run.code !== 0) throw new Error(`${path.basename(command)} ${args.slice(0, 3).join(' ')} failed:\n${tail(run.output)}`);
  return run.ms;
}

async function scenario(name: string, options: OverheadOptions, change: boolean): Promise<OverheadScenario> {
  const cli = path.join(options.repoRoot, 'server/out/cli.js');
  const dockerfile = path.join(options.projectDir, options.dockerfile);
  const result: OverheadScenario = { scenario: name, dockerMs: [], profileMs: [] };
  // Same build both ways: the same builder, Dockerfile, context, build arg and --network=host.
  const plain = plainBuildArgs(dockerfile);
  const profile = [cli, 'profile', '--no-color', '--builder', BUILDER, dockerfile, '--', '--build-arg', `GOPROXY=${GOPROXY}`, '--network=host'];
  await checked(DOCKER, plain); // warm-up: everything after this is a cached build
  for (let run = 1; run <= options.runs; run++) {
    // Alternate which goes first so that drift in machine load hits both alike.
    const order = run % 2 ? ['docker', 'profile'] : ['profile', 'docker'];
    for (const which of order) {
      if (change) editSource(options.projectDir, `profile overhead, ${which} ${run}`);
      if (which === 'docker') result.dockerMs.push(await checked(DOCKER, plain));
      else result.profileMs.push(await checked(process.execPath, profile));
    }
  }
  result.medianDockerMs = median(result.dockerMs);
  result.medianProfileMs = median(result.profileMs);
  options.log(`profile overhead, ${name}: docker ${(result.medianDockerMs / 1000).toFixed(2)} s, profile ${(result.medianProfileMs / 1000).toFixed(2)} s`);
  return result;
}

export async function benchProfileOverhead(options: OverheadOptions): Promise<OverheadScenario[]> {
  const names = ['no change (every step cached)', 'one-line change (cached dependencies)'];
  if (!fs.existsSync(path.join(options.repoRoot, 'server/out/cli.js'))) return names.map((scenario) => ({ scenario, dockerMs: [], profileMs: [], unavailable: 'server/out/cli.js is not built' }));
  const results: OverheadScenario[] = [];
  for (const [i, name] of names.entries()) {
    try {
      results.push(await scenario(name, options, i === 1));
    } catch (error) {
      results.push({ scenario: name, dockerMs: [], profileMs: [], unavailable: (error as Error).message });
    }
  }
  return results;
}

export interface FixedCosts {
  nodeStartMs: number;
  /** `node server/out/cli.js --version`: Node plus what `profile` loads before it starts docker. */
  cliStartMs: number;
  /** `node server/out/cli.js rules`: Node plus the whole CLI with the analysis core, which `profile` loads while docker runs. */
  cliFullLoadMs?: number;
  /**
   * `profile` with a docker that is not there, on the measured Dockerfile: Node, the CLI and the
   * choice of the build context (reading the repository's builds of the file), up to starting docker.
   */
  contextChosenMs?: number;
  /**
   * `profile` asks docker whether buildx knows rawjson progress before each build, when the buildx
   * plugin is installed; undefined when it is not (no probe then).
   */
  buildxProbeMs?: number;
}

/** What `profile` pays whatever the build: the parts of its overhead that can be timed alone. */
export async function fixedCosts(repoRoot: string, dockerfile: string): Promise<FixedCosts> {
  const medianOf = async (command: string, args: string[]) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push((await timedRun(command, args)).ms);
    return median(times);
  };
  const cli = path.join(repoRoot, 'server/out/cli.js');
  return {
    nodeStartMs: await medianOf(process.execPath, ['-e', '']),
    cliStartMs: await medianOf(process.execPath, [cli, '--version']),
    cliFullLoadMs: await medianOf(process.execPath, [cli, 'rules']),
    contextChosenMs: await medianOf(process.execPath, [cli, 'profile', '--docker', path.join(path.dirname(dockerfile), 'no-such-docker'), dockerfile]),
    buildxProbeMs: buildxPluginInstalled() ? await medianOf(DOCKER, ['buildx', 'build', '--help']) : undefined,
  };
}
