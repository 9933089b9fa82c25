// Registers the build-and-profile features: commands, annotations, hover, code lens, status bar.
import * as vscode from 'vscode';
import { listRecords } from '../../../server/src/profile/records/builder';
import { loadArchiveBuild, loadBuilderBuild } from '../../../server/src/profile/records/load';
import { startBuild } from '../../../server/src/profile/runner';
import { registerBuildCodeLens } from './codeLens';
import { COMMANDS } from './commands';
import { BuildController } from './controller';
import { registerAnnotationViews } from './decorations';
import { registerBuildHover } from './hover';
import { registerBuildStatus } from './statusBar';
import { RecordController } from './records';
import { BuildAnnotations, type RecordView } from './store';
import type { ContextSource } from '../buildContext';

export interface BuildFeatures {
  store: BuildAnnotations;
  getBuildAnnotations(uri: string): { line: number; state: string; text: string }[];
  /** Where the annotations of `uri` come from when the editor did not run the build. */
  getBuildRecord(uri: string): RecordView | undefined;
}

/** The document a command is about: its argument (a Uri or a uri string), else the active editor's. */
function documentUri(target: unknown): string | undefined {
  if (target instanceof vscode.Uri) return target.toString();
  if (typeof target === 'string' && target !== '') return vscode.Uri.parse(target).toString();
  return vscode.window.activeTextEditor?.document.uri.toString();
}

export function registerBuildFeatures(context: vscode.ExtensionContext, contextOf: ContextSource): BuildFeatures {
  const store = new BuildAnnotations();
  const output = vscode.window.createOutputChannel('Go Dockerfile Build');
  const controller = new BuildController(store, output, startBuild, vscode.Uri.joinPath(context.globalStorageUri, 'builds').fsPath, contextOf);
  const records = new RecordController(store, output, { loadArchiveBuild, loadBuilderBuild, listRecords }, contextOf);
  const getBuildAnnotations = (target: unknown) => {
    const uri = documentUri(target);
    return uri ? store.lines(uri).map(({ line, state, text }) => ({ line, state, text })) : [];
  };
  const getBuildRecord = (target: unknown) => {
    const uri = documentUri(target);
    return uri ? store.record(uri) : undefined;
  };

  context.subscriptions.push(
    output,
    controller,
    registerAnnotationViews(store),
    registerBuildHover(store),
    registerBuildCodeLens(store),
    registerBuildStatus(store),
    vscode.workspace.onDidChangeTextDocument((event) => store.edit(event.document.uri.toString(), event.contentChanges)),
    vscode.commands.registerCommand(COMMANDS.buildAndProfile, (target?: string | vscode.Uri) => controller.buildAndProfile(target)),
    vscode.commands.registerCommand(COMMANDS.showBuildOutput, () => output.show(true)),
    vscode.commands.registerCommand(COMMANDS.clearBuildAnnotations, (target?: string | vscode.Uri) => {
      const uri = documentUri(target);
      for (const each of uri ? [uri] : store.uris()) store.clear(each);
    }),
    vscode.commands.registerCommand(COMMANDS.getBuildAnnotations, getBuildAnnotations),
    vscode.commands.registerCommand(COMMANDS.getBuildRecord, getBuildRecord),
    vscode.commands.registerCommand(COMMANDS.showLastBuild, (target?: string | vscode.Uri) => records.showLastBuild(target)),
    vscode.commands.registerCommand(COMMANDS.openBuildRecord, (record?: string | vscode.Uri, target?: string | vscode.Uri) => records.openBuildRecord(record, target)),
    records.watch(),
  );
  return { store, getBuildAnnotations, getBuildRecord };
}
