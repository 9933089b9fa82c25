// "Build and Profile": checks trust, saves the Dockerfile, runs the build under a cancellable
// progress notification, streams its log to the output channel and its steps into the store.
// The runner redacts secret build-arg values from everything it reports.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BuildSummary, StepAnnotation } from '../../../server/src/profile/model';
import { renderSummary } from '../../../server/src/profile/render';
import type { BuildHandle, startBuild } from '../../../server/src/profile/runner';
import { COMMANDS } from './commands';
import { buildSettingsOf, type ContextSource } from '../buildContext';
import { describeBuild } from './settings';
import type { BuildAnnotations } from './store';
import { firstLine } from '../../../server/src/profile/render';
import { buildRefusal } from './trust';

export class BuildController {
  private readonly running = new Map<string, BuildHandle>();

  constructor(
    private readonly store: BuildAnnotations,
    private readonly output: vscode.OutputChannel,
    private readonly start: typeof startBuild,
    /** Where the runner keeps what the last build saw, to explain the next one's cache misses. */
    private readonly manifestDir: string,
    private readonly contextOf: ContextSource,
  ) {}

  async buildAndProfile(target?: string | vscode.Uri): Promise<BuildSummary | undefined> {
    const refusal = buildRefusal(vscode.workspace);
    if (refusal !== undefined) {
      void vscode.window.showWarningMessage(refusal, 'Manage Workspace Trust').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return undefined;
    }
    const document = await this.dockerfile(target);
    if (!document) return undefined;
    if (document.isDirty && !(await document.save())) {
      void vscode.window.showErrorMessage(`Go Dockerfile: ${path.basename(document.fileName)} could not be saved, so it was not built.`);
      return undefined;
    }
    const uri = document.uri.toString();
    await this.cancel(uri);

    const settings = await buildSettingsOf(document.uri, this.contextOf);
    const options = { ...settings.options, manifestDir: this.manifestDir };
    this.store.start(uri);
    this.output.appendLine(`=== ${new Date().toLocaleString()}`);
    for (const line of describeBuild(options, settings.because)) this.output.appendLine(line);

    const title = `Building ${path.basename(options.dockerfile)}`;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const handle = this.start(options, ({ steps, lines }) => {
        this.store.update(uri, steps);
        for (const line of lines) this.output.appendLine(line);
        const current = steps.find((step) => step.state === 'running');
        if (current) progress.report({ message: firstLine(current.instruction, 80) });
      });
      this.running.set(uri, handle);
      const cancelation = token.onCancellationRequested(() => handle.cancel());
      try {
        const { steps, summary } = await handle.done;
        this.store.finish(uri, steps, summary);
        for (const line of renderSummary(summary, steps, { color: false })) this.output.appendLine(line);
        this.output.appendLine('');
        this.reportFailure(summary, steps);
        return summary;
      } finally {
        cancelation.dispose();
        if (this.running.get(uri) === handle) this.running.delete(uri);
      }
    });
  }

  /** Stops the build of `uri` and waits until it has reported its end. */
  async cancel(uri: string): Promise<void> {
    const handle = this.running.get(uri);
    if (!handle) return;
    handle.cancel();
    await handle.done;
  }

  dispose(): void {
    for (const handle of this.running.values()) handle.cancel();
  }

  private async dockerfile(target: string | vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target;
    const document = uri ? await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined) : vscode.window.activeTextEditor?.document;
    if (!document || document.uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Go Dockerfile: open a Dockerfile saved on disk to build and profile it.');
      return undefined;
    }
    return document;
  }

  private reportFailure(summary: BuildSummary, steps: readonly StepAnnotation[]): void {
    if (summary.canceled || summary.error === undefined) return;
    const failed = steps.find((step) => step.state === 'error');
    const where = failed ? `the build failed on line ${failed.line + 1}: ` : '';
    const actions = summary.unavailable === 'docker' ? ['Set Docker Path', 'Show Output'] : ['Show Output'];
    void vscode.window.showErrorMessage(`Go Dockerfile: ${where}${firstLine(summary.error, 300)}`, ...actions).then((choice) => {
      if (choice === 'Set Docker Path') void vscode.commands.executeCommand('workbench.action.openSettings', 'goDockerfileCache.docker.path');
      else if (choice) void vscode.commands.executeCommand(COMMANDS.showBuildOutput);
    });
  }
}
