// Just enough of the `vscode` module for the build controller to run in a plain node process:
// workspace trust, one setting section, an output channel, and the notifications it shows, all
// recorded. `controller()` loads the real BuildController against it.
import Module from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildController as Controller } from '../../client/src/profile/controller';
import { BuildAnnotations } from '../../client/src/profile/store';
import type { startBuild } from '../../server/src/profile/runner';

export interface FakeEditor {
  isTrusted: boolean;
  /** goDockerfileCache.* settings by key (`docker.path`, `build.extraArgs`…). */
  settings: Record<string, unknown>;
  warnings: string[];
  errors: string[];
  output: string[];
}

const editor: FakeEditor = { isTrusted: true, settings: {}, warnings: [], errors: [], output: [] };

function uriOf(file: string) {
  const href = pathToFileURL(file).href;
  return { scheme: 'file', fsPath: file, toString: () => href };
}

const vscode = {
  workspace: {
    get isTrusted() {
      return editor.isTrusted;
    },
    getConfiguration: () => ({ get: (key: string) => editor.settings[key] }),
    openTextDocument: async (uri: ReturnType<typeof uriOf>) => ({ uri, fileName: uri.fsPath, isDirty: false, save: async () => true }),
  },
  window: {
    activeTextEditor: undefined,
    showWarningMessage: async (message: string) => { editor.warnings.push(message); return undefined; },
    showErrorMessage: async (message: string) => { editor.errors.push(message); return undefined; },
    withProgress: <T>(_options: unknown, task: (progress: { report(value: unknown): void }, token: { onCancellationRequested(listener: () => void): { dispose(): void } }) => Promise<T>) =>
      task({ report: () => undefined }, { onCancellationRequested: () => ({ dispose: () => undefined }) }),
  },
  commands: { executeCommand: async () => undefined },
  ProgressLocation: { Notification: 15 },
};

const FAKE_ID = path.join(__dirname, 'vscode.fake');
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const loader = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
  const resolve = loader._resolveFilename;
  loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? FAKE_ID : resolve.call(this, request, ...rest);
  };
  const fake = new Module(FAKE_ID);
  fake.exports = vscode;
  fake.loaded = true;
  require.cache[FAKE_ID] = fake;
}

type Target = Parameters<Controller['buildAndProfile']>[0];

export interface ControllerUnderTest {
  editor: FakeEditor;
  controller: Controller;
  store: BuildAnnotations;
  /** The controller's argument for a Dockerfile: a file Uri with the fields it reads. */
  target(file: string): Target;
}

/** A BuildController with a fresh editor state, starting builds with `start`; no language server answers for the build context. */
export function controller(start: typeof startBuild, manifestDir: string): ControllerUnderTest {
  install();
  // Loaded only now, so its `import 'vscode'` finds the fake.
  const { BuildController } = require('../../client/src/profile/controller') as typeof import('../../client/src/profile/controller');
  Object.assign(editor, { isTrusted: true, settings: {}, warnings: [], errors: [], output: [] });
  const store = new BuildAnnotations();
  const channel = { appendLine: (line: string) => editor.output.push(line) } as unknown as ConstructorParameters<typeof BuildController>[1];
  const target = (file: string) => uriOf(file) as unknown as Target;
  return { editor, controller: new BuildController(store, channel, start, manifestDir, async () => undefined), store, target };
}
