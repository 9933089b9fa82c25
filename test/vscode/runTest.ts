// Runs the editor suite in a real VS Code twice: once with the extension from
// the source tree, once with the packaged .vsix installed the way users get it.
// A desktop VS Code is used when one is available; otherwise the launcher,
// which takes the same arguments and runs code-server in headless chromium.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { clientAbsent, prepareWorkspace, removeScratch, root, scratch, vsixPath } from './project';

const suiteIndex = path.join(__dirname, 'out/suite/index.js');
const launcher = path.join(__dirname, 'launcher/code');

const say = (text: string): void => console.log(`[test:vscode] ${text}`);

interface VSCode {
  executable: string;
  /** The command that installs extensions: the desktop CLI, or the launcher itself. */
  cli: string[];
}

async function chooseVSCode(): Promise<VSCode> {
  const desktop = (executable: string): VSCode => {
    const [cli, ...args] = resolveCliArgsFromVSCodeExecutablePath(executable, { reuseMachineInstall: true });
    return { executable, cli: [cli, ...args] };
  };
  if (process.env.VSCODE_EXECUTABLE_PATH) return desktop(process.env.VSCODE_EXECUTABLE_PATH);
  try {
    const executable = await downloadAndUnzipVSCode({ timeout: 15_000 });
    if (process.platform !== 'linux' || process.env.DISPLAY) return desktop(executable);
    say('a desktop VS Code was downloaded but there is no DISPLAY to show it');
  } catch (error) {
    say(`no desktop VS Code (${error instanceof Error ? error.message : String(error)})`);
  }
  say('using code-server in headless chromium (test/vscode/launcher)');
  return { executable: launcher, cli: [launcher] };
}

function run(command: string[], what: string): void {
  say(what);
  const result = spawnSync(command[0], command.slice(1), { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal})`);
}

/** Build tests need a daemon; the engine's setup provides one where it can. */
function ensureDockerDaemon(): void {
  const setup = path.join(root, 'scripts/engine/setup.sh');
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0 || !existsSync(setup)) return;
  const result = spawnSync('bash', [setup], { stdio: 'inherit' });
  if (result.status !== 0) say(`scripts/engine/setup.sh failed (exit ${result.status}); build tests will say so`);
}

async function runSuite(vscode: VSCode, label: string, extensionDevelopmentPath: string, extensionsDir: string, from: string): Promise<void> {
  say(`suite: ${label}`);
  await runTests({
    vscodeExecutablePath: vscode.executable,
    extensionDevelopmentPath,
    extensionTestsPath: suiteIndex,
    launchArgs: [prepareWorkspace(), `--user-data-dir=${scratch('user')}`, `--extensions-dir=${extensionsDir}`],
    extensionTestsEnv: { GDC_VSCODE_EXTENSION_FROM: from, GDC_VSCODE_CLIENT_ABSENT: clientAbsent ? '1' : '0' },
  });
}

async function main(): Promise<void> {
  const vscode = await chooseVSCode();
  ensureDockerDaemon();
  // Packaging builds the bundles both runs load.
  if (!clientAbsent) run(['npm', 'run', '--silent', 'package'], 'packaging the extension (npm run package)');
  await runSuite(vscode, 'extension from the source tree', root, scratch('extensions'), `source:${root}`);

  if (clientAbsent) {
    say('skipping the .vsix run: client/src/extension.ts does not exist yet, so there is nothing to package');
    return;
  }
  const vsix = vsixPath();
  const extensionsDir = scratch('extensions');
  run([...vscode.cli, `--extensions-dir=${extensionsDir}`, `--user-data-dir=${scratch('user')}`, '--install-extension', vsix], `installing ${path.basename(vsix)}`);
  // Development mode needs a path; an empty one leaves the installed .vsix as the only copy.
  await runSuite(vscode, 'extension installed from the .vsix', scratch('no-development-extension'), extensionsDir, `vsix:${extensionsDir}`);
}

main().then(
  () => {
    removeScratch();
    process.exit(0);
  },
  (error: unknown) => {
    console.error(`[test:vscode] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
