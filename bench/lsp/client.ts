// A language client reduced to what the benchmark needs: start a server over stdio, initialize
// it the way VS Code does, open a document, change it, and wait for its diagnostics.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  ConfigurationRequest, createProtocolConnection, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification,
  ExitNotification, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, RegistrationRequest,
  ShutdownRequest, StreamMessageReader, StreamMessageWriter, TextDocumentSyncKind, WorkDoneProgressCreateRequest,
  type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams, type Range,
} from 'vscode-languageserver-protocol/node';
import { nowMs } from '../support/stats';

export interface ServerCommand {
  name: string;
  command: string;
  args: string[];
  initializationOptions?: unknown;
}

type Waiter = { uri: string; version: number; resolve: (p: PublishDiagnosticsParams) => void };

export class LspSession {
  private readonly waiters: Waiter[] = [];
  private readonly listeners: ((params: PublishDiagnosticsParams, atMs: number) => void)[] = [];
  private incremental = false;

  private constructor(readonly server: ServerCommand, private readonly child: ChildProcess, private readonly connection: ProtocolConnection) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const at = nowMs();
      for (const listener of this.listeners) listener(params, at);
      // A server that says which version it analysed must answer for the version we sent; one
      // that does not (the rcjsuen server) answers in order.
      const index = this.waiters.findIndex((w) => w.uri === params.uri && (params.version === undefined || params.version === w.version));
      if (index >= 0) this.waiters.splice(index, 1)[0].resolve(params);
    });
    // Answer what VS Code would, so that neither server waits on us.
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => null));
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
  }

  /** Starts the server and returns once `initialize` has been answered and `initialized` sent. */
  static async start(server: ServerCommand, rootUri: string): Promise<{ session: LspSession; initializeMs: number }> {
    const started = nowMs();
    const child = spawn(server.command, server.args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const session = new LspSession(server, child, connection);
    connection.listen();
    const result: InitializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      initializationOptions: server.initializationOptions,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true }, synchronization: { dynamicRegistration: false, didSave: true } },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    const initializeMs = nowMs() - started;
    const sync = result.capabilities.textDocumentSync;
    session.incremental = (typeof sync === 'number' ? sync : sync?.change) === TextDocumentSyncKind.Incremental;
    return { session, initializeMs };
  }

  private diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.server.name}: no diagnostics for ${uri} version ${version} within 60 s`)), 60_000);
      this.waiters.push({ uri, version, resolve: (p) => { clearTimeout(timer); resolve(p); } });
    });
  }

  async open(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    const published = this.diagnosticsFor(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    return published;
  }

  /**
   * Sends one edit the way the server asked for it (a range, or the whole text) and returns the
   * milliseconds until the diagnostics for that version arrive.
   */
  async change(uri: string, version: number, edit: { range: Range; text: string }, fullText: string): Promise<{ ms: number; diagnostics: number; bytes: number }> {
    const published = this.diagnosticsFor(uri, version);
    const started = nowMs();
    const contentChanges = this.incremental ? [edit] : [{ text: fullText }];
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
    const params = await published;
    const ms = nowMs() - started;
    // The size of the notification's JSON: what both ends serialise and parse for every edit.
    return { ms, diagnostics: params.diagnostics.length, bytes: Buffer.byteLength(JSON.stringify(params)) };
  }

  /** Calls `listener` with every publishDiagnostics and the time it arrived. */
  onPublish(listener: (params: PublishDiagnosticsParams, atMs: number) => void): void {
    this.listeners.push(listener);
  }

  /** Sends the whole new text as one change (full-document sync), without waiting for anything; returns when it was sent. */
  async replaceText(uri: string, version: number, text: string): Promise<number> {
    const sent = nowMs();
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return sent;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The server may already be gone; the kill below makes sure.
    }
    this.connection.dispose();
    setTimeout(() => this.child.kill(), 500).unref();
  }
}
