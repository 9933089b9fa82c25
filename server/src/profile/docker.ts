// How docker is invoked for a profiled build, and what its failures mean to the user. Always an
// argv array: Dockerfile paths, build args and extra args never pass through a shell.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type ProgressMode = 'plain' | 'rawjson';

export interface BuildOptions {
  /** Default: `docker` from PATH. */
  dockerPath?: string;
  /** buildx builder to build with (`--builder`); the build then goes through `docker buildx build`. Default: buildx's current builder. */
  builder?: string;
  dockerfile: string;
  /** Default: the Dockerfile's folder. */
  context?: string;
  target?: string;
  buildArgs?: Readonly<Record<string, string>>;
  extraArgs?: readonly string[];
  tag?: string;
  /** Where the per-Dockerfile manifests live; without it no miss reasons are given. */
  manifestDir?: string;
  /** Default: rawjson when `docker buildx` supports it, else plain. */
  progress?: ProgressMode;
  /** Time between SIGINT and SIGKILL when cancelling. Default 5 s. */
  cancelGraceMs?: number;
  /** docker's environment (DOCKER_HOST, DOCKER_CONTEXT…). Default: this process's. */
  env?: NodeJS.ProcessEnv;
}

const SECRET_NAME = /TOKEN|PASSWORD|PASSWD|SECRET|KEY|NETRC|AUTH|CREDENTIAL/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function resolveDockerPath(dockerPath?: string): string {
  return dockerPath && dockerPath.trim() !== '' ? dockerPath : 'docker';
}

function builderName(options: Pick<BuildOptions, 'builder'>): string | undefined {
  return options.builder && options.builder.trim() !== '' ? options.builder.trim() : undefined;
}

/** Whether the build goes through `docker buildx build` (rawjson progress, or a builder named). */
export function usesBuildx(options: Pick<BuildOptions, 'builder'>, mode: ProgressMode): boolean {
  return mode === 'rawjson' || builderName(options) !== undefined;
}

/** Whether the extra args already say where the result goes (`--load`, `--push`, `--output`). */
export function hasOutputArg(extraArgs: readonly string[] = []): boolean {
  return extraArgs.some((arg) => /^(--load|--push|--output|-o)(=|$)/.test(arg) || /^-o./.test(arg));
}

export function resolveContext(options: BuildOptions): string {
  return path.resolve(options.context && options.context !== '' ? options.context : path.dirname(path.resolve(options.dockerfile)));
}

