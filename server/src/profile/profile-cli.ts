// `go-dockerfile-cache profile [options] FILE [-- extra docker build args]`: builds the Dockerfile
// for real, then prints it with each step's outcome after its line and a summary. Exits with
// docker's status, 2 when docker, its daemon or BuildKit is missing or the arguments are wrong,
// 130 when interrupted.
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { buildsInValue, readCommandArgv, UsageError } from '../cli/argv';
import { defaultManifestDir } from './cacheDir';
import type { CiBuild } from '../analysis/ci/types';
import type { BuildOptions } from './docker';
import { renderAnnotatedDockerfile, renderSummary, formatDuration } from './render';
import { formatProfileJson } from './report-json';
import { profileMarkdown } from './summary-markdown';
import { startBuild } from './runner';

export interface ProfileIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export const PROFILE_USAGE = `Usage: go-dockerfile-cache profile [options] FILE [-- extra docker build args]

Builds FILE with BuildKit and prints it with each step's outcome: ✓ cached, its time,
✗ its error, or "not run"; then the total time, steps cached and the slowest steps.
The first step of each stage that missed the cache says why.

Options:
  --context DIR           build context (default: the one the repository's CI steps, compose
                          files and Makefiles build the file with, else the Dockerfile's folder)
  --target STAGE          build only up to this stage
  --build-arg NAME=VALUE  set a build arg (repeatable)
  -t, --tag NAME          tag the image
  --builder NAME          buildx builder to build with (docker buildx build --builder NAME)
  --docker PATH           docker binary (default: docker from PATH)
  --format text|json      the annotated Dockerfile (default), or the steps and summary as JSON
  --summary-file FILE     also append a Markdown table of the steps to FILE
                          (in GitHub Actions: --summary-file "$GITHUB_STEP_SUMMARY")
  --builds-in WHERE       auto (default), local or ci: where the image is built for real; the
                          summary says so, since cache mounts start empty on a CI runner
  --no-color              plain text even on a terminal
  -h, --help              show this help`;

interface ProfileArgs {
  file?: string;
  buildsIn: 'auto' | 'local' | 'ci';
  options: Omit<BuildOptions, 'dockerfile'>;
  color?: boolean;
  format: 'text' | 'json';
  summaryFile?: string;
  help: boolean;
}

const VALUE_FLAGS = new Set(['--context', '--target', '--build-arg', '-t', '--tag', '--docker', '--builder', '--format', '--summary-file', '--builds-in']);

export function parseProfileArgs(argv: readonly string[]): ProfileArgs {
  const args = argv[0] === 'profile' && argv.length > 1 ? argv.slice(1) : [...argv];
  const parsed: ProfileArgs = { options: { buildArgs: {}, extraArgs: [] }, format: 'text', help: false, buildsIn: 'auto' };
  const read = readCommandArgv(args, VALUE_FLAGS, (flag, value) => {
    if (flag === '--context') parsed.options.context = value;
    else if (flag === '--target') parsed.options.target = value;
    else if (flag === '--docker') parsed.options.dockerPath = value;
    else if (flag === '--builder') parsed.options.builder = value;
    else if (flag === '-t' || flag === '--tag') parsed.options.tag = value;
    else if (flag === '--summary-file') parsed.summaryFile = value;
    else if (flag === '--format') {
      if (value !== 'text' && value !== 'json') throw new UsageError(`--format must be text or json, not "${value}"`);
      parsed.format = value;
    } else if (flag === '--builds-in') parsed.buildsIn = buildsInValue(value);
    else {
      const split = value.indexOf('=');
      if (split <= 0) throw new UsageError(`--build-arg needs NAME=VALUE, got "${value.split('=')[0]}"`);
      parsed.options.buildArgs = { ...parsed.options.buildArgs, [value.slice(0, split)]: value.slice(split + 1) };
    }
  }, (arg) => {
    if (arg === '-h' || arg === '--help') parsed.help = true;
    else if (arg === '--no-color') parsed.color = false;
    else if (arg === '--color') parsed.color = true;
    else return false;
    return true;
  });
  parsed.file = read.file;
  parsed.options.extraArgs = read.extraArgs;
  return parsed;
}

