// "Go Dockerfile: Measure the Fix": builds the Dockerfile as it is and as `fix` writes it under a
// cancellable progress notification, shows the result beside the Dockerfile, and keeps it (and
// the measured times on the findings) until the Dockerfile changes. "Apply the fix" applies
// exactly the measured edit, and only to the text that was measured.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileChange } from '../../../server/src/analysis/model/types';
import type { MeasuredBuild } from '../../../server/src/features/measuredCost';
import { startMeasure, type MeasureOutcome, type MeasureReport } from '../../../server/src/measure/measure';
import { buildSettingsOf, type ContextSource } from '../buildContext';
import { buildRefusal } from '../profile/trust';
import { renderMeasureHtml } from './view';

interface Measured {
  report: MeasureReport;
  original: string;
  fixedText: string;
  files: FileChange[];
  context: string;
  panel?: vscode.WebviewPanel;
}

const DEFAULT_ROUNDS = 3;

/** The original variant's steps, on the lines of the text that was measured, for the findings. */
export function measuredBuildOf(report: MeasureReport): MeasuredBuild {
  return {
    origin: `the measured rebuild (median of ${report.rounds})`,
    steps: report.original.steps.map((s) => ({ line: s.line - 1, endLine: s.line - 1, instruction: s.instruction, seconds: s.cached ? undefined : s.seconds, cached: s.cached })),
  };
}

export class MeasureController {
  private readonly results = new Map<string, Measured>();
  /** What the last run on each Dockerfile told the user when it measured nothing. */
  private readonly refusals = new Map<string, string>();

  constructor(
    private readonly report: (uri: string, build: MeasuredBuild | null) => void,
    private readonly contextOf: ContextSource,
  ) {}

  result(uri: string): MeasureReport | undefined {
    return this.results.get(uri)?.report;
  }

  /** Why the last run on a Dockerfile measured nothing, in the words the user was shown. */
  refusal(uri: string): string | undefined {
    return this.refusals.get(uri);
  }

  /** The Dockerfile changed: its measurement is of another text now. */
  changed(document: vscode.TextDocument): void {
    const uri = document.uri.toString();
    const measured = this.results.get(uri);
    if (!measured || document.getText() === measured.original) return;
    this.results.delete(uri);
    this.report(uri, null);
  }

  async measureFix(target?: string | vscode.Uri): Promise<MeasureReport | undefined> {
    const refusal = buildRefusal(vscode.workspace);
    if (refusal !== undefined) {
      void vscode.window.showWarningMessage(refusal.replace('Build and Profile', 'Measure the Fix'));
      return undefined;
    }
    const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target ?? vscode.window.activeTextEditor?.document.uri;
    const document = uri ? await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined) : undefined;
    if (!document || document.uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Go Dockerfile: open a Dockerfile saved on disk to measure its fix.');
      return undefined;
    }
    if (document.isDirty && !(await document.save())) return undefined;
    const configuration = vscode.workspace.getConfiguration('goDockerfileCache', document.uri);
    const { options: settings } = await buildSettingsOf(document.uri, this.contextOf);
    const rounds = configuration.get<number>('measure.rounds');
    const builder = configuration.get<string>('build.builder');
    const name = path.basename(document.uri.fsPath);

    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Measuring the fix of ${name}`, cancellable: true }, (progress, token) => {
      const run = startMeasure({
        dockerfile: document.uri.fsPath,
        context: settings.context,
        dockerPath: settings.dockerPath,
        builder: typeof builder === 'string' && builder.trim() !== '' ? builder.trim() : undefined,
        extraArgs: settings.extraArgs ?? [],
        rounds: typeof rounds === 'number' && rounds >= 1 && rounds <= 50 ? Math.floor(rounds) : DEFAULT_ROUNDS,
        buildsIn: 'local',
        onProgress: (message) => progress.report({ message }),
      });
      token.onCancellationRequested(() => run.cancel());
      return run.done;
    });
    return this.show(document, outcome, settings.context ?? path.dirname(document.uri.fsPath));
  }

  private show(document: vscode.TextDocument, outcome: MeasureOutcome, context: string): MeasureReport | undefined {
    const uri = document.uri.toString();
    const refuse = (message: string, level: 'information' | 'error' | 'none'): undefined => {
      this.refusals.set(uri, message);
      if (level === 'information') void vscode.window.showInformationMessage(message);
      if (level === 'error') void vscode.window.showErrorMessage(message);
      return undefined;
    };
    switch (outcome.kind) {
      case 'nothing':
        return refuse(`Go Dockerfile: ${outcome.message}.`, 'information');
      case 'canceled':
        return refuse('Go Dockerfile: measuring was canceled.', 'none');
      case 'unusable':
        return refuse(`Go Dockerfile: cannot measure: ${outcome.message}`, 'error');
      case 'failed': {
        const where = outcome.line !== undefined ? ` on line ${outcome.line}` : '';
        return refuse(`Go Dockerfile: the ${outcome.variant} Dockerfile failed to build${where}: ${outcome.error}`, 'error');
      }
      case 'measured':
        break;
    }
    this.refusals.delete(uri);
    this.results.get(uri)?.panel?.dispose();
    const measured: Measured = { report: outcome.report, original: outcome.original, fixedText: outcome.fixedText, files: outcome.files, context };
    this.results.set(uri, measured);
    this.report(uri, measuredBuildOf(outcome.report));
    this.openPanel(document, measured);
    return outcome.report;
  }

  private openPanel(document: vscode.TextDocument, measured: Measured): void {
    const name = path.basename(document.uri.fsPath);
    const panel = vscode.window.createWebviewPanel('goDockerfileCache.measure', `Measured: ${name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true });
    measured.panel = panel;
    const render = (applied: boolean) => {
      panel.webview.html = renderMeasureHtml(measured.report, name, randomBytes(16).toString('base64'), panel.webview.cspSource, applied);
    };
    render(false);
    panel.webview.onDidReceiveMessage(async (message: { type?: string }) => {
      if (message?.type !== 'apply') return;
      if (await this.apply(document.uri, measured)) render(true);
    });
    panel.onDidDispose(() => {
      if (measured.panel === panel) measured.panel = undefined;
    });
  }

  /** Applies exactly the measured edit, when the Dockerfile is still the text that was measured. */
  async apply(uri: vscode.Uri, measured = this.results.get(uri.toString())): Promise<boolean> {
    if (!measured) return false;
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.getText() !== measured.original) {
      void vscode.window.showWarningMessage('Go Dockerfile: the Dockerfile changed since it was measured; measure again to apply the fix.');
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), measured.fixedText);
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    for (const file of measured.files) fs.writeFileSync(path.join(measured.context, file.path), file.text);
    return true;
  }
}
