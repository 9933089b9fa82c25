// How docker is invoked for a profiled build, and what its failures mean to the user. Always an
// argv array: Dockerfile paths, build args and extra args never pass through a shell.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type ProgressMode = 'plain' | 'rawjson';

export interface BuildOptions {
  /** Default: /usr/bin/docker when it exists (Debian's docker.io), else `docker` from PATH. */
  dockerPath?: string;
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
  if (dockerPath && dockerPath.trim() !== '') return dockerPath;
  return existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
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
export function dockerInvocation(options: BuildOptions, mode: ProgressMode): DockerInvocation {
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  const args = mode === 'rawjson' ? ['buildx', 'build', '--progress=rawjson'] : ['build', '--progress=plain'];
  if (mode === 'plain') env.DOCKER_BUILDKIT = '1';
  args.push('--file', path.resolve(options.dockerfile));
  if (options.target) args.push('--target', options.target);
  for (const [name, value] of Object.entries(options.buildArgs ?? {})) {
    if (hidesValue(name)) env[name] = value;
    args.push('--build-arg', hidesValue(name) ? name : `${name}=${value}`);
  }
  if (options.tag) args.push('--tag', options.tag);
  args.push(...extraArgsWithoutSecrets(options.extraArgs ?? [], env));
  args.push(resolveContext(options));
  return { command: resolveDockerPath(options.dockerPath), args, env };
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    let child;
    try {
      child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      resolve({ code: null, output: '' });
      return;
    }
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', () => resolve({ code: null, output }));
    child.on('close', (code) => resolve({ code, output }));
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
      : run(dockerPath, ['buildx', 'build', '--help']).then(({ code, output }) => code === 0 && output.includes('rawjson'));
    rawjsonSupport.set(dockerPath, known);
  }
  return known;
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
  if (/buildx component is missing|BuildKit is (not supported|disabled)|unknown flag: --progress|buildkit not supported|is not a docker command/i.test(text)) {
    return { unavailable: 'buildkit', message: 'BuildKit is missing: this docker cannot build with BuildKit. Install docker-buildx, or use Docker 18.09 or later with DOCKER_BUILDKIT=1.' };
  }
  // docker's own argument check says what is wrong, then `See 'docker build --help'.` and its usage
  // text, whose last line ("Build an image from a Dockerfile") explains nothing.
  const seeHelp = output.findIndex((line) => /^See 'docker [\w -]*--help'\.?$/.test(line.trim()));
  const said = output.slice(0, Math.max(0, seeHelp)).map((line) => line.trim()).filter((line) => line !== '').pop();
  if (said !== undefined) {
    return { message: `docker rejected its arguments: ${said.replace(/\.$/, '')}. Check the extra build arguments: each one reaches docker as a single argument, exactly as written.` };
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