export function wantsColor(io: ProfileIo, requested: boolean | undefined): boolean {
  if (requested !== undefined) return requested;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

function defaultIo(): ProfileIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export async function runProfileCommand(argv: string[], io: ProfileIo = defaultIo()): Promise<number> {
  let parsed: ProfileArgs;
  try {
    parsed = parseProfileArgs(argv);
  } catch (error) {
    io.stderr.write(`profile: ${(error as Error).message}\n\n${PROFILE_USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(`${PROFILE_USAGE}\n`);
    return 0;
  }
  if (parsed.file === undefined) {
    io.stderr.write(`profile: which Dockerfile? \n\n${PROFILE_USAGE}\n`);
    return 2;
  }
  const dockerfile = path.resolve(parsed.file);
  let text: string;
  try {
    if (!statSync(dockerfile).isFile()) throw new Error('not a file');
    text = readFileSync(dockerfile, 'utf8');
  } catch {
    io.stderr.write(`profile: cannot read ${parsed.file}\n`);
    return 2;
  }
  if (parsed.options.context !== undefined && !existsSync(parsed.options.context)) {
    io.stderr.write(`profile: build context ${parsed.options.context} does not exist\n`);
    return 2;
  }

  // Without --context, the context the repository's builds of the file use, as `check` reads it.
  let builds: CiBuild[] | undefined;
  if (parsed.options.context === undefined) {
    const chosen = await (await import('../analysis/ci/workspace')).chooseContextOnDisk(parsed.file, 'built with');
    builds = chosen.builds;
    parsed.options.context = chosen.dir;
    if (chosen.note) io.stderr.write(`note: ${chosen.note}\n`);
  }

  const color = wantsColor(io, parsed.color);
  const live = io.stderr.isTTY === true;
  const status = (line: string) => live && io.stderr.write(`\r\x1b[K${line}`);
  io.stderr.write(`Building ${path.relative(process.cwd(), dockerfile) || dockerfile}…${live ? '' : '\n'}`);

  const build = startBuild({ ...parsed.options, dockerfile, env: io.env, manifestDir: defaultManifestDir(io.env) }, ({ steps }) => {
    const running = steps.filter((s) => s.state === 'running');
    if (running.length > 0) status(`building: line ${running[0].line + 1} ${running[0].instruction.slice(0, 60)}${running.length > 1 ? ` (+${running.length - 1} more)` : ''}`);
  });
  const interrupt = () => build.cancel();
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  let result;
  try {
    result = await build.done;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    if (live) io.stderr.write('\r\x1b[K');
  }
  const { steps, summary } = result;
  if (parsed.summaryFile !== undefined) {
    try {
      appendFileSync(parsed.summaryFile, profileMarkdown(parsed.file, result));
    } catch (error) {
      io.stderr.write(`profile: cannot write the summary to ${parsed.summaryFile}: ${(error as Error).message}\n`);
    }
  }
  if (summary.unavailable) {
    io.stderr.write(`profile: ${summary.error}\n`);
    return 2;
  }
  if (parsed.format === 'json') io.stdout.write(formatProfileJson(parsed.file, result));
  else {
    const options = { color };
    io.stdout.write(`${renderAnnotatedDockerfile(text, steps, options).join('\n')}\n\n`);
    io.stdout.write(`${renderSummary(summary, steps, options).join('\n')}\n`);
    // Loaded after the build: the CI files are read only for this line.
    const { buildSiteOnDisk, readBuildsOnDisk } = await import('../analysis/ci/workspace');
    builds ??= await readBuildsOnDisk(dockerfile);
    const { describeBuildSite } = await import('../analysis/ci/describe');
    io.stdout.write(`${describeBuildSite(buildSiteOnDisk(dockerfile, parsed.buildsIn, io.env.CI, builds))}\n`);
  }
  if (summary.canceled) return 130;
  if (summary.exitCode === null) {
    if (summary.error === undefined) io.stderr.write(`profile: docker stopped after ${formatDuration(summary.totalMs)} without an exit status\n`);
    return 1;
  }
  return summary.exitCode;
}
