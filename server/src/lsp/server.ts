// The language server: wiring only. Every answer comes from the pure features in ../features and
// the analysis core; this file keeps documents, settings and build contexts, and decides when to
// analyse (debounced on change, at once on save and when go.mod, go.sum or .dockerignore change).
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification,
  MessageType, ShowMessageNotification, TextDocuments, TextDocumentSyncKind, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, FIX_ALL_KIND } from '../features/codeActions';
import { BUILD_CONTEXT_REQUEST, type BuildContextAnswer, type BuildContextParams } from '../features/buildContext';
import { toDiagnostic } from '../features/diagnostics';
import {
  FINDING_COSTS_NOTIFICATION, MEASURED_BUILD_NOTIFICATION, withMeasuredCosts,
  type FindingCostsParams, type MeasuredBuild, type MeasuredBuildParams,
} from '../features/measuredCost';
import { hover } from '../features/hover';
import { loadShellParser, shellParserFailure } from '../analysis/parse/bashGrammar';
import { BuildContextCache } from './contextCache';
import { KeyedDebouncer } from './debounce';
import { DocumentAnalyses, type DocumentAnalysis } from './documentAnalysis';
import { OnceMessages } from './messages';
import { SETTINGS_SECTION, WATCHED_FILE_GLOBS, type InitializationOptions } from './settings';
import { SettingsStore } from './settingsStore';

/** Edits closer together than this are analysed once, after the last of them. */
const DEFAULT_DEBOUNCE_MS = 60;

const connection = createConnection();
const documents = new TextDocuments(TextDocument);
const contexts = new BuildContextCache();
const analyses = new DocumentAnalyses(contexts);
const messages = new OnceMessages(
  // A plain notification: nothing to answer, unlike window.showWarningMessage's request.
  (text) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: text }),
  (text) => connection.console.warn(text),
);
const logError = (what: string, error: unknown) => connection.console.error(`${what}: ${(error as Error)?.stack ?? String(error)}`);

let settings = new SettingsStore(undefined, (error) => logError('reading settings', error));
let debounceMs = DEFAULT_DEBOUNCE_MS;
let resourceOperations = false;
let registerWatchers = false;
let registerConfiguration = false;
let measureCommand: string | undefined;
/** The last measured build of each Dockerfile (a profiled build, a measure run, a build record). */
const measuredBuilds = new Map<string, MeasuredBuild>();
/** Bumped on every analysis request, so a slower, older run never publishes over a newer one. */
const generations = new Map<string, number>();
/** What was last published for each document, so the same analysis is never serialised and sent twice. */
const published = new Map<string, { version: number; analysis: DocumentAnalysis; build: MeasuredBuild | undefined; kept: boolean }>();
/** Changes one analysis waits for at most before it starts (see `caughtUp`). */
const MAX_CATCH_UP = 50;
/**
 * A pause in typing this long after findings were kept over an edit (`DocumentAnalyses.findingsOf`)
 * has the text analysed, so that the analysis hovers and quick fixes read is the text's own.
 */
const ANALYSE_KEPT_AFTER_MS = 250;
/** Documents whose published findings were kept over an edit, with the timer that analyses them. */
const keptFindings = new Map<string, NodeJS.Timeout>();
/** Documents whose typing stopped after findings were kept: the next run analyses the text. */
const analyseNext = new Set<string>();

const validations = new KeyedDebouncer(validate, (uri, error) => logError(`analysing ${uri}`, error));

// The shell parser compiles while the client initialises; every analysis waits for it once.
const shellParser = loadShellParser().then(() => {
  const failure = shellParserFailure();
  if (failure) logError('loading the shell parser (RUN commands are not analysed)', failure);
});

async function current(uri: string) {
  await shellParser;
  const document = documents.get(uri);
  if (!document) return undefined;
  const documentSettings = await settings.get(uri);
  const latest = documents.get(uri);
  return latest && { document: latest, analysis: analyses.get(latest, documentSettings), settings: documentSettings };
}

/**
 * Lets the changes of this document that have already arrived be applied before analysing. The
 * connection handles one message per turn of the event loop, so when edits come faster than the
 * analysis (a long file, a busy machine), several wait in its queue: analysing the newest text once
 * then answers all of them, where analysing each version in turn would fall further behind. The
 * diagnostics published are those of the newest version, which is what the editor shows.
 */
async function caughtUp(uri: string): Promise<void> {
  for (let turn = 0; turn < MAX_CATCH_UP; turn++) {
    const version = documents.get(uri)?.version;
    await new Promise((resolve) => setImmediate(resolve));
    if (documents.get(uri)?.version === version) return;
  }
}

function analyseKeptLater(uri: string): void {
  clearTimeout(keptFindings.get(uri));
  keptFindings.set(uri, setTimeout(() => {
    keptFindings.delete(uri);
    analyseNext.add(uri);
    validations.schedule(uri, 0);
  }, ANALYSE_KEPT_AFTER_MS));
}