/** Every `NAME=value` build arg, from the options and from `--build-arg` in the extra args. */
export function allBuildArgs(options: Pick<BuildOptions, 'buildArgs' | 'extraArgs'>): Record<string, string> {
  const args: Record<string, string> = { ...(options.buildArgs ?? {}) };
  const extra = options.extraArgs ?? [];
  for (let i = 0; i < extra.length; i++) {
    const arg = extra[i];
    const value = arg === '--build-arg' ? extra[++i] : arg.startsWith('--build-arg=') ? arg.slice('--build-arg='.length) : undefined;
    const eq = value?.indexOf('=') ?? -1;
    if (value !== undefined && eq > 0) args[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return args;
}

/** Replaces the values of secret-looking build args with `***` in anything shown or logged. */
export function secretRedactor(buildArgs: Readonly<Record<string, string>>): (text: string) => string {
  const secrets = Object.entries(buildArgs)
    .filter(([name, value]) => isSecretName(name) && value !== '')
    .map(([, value]) => value)
    .sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return (text) => text;
  const escaped = secrets.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(escaped.join('|'), 'g');
  return (text) => text.replace(pattern, '***');
}

export interface DockerInvocation {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

function hidesValue(name: string): boolean {
  return isSecretName(name) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** The extra args as given, except that a secret-looking `--build-arg NAME=value` leaves its value in `env`. */
function extraArgsWithoutSecrets(extra: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const args: string[] = [];
  for (let i = 0; i < extra.length; i++) {
    const inline = extra[i].startsWith('--build-arg=');
    const pair = inline ? extra[i].slice('--build-arg='.length) : extra[i] === '--build-arg' ? extra[i + 1] : undefined;
    const eq = pair?.indexOf('=') ?? -1;
    const name = pair !== undefined && eq > 0 ? pair.slice(0, eq) : '';
    if (!hidesValue(name)) {
      args.push(extra[i]);
      continue;
    }
    env[name] = pair!.slice(eq + 1);
    args.push('--build-arg', name);
    if (!inline) i++;
  }
  return args;
}

/**
 * The docker command line. Secret-looking build args, from the options or the extra args, go as
 * `--build-arg NAME` with the value in the environment, so it never shows in a process list.
 */
export function dockerInvocation(options: BuildOptions, mode: ProgressMode, output: { load?: boolean } = {}): DockerInvocation {
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  const builder = builderName(options);
  const args = usesBuildx(options, mode) ? ['buildx', 'build', ...(builder ? ['--builder', builder] : []), `--progress=${mode}`] : ['build', '--progress=plain'];
  if (!usesBuildx(options, mode)) env.DOCKER_BUILDKIT = '1';
  args.push('--file', path.resolve(options.dockerfile));
  if (options.target) args.push('--target', options.target);
  for (const [name, value] of Object.entries(options.buildArgs ?? {})) {
    if (hidesValue(name)) env[name] = value;
    args.push('--build-arg', hidesValue(name) ? name : `${name}=${value}`);
  }
  if (options.tag) args.push('--tag', options.tag);
  if (output.load) args.push('--load');
  args.push(...extraArgsWithoutSecrets(options.extraArgs ?? [], env));
  args.push(resolveContext(options));
  return { command: resolveDockerPath(options.dockerPath), args, env };
}

export interface CommandResult {
  /** null when the command could not be started or was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Both streams as they arrived. */
  output: string;
}

/** Runs a command to its end, collecting what it prints; never rejects. */
export function runCommand(command: string, args: string[], env?: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve) => {
    const result: CommandResult = { code: null, stdout: '', stderr: '', output: '' };
    let child;
    try {
      child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    } catch {
      resolve(result);
      return;
    }
    child.stdout.on('data', (d: Buffer) => {
      result.stdout += d.toString();
      result.output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      result.stderr += d.toString();
      result.output += d.toString();
    });
    child.on('error', () => resolve(result));
    child.on('close', (code) => resolve({ ...result, code }));
  });
}

const rawjsonSupport = new Map<string, Promise<boolean>>();

/** Where the docker CLI looks for plugins; buildx is `docker-buildx` in one of them. */
export function buildxPluginInstalled(): boolean {
  const config = process.env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker');
  const dirs = [path.join(config, 'cli-plugins'), '/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'];
  return dirs.some((dir) => existsSync(path.join(dir, 'docker-buildx')));
}

/** Whether `docker buildx build` exists and knows `--progress=rawjson` (buildx 0.12 and later). */
export function supportsRawJson(dockerPath: string): Promise<boolean> {
  let known = rawjsonSupport.get(dockerPath);
  if (!known) {
    // Looking for the plugin file first saves starting docker (about 50 ms) on every build
    // where buildx is not installed at all.
    known = !buildxPluginInstalled() ? Promise.resolve(false)
      : runCommand(dockerPath, ['buildx', 'build', '--help']).then(({ code, output }) => code === 0 && output.includes('rawjson'));
    rawjsonSupport.set(dockerPath, known);
  }
  return known;
}

/** The builder a build uses: its name and its buildx driver (`docker`, `docker-container`, `remote`…). */
export interface BuilderInfo {
  name: string;
  driver: string;
  /** As the builder's first node reports it; absent while the node is not running. */
  buildkitVersion?: string;
}

/** What `docker buildx inspect` printed, read for the builder's name, driver and BuildKit version. */
export function readBuilderInspect(output: string): Partial<BuilderInfo> {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(output)?.[1]?.trim();
  return { name: field('Name'), driver: field('Driver'), buildkitVersion: field('BuildKit version') ?? field('Buildkit') };
}

const builders = new Map<string, Promise<BuilderInfo | undefined>>();

/**
 * `docker buildx inspect [builder]`, read for the builder's name and driver; undefined when buildx
 * cannot say. Asked once per docker, builder and DOCKER_HOST/DOCKER_CONTEXT/BUILDX_BUILDER.
 */
export function inspectBuilder(dockerPath: string, builder: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<BuilderInfo | undefined> {
  const key = JSON.stringify([dockerPath, builder, env.DOCKER_HOST, env.DOCKER_CONTEXT, env.BUILDX_BUILDER, env.DOCKER_CONFIG]);
  let known = builders.get(key);
  if (!known) {
    known = runCommand(dockerPath, ['buildx', 'inspect', ...(builder ? [builder] : [])], env).then(({ code, output }) => {
      const { name, driver, buildkitVersion } = readBuilderInspect(output);
      return code === 0 && name && driver ? { name, driver, buildkitVersion } : undefined;
    });
    builders.set(key, known);
  }
  return known;
}

/** Drivers that keep the result in the builder unless told `--load` (docker-container, remote, kubernetes). */
export function driverLoadsImages(driver: string): boolean {
  return driver === 'docker';
}

/** Where the built image went, in words for the summary. */
export function imageDestination(tag: string | undefined, builder: BuilderInfo | undefined, loaded: boolean): string | undefined {
  if (loaded && builder) return `Image ${tag} loaded into docker from builder ${builder.name} (${builder.driver} driver)`;
  // Plain `docker build` may be buildx with any builder behind it (Docker 23+): say nothing.
  if (!builder) return undefined;
  if (driverLoadsImages(builder.driver)) return tag ? `Image ${tag} in docker's image store (builder ${builder.name})` : undefined;
  return `No image: the result stays in the build cache of builder ${builder.name} (${builder.driver} driver); set a tag to load it into docker`;
}

export function dockerNotFoundMessage(command: string): string {
  return `Docker is not installed: "${command}" was not found. Install Docker (on Debian: apt-get install docker.io) or set the docker path.`;
}

export interface StartFailure {
  unavailable?: 'docker' | 'daemon' | 'buildkit';
  message: string;
}

/** A failure before any step ran, said in words; undefined when docker's own message is the best. */
export function explainStartFailure(output: readonly string[]): StartFailure | undefined {
  const text = output.join('\n');
  if (/Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|docker daemon is not running|failed to connect to the docker API/i.test(text)) {
    return { unavailable: 'daemon', message: 'The Docker daemon is not running. Start it (for example `sudo systemctl start docker`, or `dockerd`) and build again.' };
  }
  if (/permission denied.*docker\.sock/i.test(text)) {
    return { unavailable: 'daemon', message: 'Permission denied on the Docker socket. Add your user to the docker group or run as a user who may use Docker.' };
  }
  if (/buildx component is missing|'buildx' is not a docker command|unknown command:? "?(docker )?buildx/i.test(text)) {
    return {
      unavailable: 'buildkit',
      message: 'The docker buildx plugin is missing, so this docker cannot build with BuildKit. Plain `docker build` would fall back to the deprecated legacy builder, which reports no steps to profile. Install buildx (Debian: docker-buildx; Docker\'s packages: docker-buildx-plugin) and build again.',
    };
  }
  if (/BuildKit is (not supported|disabled)|unknown flag: --progress|buildkit not supported|is not a docker command/i.test(text)) {
    return { unavailable: 'buildkit', message: 'BuildKit is missing: this docker cannot build with BuildKit. Install docker-buildx, or use Docker 18.09 or later with DOCKER_BUILDKIT=1.' };
  }
  if (/no builder .* found|failed to find builder/i.test(text)) {
    const said = output.map((line) => line.trim()).filter((line) => /builder/i.test(line)).pop() ?? '';
    return { unavailable: 'buildkit', message: `${said.replace(/^ERROR:\s*/, '')}. Check the builder setting (\`docker buildx ls\` lists the builders).` };
  }
  // docker's own argument check says what is wrong, then `See 'docker build --help'.` (buildx: its
  // usage, then `Run 'docker buildx build --help' for more information`); the usage explains nothing.
  const seeHelp = output.findIndex((line) => /^(See|Run) 'docker [\w -]*--help'( for more information)?\.?$/.test(line.trim()));
  const said = output.slice(0, Math.max(0, seeHelp)).map((line) => line.trim()).filter((line) => line !== '' && !/^Usage:/.test(line)).pop();
  if (said !== undefined) {
    return { message: `docker rejected its arguments: ${said.replace(/^ERROR:\s*(docker:\s*)?/, '').replace(/\.$/, '')}. Check the extra build arguments: each one reaches docker as a single argument, exactly as written.` };
  }
  return undefined;
}

/** The line that best says why a build failed: docker's last words, without the `ERROR:` prefix. */
export function lastErrorLine(output: readonly string[]): string | undefined {
  for (let i = output.length - 1; i >= 0; i--) {
    const line = output[i].trim();
    if (line === '' || /^-+$/.test(line)) continue;
    return line.replace(/^ERROR:\s*/, '');
  }
  return undefined;
}
