// Talks to the bundled language server the way an editor does: a child process speaking JSON-RPC
// over stdio. Answers `workspace/configuration` from `settings`, records what the server
// publishes, and waits for a notification that matches, never for a fixed time.
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type {
  ClientCapabilities, CodeAction, Diagnostic, Hover, Position, PublishDiagnosticsParams, Range, ShowMessageParams, TextEdit, WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const ROOT = path.join(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'server', 'out', 'server.js');
/** Long enough for a slow CI machine, short enough that a hang fails the test instead of the run. */
export const WAIT_MS = 15_000;

export const NAIVE_DOCKERFILE = [
  'FROM golang:1.19 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN go mod download',
  'RUN go build -o /out/app .',
  'FROM scratch',
  'COPY --from=build /out/app /app',
  'ENTRYPOINT ["/app"]',
  '',
].join('\n');

export interface Project {
  dir: string;
  dockerfile: string;
  uri: string;
}

/** A Go module in a fresh temp folder: go.mod, go.sum, main.go and a Dockerfile. */
export function goProject(dockerfile = NAIVE_DOCKERFILE, extra: Record<string, string> = {}): Project {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gdc-lsp-'));
  const files: Record<string, string> = {
    'go.mod': 'module example.com/app\n\ngo 1.19\n\nrequire github.com/google/uuid v1.6.0\n',
    'go.sum': '',
    // The program imports the module go.mod requires, as real code does: its build downloads it.
    'main.go': 'package main\n\nimport _ "github.com/google/uuid"\n\nfunc main() {}\n',
    Dockerfile: dockerfile,
    ...extra,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const file = path.join(dir, 'Dockerfile');
  return { dir, dockerfile: file, uri: pathToFileURL(file).href };
}

export interface StartOptions {
  settings?: Record<string, unknown>;
  /** The server bundle to start; default the one `npm run build` writes. */
  server?: string;
  capabilities?: ClientCapabilities;
  initializationOptions?: Record<string, unknown>;
}

const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: false },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
  },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, versionSupport: true, tagSupport: { valueSet: [1, 2] }, codeDescriptionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { isPreferredSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
  },
};

interface Waiter<T> {
  match(value: T): boolean;
  resolve(value: T): void;
}

/** Keeps every value seen and resolves waiters on the first match, past or future. */
class Inbox<T> {
  readonly seen: T[] = [];
  private waiters: Waiter<T>[] = [];

