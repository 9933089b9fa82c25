// Builds the editor did not run, from BuildKit's build records: "Show Last Build" (the newest
// record of the open Dockerfile on the builder), "Open Build Record…" (a `.dockerbuild` file, a
// CI artifact say), and the watch that follows new records on window focus and on save.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildxPluginInstalled, resolveDockerPath } from '../../../server/src/profile/docker';
import type { listRecords } from '../../../server/src/profile/records/builder';
import { recordCostOrigin, recordHeadline, recordLabel, unplacedNote, type RecordedBuild } from '../../../server/src/profile/records/history';
import type { loadArchiveBuild, loadBuilderBuild } from '../../../server/src/profile/records/load';
import { looksLikeCi } from '../../../server/src/profile/records/record';
import { renderSummary } from '../../../server/src/profile/render';
import { buildSettingsOf, type ContextSource } from '../buildContext';
import type { BuildAnnotations, RecordView } from './store';

export interface RecordSources {
  loadArchiveBuild: typeof loadArchiveBuild;
  loadBuilderBuild: typeof loadBuilderBuild;
  listRecords: typeof listRecords;
}

/** After the builder could not be reached, the watch leaves it alone this long. */
const UNREACHABLE_PAUSE_MS = 5 * 60_000;

function asUri(target: unknown): vscode.Uri | undefined {
  if (target instanceof vscode.Uri) return target;
  if (typeof target === 'string' && target !== '') return target.includes('://') ? vscode.Uri.parse(target) : vscode.Uri.file(target);
  return undefined;
}

function isDockerfile(document: vscode.TextDocument): boolean {
  return document.languageId === 'dockerfile' && document.uri.scheme === 'file';
}

export function recordView(build: RecordedBuild): RecordView {
  const ci = looksLikeCi(build.info);
  return {
    origin: recordLabel(build, ci),
    headline: recordHeadline(build, ci),
    costOrigin: recordCostOrigin(build, ci),
    ref: build.info.ref,
    source: build.origin.source,
    unplaced: build.unplaced,
  };
}

export class RecordController {
  private checking = false;
  /** A focus or save came during a check: one more check after it, not one per event. */
  private again = false;
  private pausedUntil = 0;
  /** Per document, the builder's newest record when it was last looked at. */
  private readonly seenNewest = new Map<string, string>();

  constructor(
    private readonly store: BuildAnnotations,
    private readonly output: vscode.OutputChannel,
    private readonly sources: RecordSources,
    private readonly contextOf: ContextSource,
  ) {}

  /** Annotates the Dockerfile from its newest record on the builder. */
  async showLastBuild(target?: unknown): Promise<RecordView | undefined> {
    const document = await this.dockerfile(target);
    if (!document) return undefined;
    try {
      return this.show(document, await this.sources.loadBuilderBuild(await this.builderOptions(document), document.uri.fsPath, document.getText()));
    } catch (error) {
      void vscode.window.showErrorMessage(`Go Dockerfile: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Annotates the Dockerfile from a `.dockerbuild` file, asked for when not given. */
  async openBuildRecord(record?: unknown, target?: unknown): Promise<RecordView | undefined> {
    const document = await this.dockerfile(target);
    if (!document) return undefined;
    let file = asUri(record);
    if (!file) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Annotate',
        title: `Build record for ${path.basename(document.fileName)}`,
        filters: { 'Build records': ['dockerbuild'], 'All files': ['*'] },
      });
      file = picked?.[0];
    }
    if (!file) return undefined;
    try {
      return this.show(document, await this.sources.loadArchiveBuild(file.fsPath, document.uri.fsPath, document.getText()));
    } catch (error) {
      void vscode.window.showErrorMessage(`Go Dockerfile: ${path.basename(file.fsPath)}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * `goDockerfileCache.history.watch`: on window focus and on saving a Dockerfile, one cheap look
   * at the builder's records (`history ls`); only when a new one appeared are the visible
   * Dockerfiles matched against them. One check at a time, none for a while after the builder
   * could not be reached, none at all without buildx.
   */
  watch(): vscode.Disposable {
    const check = () => void this.checkForNewRecords();
    setTimeout(check, 0);
    return vscode.Disposable.from(
      vscode.window.onDidChangeWindowState((state) => state.focused && check()),
      vscode.workspace.onDidSaveTextDocument((document) => isDockerfile(document) && check()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (['history.watch', 'build.builder', 'docker.path'].some((key) => event.affectsConfiguration(`goDockerfileCache.${key}`))) {
          this.pausedUntil = 0;
          this.seenNewest.clear();
          check();
        }
      }),
    );
  }

  async checkForNewRecords(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return;
    }
    if (Date.now() < this.pausedUntil || !buildxPluginInstalled()) return;
    // Documents the editor's own build or a record file annotated keep their annotations.
    const documents = vscode.window.visibleTextEditors.map((e) => e.document).filter((d) => isDockerfile(d)
      && vscode.workspace.getConfiguration('goDockerfileCache', d.uri).get<boolean>('history.watch', true)
      && !this.store.isRunning(d.uri.toString())
      && (this.store.summary(d.uri.toString()) === undefined || this.store.record(d.uri.toString())?.source === 'builder'));
    if (documents.length === 0) return;
    this.checking = true;
    try {
      const byBuilder = new Map<string, string | undefined>();
      for (const document of documents) {
        const options = await this.builderOptions(document);
        const key = `${options.docker}\0${options.builder ?? ''}`;
        if (!byBuilder.has(key)) {
          const records = await this.sources.listRecords(options);
          byBuilder.set(key, records.find((r) => r.status !== 'Running')?.ref);
        }
        const newest = byBuilder.get(key);
        const uri = document.uri.toString();
        if (newest === undefined || this.seenNewest.get(uri) === newest) continue;
        this.seenNewest.set(uri, newest);
        const build = await this.sources.loadBuilderBuild(options, document.uri.fsPath, document.getText()).catch(() => undefined);
        if (build && build.info.ref !== this.store.record(uri)?.ref) this.show(document, build);
      }
    } catch {
      this.pausedUntil = Date.now() + UNREACHABLE_PAUSE_MS;
    } finally {
      this.checking = false;
    }
    if (this.again) {
      this.again = false;
      await this.checkForNewRecords();
    }
  }

  private show(document: vscode.TextDocument, build: RecordedBuild): RecordView {
    const view = recordView(build);
    this.store.showRecord(document.uri.toString(), build.steps, build.summary, view);
    this.output.appendLine(`=== ${view.headline}`);
    this.output.appendLine(`Dockerfile: ${document.uri.fsPath}`);
    for (const line of renderSummary(build.summary, build.steps, { color: false })) this.output.appendLine(line);
    const note = unplacedNote(build);
    if (note) this.output.appendLine(note);
    this.output.appendLine('');
    return view;
  }

  private async builderOptions(document: vscode.TextDocument) {
    const { options } = await buildSettingsOf(document.uri, this.contextOf);
    // The builder Build and Profile uses is the one whose records tell of this Dockerfile's builds,
    // from the context they build it with.
    return {
      docker: resolveDockerPath(options.dockerPath),
      builder: options.builder,
      context: options.context ?? path.dirname(document.uri.fsPath),
    };
  }

  private async dockerfile(target: unknown): Promise<vscode.TextDocument | undefined> {
    const uri = asUri(target);
    const document = uri ? await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined) : vscode.window.activeTextEditor?.document;
    if (!document || document.uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Go Dockerfile: open a Dockerfile saved on disk to show a build of it.');
      return undefined;
    }
    return document;
  }
}
