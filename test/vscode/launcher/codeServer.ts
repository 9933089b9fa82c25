// Starts code-server (a real VS Code server: workbench + Node extension host)
// from the tools that test/vscode/setup.sh installed outside the repository.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';

export interface Tools {
  node24Bin: string;
  codeServer: string;
  chromium: string;
}

export const toolsCacheDir = process.env.GDC_VSCODE_CACHE ?? '/var/cache/gdc-vscode';

export function readTools(): Tools {
  const envFile = path.join(toolsCacheDir, 'env');
  if (!existsSync(envFile)) {
    throw new Error(`${envFile} is missing: run test/vscode/setup.sh first`);
  }
  const values = new Map<string, string>();
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const match = /^(\w+)=(.*)$/.exec(line);
    if (match) values.set(match[1], match[2]);
  }
  const get = (key: string): string => {
    const value = values.get(key);
    if (!value || !existsSync(value)) throw new Error(`${envFile}: ${key} does not name an existing path; run test/vscode/setup.sh`);
    return value;
  };
  return { node24Bin: get('GDC_NODE24_BIN'), codeServer: get('GDC_CODE_SERVER'), chromium: get('GDC_CHROMIUM') };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Profile {
  userDataDir: string;
  extensionsDir: string;
}

const baseArgs = ['--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--config', '/dev/null'];

function spawnCodeServer(tools: Tools, profile: Profile, args: string[], extraEnv: Record<string, string> = {}): ChildProcess {
  // The extension host inherits this environment, which is how tests get their settings.
  const env = { ...process.env, ...extraEnv, PATH: `${tools.node24Bin}${path.delimiter}${process.env.PATH ?? ''}` };
  return spawn(tools.codeServer, [...baseArgs, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
}

/** Installs a packaged extension the way a user would, with code-server's CLI. */
export async function installExtension(tools: Tools, profile: Profile, vsix: string, log: (text: string) => void): Promise<number> {
  const child = spawnCodeServer(tools, profile, ['--install-extension', vsix, '--force']);
  child.stdout?.on('data', (d: Buffer) => log(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString()));
  return exitCode(child);
}

export interface RunningCodeServer {
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Lets the page run extension tests and report through codeAutomationLog/Exit. */
  smokeTestDriver?: boolean;
  log: (text: string) => void;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Resolves once code-server says it listens and /healthz answers. */
export async function startCodeServer(tools: Tools, profile: Profile, options: StartOptions): Promise<RunningCodeServer> {
  const port = await freePort();
  const args = ['--bind-addr', `127.0.0.1:${port}`];
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child = spawnCodeServer(tools, profile, args, options.env);
  const exited = exitCode(child);
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  let output = '';
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs}ms:\n${output}`)), timeoutMs);
    const onData = (data: Buffer): void => {
      const text = data.toString();
      output += text;
      options.log(text);
      if (output.includes('HTTP server listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code} before listening:\n${output}`));
    });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await listening;
    const health = await fetch(`${url}/healthz`);
    if (!health.ok) throw new Error(`code-server /healthz answered ${health.status}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
