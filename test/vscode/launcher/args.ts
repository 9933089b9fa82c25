// Reads the desktop `code` command line that @vscode/test-electron (and people)
// pass, so the launcher can stand in for a desktop VS Code executable.
import { statSync } from 'node:fs';
import * as path from 'node:path';

export interface LaunchRequest {
  extensionDevelopmentPaths: string[];
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  installExtensions: string[];
  folder?: string;
  files: string[];
  ignored: string[];
}

// Desktop-only switches with no code-server counterpart; the web workbench
// already behaves as they ask (no updates, no welcome page, no sandbox).
const desktopOnly = new Set([
  'no-sandbox',
  'disable-gpu-sandbox',
  'disable-gpu',
  'disable-updates',
  'skip-welcome',
  'skip-release-notes',
  'disable-workspace-trust',
  'disable-telemetry',
  'new-window',
  'force',
]);
const withValue = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'install-extension']);

export function parseLaunchArgs(argv: string[], cwd = process.cwd()): LaunchRequest {
  const request: LaunchRequest = { extensionDevelopmentPaths: [], installExtensions: [], files: [], ignored: [] };
  const absolute = (p: string): string => path.resolve(cwd, p);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      const target = absolute(arg);
      if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
        if (request.folder) throw new Error(`only one folder can be opened, got ${request.folder} and ${target}`);
        request.folder = target;
      } else {
        request.files.push(target);
      }
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (desktopOnly.has(name)) {
      request.ignored.push(arg);
      continue;
    }
    if (!withValue.has(name)) throw new Error(`unsupported argument ${arg}`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new Error(`${arg} needs a value`);
    switch (name) {
      case 'extensionDevelopmentPath': request.extensionDevelopmentPaths.push(absolute(value)); break;
      case 'extensionTestsPath': request.extensionTestsPath = absolute(value); break;
      case 'user-data-dir': request.userDataDir = absolute(value); break;
      case 'extensions-dir': request.extensionsDir = absolute(value); break;
      // An id (publisher.name) goes to the gallery as is; a .vsix is a path.
      case 'install-extension': request.installExtensions.push(value.endsWith('.vsix') ? absolute(value) : value); break;
    }
  }
  return request;
}
