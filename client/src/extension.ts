// The extension: wiring only. The language server gives diagnostics, quick fixes and hovers; the
// build features (./profile) run a profiled build and annotate the Dockerfile with it.
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { serverBuildContext } from './buildContext';
import { registerBuildFeatures } from './profile/index';
import { createLanguageClient } from './languageClient';
import { registerMeasureFeatures } from './measure/index';
import type { MeasureReport } from '../../server/src/measure/measure';

let client: LanguageClient | undefined;

export interface ExtensionApi {
  getBuildAnnotations(uri: string): { line: number; state: string; text: string }[];
  /** Where the annotations come from when the build ran elsewhere (a build record); undefined otherwise. */
  getBuildRecord(uri: string): { origin: string; headline: string; costOrigin: string; ref: string; source: 'builder' | 'archive'; unplaced: number } | undefined;
  /** Runs "Measure the Fix" on a Dockerfile; the report, or undefined when nothing was measured. */
  measureFix(uri: string): Promise<MeasureReport | undefined>;
  /** The last measure report of a Dockerfile, kept until it changes. */
  getMeasureResult(uri: string): MeasureReport | undefined;
  /** Why the last Measure the Fix of a Dockerfile measured nothing, as the user was told. */
  getMeasureRefusal(uri: string): string | undefined;
  /** The measured costs the language server last put on a Dockerfile's findings, costliest first. */
  getFindingCosts(uri: string): { rule: string; line: number; seconds: number; origin: string }[];
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  client = createLanguageClient(context);
  // The build features work without the server, so a server that fails to start must not stop them.
  client.start().catch((error: unknown) => client?.error('The Go Dockerfile Cache language server did not start', error, 'force'));
  // With no buildContext setting, builds use the context the server analyses the Dockerfile with.
  const build = registerBuildFeatures(context, serverBuildContext(client));
  const measure = registerMeasureFeatures(context, build.store, client);
  return {
    getBuildAnnotations: (uri) => build.getBuildAnnotations(uri),
    getBuildRecord: (uri) => build.getBuildRecord(uri),
    measureFix: (uri) => measure.controller.measureFix(uri),
    getMeasureResult: (uri) => measure.controller.result(uri),
    getMeasureRefusal: (uri) => measure.controller.refusal(uri),
    getFindingCosts: (uri) => measure.costs.costs(uri),
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