  push(value: T): void {
    this.seen.push(value);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(value)) return true;
      w.resolve(value);
      return false;
    });
  }

  /** The next value (after `from` values) that matches, within WAIT_MS. */
  next(match: (value: T) => boolean, what: string, from = 0): Promise<T> {
    const earlier = this.seen.slice(from).find(match);
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${WAIT_MS} ms; last seen: ${JSON.stringify(this.seen.slice(-3)).slice(0, 2000)}`)), WAIT_MS);
      this.waiters.push({ match, resolve: (value) => { clearTimeout(timer); resolve(value); } });
    });
  }
}

export class TestClient {
  readonly diagnostics = new Inbox<PublishDiagnosticsParams>();
  readonly messages = new Inbox<ShowMessageParams>();
  readonly registrations = new Inbox<{ method: string; registerOptions?: unknown }>();
  readonly configurationRequests = new Inbox<string | undefined>();
  readonly documents = new Map<string, TextDocument>();
  settings: Record<string, unknown>;
  stderr = '';

  private constructor(readonly process: ChildProcess, readonly connection: ProtocolConnection, settings: Record<string, unknown>) {
    this.settings = settings;
  }

  static async start(options: StartOptions = {}): Promise<TestClient> {
    const server = options.server ?? SERVER;
    if (!fs.existsSync(server)) throw new Error(`${server} is missing: run \`npm run build\` first`);
    const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new TestClient(child, connection, options.settings ?? {});
    child.stderr!.on('data', (chunk) => { client.stderr += String(chunk); });
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => client.diagnostics.push(params));
    connection.onNotification('window/showMessage', (params: ShowMessageParams) => client.messages.push(params));
    connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) =>
      params.items.map((item) => {
        client.configurationRequests.push(item.scopeUri);
        return item.section === 'goDockerfileCache' ? client.settings : null;
      }));
    connection.onRequest('client/registerCapability', (params: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      for (const r of params.registrations) client.registrations.push(r);
      return null;
    });
    connection.onRequest('window/showMessageRequest', () => null);
    connection.onRequest('workspace/applyEdit', () => ({ applied: false }));
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: options.capabilities ?? DEFAULT_CAPABILITIES,
      initializationOptions: options.initializationOptions,
      workspaceFolders: null,
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  async open(uri: string, text: string): Promise<void> {
    this.documents.set(uri, TextDocument.create(uri, 'dockerfile', 1, text));
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  }

  /** Applies edits locally and sends the changed region as one incremental change; returns the new version. */
  async edit(uri: string, edits: TextEdit[]): Promise<number> {
    const document = this.document(uri);
    const before = document.getText();
    const after = TextDocument.applyEdits(document, edits);
    let start = 0;
    while (start < before.length && start < after.length && before[start] === after[start]) start++;
    let end = 0;
    while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
    const version = document.version + 1;
    this.documents.set(uri, TextDocument.create(uri, 'dockerfile', version, after));
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{
        range: { start: document.positionAt(start), end: document.positionAt(before.length - end) },
        text: after.slice(start, after.length - end),
      }],
    });
    return version;
  }

  /** Replaces the whole text through one incremental change. */
  async replaceText(uri: string, text: string): Promise<number> {
    const document = this.document(uri);
    return this.edit(uri, [{ range: { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) }, newText: text }]);
  }

  /** Applies a WorkspaceEdit the way an editor does: open documents in memory, other files on disk. */
  async apply(edit: WorkspaceEdit): Promise<void> {
    const perUri: [string, TextEdit[]][] = [];
    for (const change of edit.documentChanges ?? []) {
      if ('kind' in change) {
        if (change.kind !== 'create') throw new Error(`unexpected ${change.kind}`);
        const file = fileURLToPath(change.uri);
        if (!fs.existsSync(file) || change.options?.overwrite) fs.writeFileSync(file, '');
      } else {
        perUri.push([change.textDocument.uri, change.edits as TextEdit[]]);
      }
    }
    perUri.push(...Object.entries(edit.changes ?? {}));
    for (const [uri, edits] of perUri) {
      if (this.documents.has(uri)) {
        await this.edit(uri, edits);
      } else {
        const file = fileURLToPath(uri);
        const document = TextDocument.create(uri, 'plaintext', 0, fs.readFileSync(file, 'utf8'));
        fs.writeFileSync(file, TextDocument.applyEdits(document, edits));
      }
    }
  }

  text(uri: string): string {
    return this.document(uri).getText();
  }

  document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return document;
  }

  /** Diagnostics published for this version of the document that satisfy `match`. */
  async diagnosticsFor(uri: string, match: (diagnostics: Diagnostic[]) => boolean = () => true, what = 'matching diagnostics'): Promise<Diagnostic[]> {
    const version = this.document(uri).version;
    const published = await this.diagnostics.next((p) => p.uri === uri && p.version === version && match(p.diagnostics), `${what} for ${uri} v${version}`);
    return published.diagnostics;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, only } });
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification('workspace/didChangeConfiguration', { settings: { goDockerfileCache: settings } });
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      try {
        await this.connection.sendRequest('shutdown');
        await this.connection.sendNotification('exit');
      } catch {
        this.process.kill();
      }
      await exited;
    }
    this.connection.dispose();
  }
}

export function hoverText(hover: Hover | null): string {
  if (!hover) return '';
  const contents = hover.contents;
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  return contents.value;
}

/** Position of the first occurrence of `needle` in `text`, plus `offset` characters. */
export function positionOf(text: string, needle: string, offset = 0): Position {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not in text`);
  return TextDocument.create('file:///x', 'dockerfile', 0, text).positionAt(index + offset);
}

/**
 * For a describe block: before its tests, start a server and open the naive Dockerfile of a fresh
 * Go module in it; after them, stop the server and remove the folder.
 */
export function naiveSession(options: StartOptions = {}): { client: TestClient; project: Project } {
  const session = {} as { client: TestClient; project: Project };
  before(async () => {
    session.project = goProject();
    session.client = await TestClient.start(options);
    await session.client.open(session.project.uri, NAIVE_DOCKERFILE);
  });
  after(async () => {
    await session.client.stop();
    fs.rmSync(session.project.dir, { recursive: true, force: true });
  });
  return session;
}
