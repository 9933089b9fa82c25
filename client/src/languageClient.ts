// The language client: starts the bundled server over IPC for Dockerfiles on disk and unsaved
// ones, forwards the goDockerfileCache settings and changes of the files the analysis reads.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION, WATCHED_FILE_GLOBS, type InitializationOptions } from '../../server/src/lsp/settings';

export const OUTPUT_CHANNEL_NAME = 'Go Dockerfile Cache';

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = { clientSynchronizes: true, measureCommand: 'goDockerfileCache.measureFix' };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
    ],
    synchronize: {
      configurationSection: SETTINGS_SECTION,
      fileEvents: WATCHED_FILE_GLOBS.map((glob) => vscode.workspace.createFileSystemWatcher(glob)),
    },
    outputChannel: vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true }),
    initializationOptions,
  };
  // The id makes `goDockerfileCache.trace.server` the trace setting.
  return new LanguageClient(SETTINGS_SECTION, 'Go Dockerfile Cache', serverOptions, clientOptions);
}
