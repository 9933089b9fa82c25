// "▶ Build and Profile" above the first FROM; after a build, a second lens sums it up.
import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import { firstFromLine } from './firstFrom';
import type { BuildAnnotations } from './store';
import { lensSummary } from './summary';

export function registerBuildCodeLens(store: BuildAnnotations): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(document) {
      const line = firstFromLine(document.getText());
      if (line === undefined) return [];
      const range = new vscode.Range(line, 0, line, 0);
      const uri = document.uri.toString();
      const lenses = [new vscode.CodeLens(range, { title: '▶ Build and Profile', command: COMMANDS.buildAndProfile, arguments: [uri] })];
      const summary = store.summary(uri);
      if (store.isRunning(uri)) {
        lenses.push(new vscode.CodeLens(range, { title: '$(sync~spin) Building…', command: COMMANDS.showBuildOutput }));
      } else if (summary) {
        lenses.push(new vscode.CodeLens(range, { title: lensSummary(summary, store.record(uri)?.origin), command: COMMANDS.showBuildOutput }));
      }
      return lenses;
    },
  };
  // Builds report many times a second; the lenses only change when a build starts or ends.
  const shown = new Map<string, unknown>();
  const refresh = (uri: string) => {
    const state = store.isRunning(uri) ? 'running' : store.summary(uri);
    if (shown.get(uri) === state) return;
    shown.set(uri, state);
    changed.fire();
  };
  return vscode.Disposable.from(
    changed,
    store.onDidChange(refresh),
    vscode.languages.registerCodeLensProvider({ language: 'dockerfile' }, provider),
  );
}
