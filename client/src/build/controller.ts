// "Build and Profile": checks trust, saves the Dockerfile, runs the build under a cancellable
// progress notification, streams its log to the output channel and its steps into the store.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BuildSummary, StepAnnotation } from '../../../server/src/build/model';
import { allBuildArgs, describeBuildArg, describeExtraArgs, maskStep, secretMasker } from './secrets';
import { readBuildSettings, type BuildSettings } from './settings';
import type { BuildAnnotations } from './store';
import { summaryReport } from './summary';
import { oneLine } from './text';

export interface BuildListeners {
  onSteps(steps: readonly StepAnnotation[]): void;
  onLog(line: string): void;
}

export interface BuildRun {
  done: Promise<{ steps: readonly StepAnnotation[]; summary: BuildSummary }>;
  cancel(): void;
}

export type StartBuild = (settings: BuildSettings, listeners: BuildListeners) => BuildRun;

export const UNTRUSTED_MESSAGE =
  'Go Dockerfile: Build and Profile is disabled in an untrusted workspace, because it runs docker with this workspace\'s Dockerfile, build context and settings. Trust the workspace to build.';

export class BuildController {
  private readonly running = new Map<string, { run: BuildRun; ended: Promise<unknown> }>();

  constructor(
    private readonly store: BuildAnnotations,
    private readonly output: vscode.OutputChannel,
    private readonly startBuild: StartBuild,
  ) {}

  async buildAndProfile(target?: string | vscode.Uri): Promise<BuildSummary | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE, 'Manage Workspace Trust').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return undefined;
    }
    const document = await this.dockerfile(target);
    if (!document) return undefined;
    if (document.isDirty && !(await document.save())) {
      void vscode.window.showErrorMessage(`Go Dockerfile: could not save ${path.basename(document.fileName)}, so it was not built.`);
      return undefined;
    }
    const uri = document.uri.toString();
    await this.cancel(uri);

    const settings = readBuildSettings((key) => vscode.workspace.getConfiguration('goDockerfileCache', document.uri).get(key), document.uri.fsPath);
    const mask = secretMasker(allBuildArgs(settings.buildArgs, settings.extraArgs));
    this.store.start(uri);
    this.output.appendLine(`\n=== ${new Date().toLocaleString()} · building ${settings.dockerfile}`);
    this.output.appendLine(describeSettings(settings));

    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Building ${path.basename(settings.dockerfile)}`, cancellable: true },
      async (progress, token) => {
        const run = this.startBuild(settings, {
          onSteps: (steps) => {
            const masked = steps.map((step) => maskStep(step, mask));
            this.store.update(uri, masked);
            const current = masked.find((step) => step.state === 'running');
            if (current) progress.report({ message: oneLine(current.instruction, 80) });
          },
          onLog: (line) => this.output.appendLine(mask(line)),
        });
        const ended = run.done.catch(() => undefined);
        this.running.set(uri, { run, ended });
        const cancelation = token.onCancellationRequested(() => run.cancel());
        try {
          const { steps, summary } = await run.done;
          const masked = { ...summary, slowest: summary.slowest.map((step) => maskStep(step, mask)), ...(summary.error === undefined ? {} : { error: mask(summary.error) }) };
          this.store.finish(uri, steps.map((step) => maskStep(step, mask)), masked);
          for (const line of summaryReport(masked)) this.output.appendLine(line);
          this.reportFailure(masked, steps);
          return masked;
        } finally {
          cancelation.dispose();
          if (this.running.get(uri)?.run === run) this.running.delete(uri);
        }
      },
    );
  }

  /** Stops the build of `uri` and waits until it has reported its end. */
  async cancel(uri: string): Promise<void> {
    const build = this.running.get(uri);
    if (!build) return;
    build.run.cancel();
    await build.ended;
  }

  dispose(): void {
    for (const { run } of this.running.values()) run.cancel();
  }

  private async dockerfile(target: string | vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target;
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || document.uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Go Dockerfile: open a Dockerfile saved on disk to build and profile it.');
      return undefined;
    }
    return document;
  }

  private reportFailure(summary: BuildSummary, steps: readonly StepAnnotation[]): void {
    if (summary.canceled || summary.error === undefined) return;
    const failed = steps.find((step) => step.state === 'error');
    // Without a failing step the build never got going: docker missing, daemon down, no BuildKit.
    const message = failed ? `Go Dockerfile: the build failed on line ${failed.line + 1}: ${oneLine(summary.error, 200)}` : `Go Dockerfile: ${summary.error}`;
    void vscode.window.showErrorMessage(message, 'Show Output').then((choice) => {
      if (choice) this.output.show(true);
    });
  }
}

function describeSettings(settings: BuildSettings): string {
  const lines = [`context: ${settings.context}`];
  if (settings.target) lines.push(`target: ${settings.target}`);
  if (settings.tag) lines.push(`tag: ${settings.tag}`);
  for (const [name, value] of Object.entries(settings.buildArgs)) lines.push(`build arg: ${describeBuildArg(name, value)}`);
  if (settings.extraArgs.length > 0) lines.push(`extra args: ${describeExtraArgs(settings.extraArgs).join(' ')}`);
  return lines.join('\n');
}
