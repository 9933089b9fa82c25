// Registers "Measure the Fix" and the measured costs on the findings.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { BuildAnnotations } from '../profile/store';
import { registerMeasuredCosts, type MeasuredCosts } from './costs';
import { MeasureController } from './controller';
import { serverBuildContext } from '../buildContext';

export const MEASURE_COMMAND = 'goDockerfileCache.measureFix';

export function registerMeasureFeatures(context: vscode.ExtensionContext, store: BuildAnnotations, client: LanguageClient): { controller: MeasureController; costs: MeasuredCosts } {
  const costs = registerMeasuredCosts(store, client);
  const controller = new MeasureController((uri, build) => costs.send(uri, build), serverBuildContext(client));
  context.subscriptions.push(
    costs,
    vscode.commands.registerCommand(MEASURE_COMMAND, (target?: string | vscode.Uri) => controller.measureFix(target)),
    vscode.workspace.onDidChangeTextDocument((event) => controller.changed(event.document)),
  );
  return { controller, costs };
}
