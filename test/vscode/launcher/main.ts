// Stands in for a desktop VS Code executable where the Electron build cannot be
// downloaded: takes the same arguments, runs code-server (the same workbench and
// Node extension host), opens it in headless chromium, relays the extension
// tests' log and exits with their exit code, so a failing test fails the run.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseLaunchArgs, type LaunchRequest } from './args';
import { openBrowser, remoteUri, workbenchUrl } from './browser';
import { installExtension, readTools, startCodeServer, type Profile, type Tools } from './codeServer';

const testTimeoutMs = Number(process.env.GDC_VSCODE_RUN_TIMEOUT_MS ?? 40 * 60_000);
const verbose = process.env.GDC_VSCODE_VERBOSE === '1';
/** Marks the suite's own lines in the workbench log; see suite/index.ts. */
const relayTag = 'gdc-suite: ';

function profileFor(request: LaunchRequest): Profile {
  const scratch = (): string => mkdtempSync(path.join(tmpdir(), 'gdc-vscode-'));
  return { userDataDir: request.userDataDir ?? scratch(), extensionsDir: request.extensionsDir ?? scratch() };
}

async function install(tools: Tools, profile: Profile, request: LaunchRequest): Promise<number> {
  for (const vsix of request.installExtensions) {
    const code = await installExtension(tools, profile, vsix, (text) => process.stdout.write(text));
    if (code !== 0) return code;
  }
  return 0;
}

interface AutomationLogFile {
  relativePath: string;
  contents: string;
}

function saveLogs(profile: Profile, logs: AutomationLogFile[]): string {
  const dir = path.join(profile.userDataDir, 'automation-logs');
  for (const log of logs) {
    const file = path.join(dir, log.relativePath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, log.contents);
  }
  return dir;
}

async function runExtensionTests(tools: Tools, profile: Profile, request: LaunchRequest): Promise<number> {
  const serverLog = (text: string): void => void (verbose && process.stderr.write(`[code-server] ${text}`));
  const server = await startCodeServer(tools, profile, { smokeTestDriver: true, log: serverLog, env: { GDC_VSCODE_RELAY_TAG: relayTag } });
  const workbench = await openBrowser(tools.chromium);
  try {
    const { page } = workbench;
    let finish: (code: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => (finish = resolve));
    // The extension host's console arrives as the list of console.log's arguments.
    await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
      const message = Array.isArray(args) ? args.map(String).join(' ') : String(args);
      if (message.startsWith(relayTag)) process.stdout.write(`${message.slice(relayTag.length)}\n`);
      else if (verbose) process.stderr.write(`[workbench ${level}] ${message}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number, logs: AutomationLogFile[] = []) => {
      const dir = saveLogs(profile, logs);
      if (code !== 0) process.stderr.write(`extension host logs: ${dir}\n`);
      finish(code);
    });
    if (verbose) page.on('console', (message) => process.stderr.write(`[page ${message.type()}] ${message.text()}\n`));
    page.on('crash', () => finish(70));
    const payload: [string, string][] = request.extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', remoteUri(server.url, p)]);
    payload.push(['extensionTestsPath', remoteUri(server.url, request.extensionTestsPath!)]);
    if (request.files[0]) payload.push(['openFile', remoteUri(server.url, request.files[0])]);
    await page.goto(workbenchUrl(server.url, request.folder, payload));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        process.stderr.write(`extension tests did not finish within ${testTimeoutMs}ms\n`);
        resolve(124);
      }, testTimeoutMs);
    });
    const code = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    return code;
  } finally {
    await workbench.close();
    await server.stop();
  }
}

/** Without tests, serve the workbench until interrupted: handy to look at a failing setup. */
async function serveInteractively(tools: Tools, profile: Profile, request: LaunchRequest): Promise<number> {
  const server = await startCodeServer(tools, profile, { log: (text) => process.stderr.write(text) });
  const payload: [string, string][] = request.extensionDevelopmentPaths.map((p) => ['extensionDevelopmentPath', remoteUri(server.url, p)]);
  process.stdout.write(`${workbenchUrl(server.url, request.folder, payload)}\n`);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  process.stderr.write(`${signal}: stopping code-server\n`);
  await server.stop();
  return 0;
}

async function main(): Promise<number> {
  const request = parseLaunchArgs(process.argv.slice(2));
  if (verbose && request.ignored.length > 0) process.stderr.write(`desktop-only arguments ignored: ${request.ignored.join(' ')}\n`);
  const tools = readTools();
  const profile = profileFor(request);
  if (request.installExtensions.length > 0) return install(tools, profile, request);
  if (request.extensionTestsPath) return runExtensionTests(tools, profile, request);
  return serveInteractively(tools, profile, request);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