async function validate(uri: string): Promise<void> {
  const generation = (generations.get(uri) ?? 0) + 1;
  generations.set(uri, generation);
  await shellParser;
  await caughtUp(uri);
  const document = documents.get(uri);
  if (!document) return;
  const version = document.version;
  const documentSettings = await settings.get(uri);
  // A change, a close or a newer run while the settings were on their way makes this one stale.
  if (generations.get(uri) !== generation || documents.get(uri)?.version !== version) return;
  const build = measuredBuilds.get(uri);
  // Findings kept over an edit are published at once; the text is analysed when the typing stops.
  // Measured costs are matched to the analysed text, so a measured document is always analysed.
  const analyseNow = analyseNext.delete(uri) || build !== undefined;
  const { analysis, current } = analyseNow ? { analysis: analyses.get(document, documentSettings), current: true } : analyses.findingsOf(document, documentSettings);
  if (!current) analyseKeptLater(uri);
  else {
    clearTimeout(keptFindings.get(uri));
    keptFindings.delete(uri);
  }
  const last = published.get(uri);
  // A debounced run after a catch-up finds the analysis it would publish already published.
  if (last && last.version === version && last.analysis === analysis && last.build === build) return;
  published.set(uri, { version, analysis, build, kept: !current });
  messages.report(analysis.warnings);
  if (last?.kept && last.version === version && last.build === build) {
    // The analysis of a text whose findings were kept: they must be the same, and were sent already.
    if (isDeepStrictEqual(last.analysis.result?.findings, analysis.result?.findings)) return;
    logError(`analysing ${uri}`, new Error(`the findings kept for version ${version} differ from its analysis; sending the analysis'`));
  }
  const measured = analysis.result && withMeasuredCosts(analysis.result.findings, analysis.result.model, build);
  const diagnostics = (measured?.findings ?? []).map((f) => toDiagnostic(f, uri));
  await connection.sendDiagnostics({ uri, version, diagnostics });
  if (measuredBuilds.has(uri)) {
    const costs = [...(measured?.costs ?? new Map()).entries()]
      .map(([finding, cost]) => ({ rule: finding.rule, line: finding.range.start.line, seconds: cost.seconds, origin: cost.origin }))
      .sort((a, b) => b.seconds - a.seconds);
    void connection.sendNotification(FINDING_COSTS_NOTIFICATION, { uri, costs } satisfies FindingCostsParams);
  }
}

function revalidateAll(): void {
  for (const document of documents.all()) validations.schedule(document.uri, 0);
}

connection.onInitialize((params): InitializeResult => {
  const capabilities = params.capabilities;
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  if (typeof options.debounceMs === 'number' && options.debounceMs >= 0) debounceMs = options.debounceMs;
  if (typeof options.measureCommand === 'string' && options.measureCommand !== '') measureCommand = options.measureCommand;
  if (capabilities.workspace?.configuration) {
    settings = new SettingsStore(
      (uri) => connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }),
      (error) => logError('reading settings', error),
    );
  }
  registerConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true && options.clientSynchronizes !== true;
  registerWatchers = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true && options.clientSynchronizes !== true;
  const workspaceEdit = capabilities.workspace?.workspaceEdit;
  resourceOperations = workspaceEdit?.documentChanges === true && (workspaceEdit.resourceOperations ?? []).includes('create');
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
    },
    serverInfo: { name: 'go-dockerfile-cache' },
  };
});

connection.onInitialized(() => {
  if (registerConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
  if (registerWatchers) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_FILE_GLOBS.map((globPattern) => ({ globPattern })) });
  }
});

connection.onDidChangeConfiguration((params) => {
  settings.changed((params.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION]);
  revalidateAll();
});

connection.onDidChangeWatchedFiles((params) => {
  for (const change of params.changes) {
    if (change.uri.startsWith('file:')) contexts.invalidate(fileURLToPath(change.uri));
  }
  analyses.contextChanged();
  revalidateAll();
});

connection.onRequest(BUILD_CONTEXT_REQUEST, async (params: BuildContextParams): Promise<BuildContextAnswer | null> => {
  if (typeof params?.uri !== 'string' || !params.uri.startsWith('file:')) return null;
  // Build discovery reads scripts and Makefile recipes with the shell parser, as the analysis does.
  await shellParser;
  return analyses.defaultContext(fileURLToPath(params.uri));
});

connection.onNotification(MEASURED_BUILD_NOTIFICATION, (params: MeasuredBuildParams) => {
  if (params.build) measuredBuilds.set(params.uri, params.build);
  else measuredBuilds.delete(params.uri);
  validations.schedule(params.uri, 0);
});

documents.onDidChangeContent((event) => validations.schedule(event.document.uri, debounceMs));

documents.onDidSave((event) => {
  // Saving is when new source files usually appear beside the Dockerfile: read the folder again.
  if (event.document.uri.startsWith('file:')) contexts.invalidate(fileURLToPath(event.document.uri));
  analyses.contextChanged();
  validations.schedule(event.document.uri, 0);
});

documents.onDidClose((event) => {
  const uri = event.document.uri;
  validations.forget(uri);
  clearTimeout(keptFindings.get(uri));
  keptFindings.delete(uri);
  analyseNext.delete(uri);
  generations.delete(uri);
  published.delete(uri);
  settings.forget(uri);
  analyses.forget(uri);
  measuredBuilds.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
});

connection.onHover(async (params) => {
  const state = await current(params.textDocument.uri);
  if (!state?.analysis.result) return null;
  const { document, analysis } = state;
  return hover(document.getText(), params.position, { context: analysis.context, rules: state.settings.rules, buildsIn: analysis.result?.site, analysis: analysis.result, measuredBuild: measuredBuilds.get(params.textDocument.uri) });
});

connection.onCodeAction(async (params) => {
  const state = await current(params.textDocument.uri);
  if (!state?.analysis.result) return [];
  const { document, analysis } = state;
  return codeActions(document.getText(), params.range, {
    uri: document.uri,
    version: document.version,
    context: analysis.context,
    rules: state.settings.rules,
    buildsIn: analysis.result?.site,
    analysis: analysis.result,
    diagnostics: params.context.diagnostics,
    only: params.context.only,
    resourceOperations,
    measureCommand,
  });
});

// A bug in one request must not take the editor's server down with it.
process.on('uncaughtException', (error) => logError('unexpected error', error));
process.on('unhandledRejection', (error) => logError('unexpected error', error));

documents.listen(connection);
connection.listen();
