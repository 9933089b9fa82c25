// Joins the measured builds and the findings: each finished profiled build (and each measure run)
// goes to the language server, which puts the seconds on the findings they explain and answers
// with the costs; the costliest finding is named in the status bar.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  FINDING_COSTS_NOTIFICATION, MEASURED_BUILD_NOTIFICATION, type FindingCostsParams, type MeasuredBuild, type MeasuredBuildParams,
} from '../../../server/src/features/measuredCost';
import type { BuildAnnotations } from '../profile/store';
import { costliestText, measuredBuildFromSteps } from './costText';

export interface MeasuredCosts extends vscode.Disposable {
  send(uri: string, build: MeasuredBuild | null): void;
  /** The last costs the server sent for a Dockerfile, costliest first. */
  costs(uri: string): FindingCostsParams['costs'];
}

export function registerMeasuredCosts(store: BuildAnnotations, client: LanguageClient): MeasuredCosts {
  const item = vscode.window.createStatusBarItem('goDockerfileCache.cost', vscode.StatusBarAlignment.Left, -1);
  item.name = 'Go Dockerfile: costliest finding';
  item.command = 'workbench.actions.view.problems';
  const latest = new Map<string, FindingCostsParams['costs']>();
  const send = (uri: string, build: MeasuredBuild | null) => {
    if (!client.isRunning()) return;
    void client.sendNotification(MEASURED_BUILD_NOTIFICATION, { uri, build } satisfies MeasuredBuildParams);
  };
  const onCosts = client.onNotification(FINDING_COSTS_NOTIFICATION, (params: FindingCostsParams) => {
    latest.set(params.uri, params.costs);
    if (params.uri !== vscode.window.activeTextEditor?.document.uri.toString()) return;
    const text = costliestText(params);
    if (!text) return item.hide();
    const top = params.costs[0];
    item.text = `$(clock) ${text}`;
    item.tooltip = `In ${top.origin}, the finding ${top.rule} on line ${top.line + 1} cost ${top.seconds.toFixed(1)} s of rebuilt steps. Click for the Problems view.`;
    item.show();
  });
  const onStore = store.onDidChange((uri) => {
    if (store.isRunning(uri)) return;
    const summary = store.summary(uri);
    // A cleared build (no summary) takes its numbers off the findings too.
    // A build record names its build ("the CI build of 2026-12-05"); a profiled build is "the last build".
    send(uri, summary && !summary.canceled ? measuredBuildFromSteps(store.steps(uri), store.record(uri)?.costOrigin) : null);
  });
  return {
    send,
    costs: (uri) => latest.get(uri) ?? [],
    dispose: () => {
      item.dispose();
      onCosts.dispose();
      onStore.dispose();
    },
  };
}
