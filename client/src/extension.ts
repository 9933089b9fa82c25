// The extension: wiring only. The language server gives diagnostics, quick fixes and hovers; the
// build features (./profile) run a profiled build and annotate the Dockerfile with it.
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerBuildFeatures } from './profile/index';
import { createLanguageClient } from './languageClient';

let client: LanguageClient | undefined;

export interface ExtensionApi {
  getBuildAnnotations(uri: string): { line: number; state: string; text: string }[];
  /** Where the annotations come from when the build ran elsewhere (a build record); undefined otherwise. */
  getBuildRecord(uri: string): { origin: string; headline: string; ref: string; source: 'builder' | 'archive'; unplaced: number } | undefined;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  client = createLanguageClient(context);
  // The build features work without the server, so a server that fails to start must not stop them.
  client.start().catch((error: unknown) => client?.error('The Go Dockerfile Cache language server did not start', error, 'force'));
  const build = registerBuildFeatures(context);
  return { getBuildAnnotations: (uri) => build.getBuildAnnotations(uri), getBuildRecord: (uri) => build.getBuildRecord(uri) };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
