// Shared steps of the editor suite. Every wait is on a VS Code event with a
// deadline, never a fixed sleep: a slow machine waits longer, a fast one less.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { suiteLog } from './log';

export const extensionId = 'go-dockerfile-cache.go-dockerfile-cache';
export const diagnosticSource = 'go-dockerfile-cache';
export const defaultWaitMs = 30_000;

export interface BuildAnnotation {
  line: number;
  state: 'running' | 'cached' | 'done' | 'error' | 'canceled' | 'not-run';
  text: string;
}

/** Skips with the reason printed, so a skip is never silent. */
export function skipBecause(context: Mocha.Context, reason: string): never {
  suiteLog(`      skipped: ${reason}`);
  context.skip();
}

/**
 * Activates the extension under test. The runner says when the client has not
 * been written yet; only then do extension tests skip instead of failing.
 */
export async function activateExtension(context: Mocha.Context): Promise<vscode.Extension<unknown>> {
  if (process.env.GDC_VSCODE_CLIENT_ABSENT === '1') skipBecause(context, 'client/src/extension.ts does not exist yet');
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `extension ${extensionId} is not installed in this VS Code`);
  await extension.activate();
  return extension;
}

export function workspaceUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test run opens the examples folder as the workspace');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

/**
 * A private copy of an example folder (Dockerfile and build context), so fixes
 * that edit the Dockerfile or create files never touch other tests' files.
 * Returns the copy's Dockerfile.
 */
export async function scratchCopy(example: string, suffix: string): Promise<vscode.Uri> {
  const copy = workspaceUri(`${example}-${suffix}`);
  await vscode.workspace.fs.copy(workspaceUri(example), copy, { overwrite: true });
  return vscode.Uri.joinPath(copy, 'Dockerfile');
}

export async function openEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

export async function closeAllAndDelete(...uris: vscode.Uri[]): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const uri of uris) await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
}

/**
 * Resolves with `check()`'s first defined result, checking now and again
 * whenever `event` fires. `check` may ask VS Code something (a promise).
 */
export function waitFor<T>(
  event: vscode.Event<unknown>,
  check: () => T | undefined | Thenable<T | undefined>,
  what: string | (() => string),
  timeoutMs = defaultWaitMs,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    let checking = false;
    let again = false;
    const finish = (settle: () => void): void => {
      done = true;
      clearTimeout(timer);
      listener.dispose();
      settle();
    };
    // One check at a time; events during a check ask for one more after it.
    const run = async (): Promise<void> => {
      if (done) return;
      if (checking) return void (again = true);
      checking = true;
      try {
        do {
          again = false;
          const result = await check();
          if (result !== undefined) return finish(() => resolve(result));
        } while (again && !done);
      } catch (error) {
        finish(() => reject(error));
      } finally {
        checking = false;
      }
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs}ms waiting for ${typeof what === 'string' ? what : what()}`))), timeoutMs);
    const listener = event(() => void run());
    void run();
  });
}

export function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === diagnosticSource);
}

/** Waits until the extension's diagnostics for `uri` satisfy `accept`. */
export function waitForDiagnostics(uri: vscode.Uri, accept: (diagnostics: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = defaultWaitMs): Promise<vscode.Diagnostic[]> {
  return waitFor(
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const current = ourDiagnostics(uri);
      return accept(current) ? current : undefined;
    },
    () => `${what} in ${vscode.workspace.asRelativePath(uri)} (have: ${describe(ourDiagnostics(uri))})`,
    timeoutMs,
  );
}

export function rules(diagnostics: vscode.Diagnostic[]): string[] {
  return diagnostics.map((d) => ruleOf(d) ?? '?').sort();
}

function describe(diagnostics: vscode.Diagnostic[]): string {
  return diagnostics.map((d) => `${ruleOf(d)}@${d.range.start.line + 1}`).join(', ') || 'none';
}

export function findRule(diagnostics: vscode.Diagnostic[], rule: string): vscode.Diagnostic {
  const found = diagnostics.find((d) => ruleOf(d) === rule);
  assert.ok(found, `${rule} is reported (have: ${describe(diagnostics)})`);
  return found;
}

/** Zero-based line of the first line whose trimmed text starts with `prefix`. */
export function lineStarting(document: vscode.TextDocument, prefix: string): number {
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text.trim().startsWith(prefix)) return line;
  }
  assert.fail(`no line starts with "${prefix}" in ${vscode.workspace.asRelativePath(document.uri)}`);
}

/**
 * The quick fixes the lightbulb offers on `range` that change the document.
 * The API drops the diagnostics an action is linked to, so the range is what
 * ties a fix to a finding.
 */
export async function quickFixesAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value,
  );
  return actions.filter((a): a is vscode.CodeAction => typeof a.command !== 'string').filter((a) => a.edit !== undefined);
}

/** Applies a code action the way the editor does: its edit, then its command. */
export async function applyCodeAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" applies`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** Waits for the document's text to differ from `before`. */
export function waitForChange(document: vscode.TextDocument, before: string): Promise<string> {
  return waitFor(vscode.workspace.onDidChangeTextDocument, () => (document.getText() !== before ? document.getText() : undefined), 'the document to change');
}

export async function setSetting(section: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('goDockerfileCache').update(section, value, vscode.ConfigurationTarget.Global);
}

/** The current-BuildKit builder scripts/engine/setup.sh creates; Build and Profile uses it through the builder setting. */
export const BUILDER = 'gdc-buildkit';

function builderAnswers(docker: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(docker, ['buildx', 'inspect', BUILDER], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) resolve(`\`${docker} buildx inspect ${BUILDER}\` failed: ${stderr.trim() || error.message}`);
      else resolve(/^BuildKit version:\s*v\d/m.test(stdout) ? undefined : `builder ${BUILDER} reports no BuildKit version:\n${stdout}`);
    });
  });
}

/** No builder: a CI run must fail (it promised a real build), a local run skips and says why. */
export async function requireBuilder(context: Mocha.Context): Promise<void> {
  const docker = vscode.workspace.getConfiguration('goDockerfileCache').get<string>('docker.path') || 'docker';
  const problem = await builderAnswers(docker);
  if (!problem) return;
  if (process.env.CI === 'true') assert.fail(`no ${BUILDER} builder in CI: ${problem}`);
  skipBecause(context, `no ${BUILDER} builder (${problem}); run scripts/engine/setup.sh`);
}

/** The sandbox has no bridge network, so builds use the host's; the setting's type decides the shape. */
export async function useHostNetwork(extension: vscode.Extension<unknown>): Promise<void> {
  const schema = (extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, { type?: string }> } } })
    .contributes?.configuration?.properties?.['goDockerfileCache.build.extraArgs'];
  await setSetting('build.extraArgs', schema?.type === 'string' ? '--network=host' : ['--network=host']);
}
