// One status bar item for the latest build: spinning while it runs, then its summary.
import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import type { BuildAnnotations } from './store';
import { renderSummary } from '../../../server/src/profile/render';
import { statusText } from './summary';

export function registerBuildStatus(store: BuildAnnotations): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('goDockerfileCache.build', vscode.StatusBarAlignment.Left, 0);
  item.name = 'Go Dockerfile Build';
  item.command = COMMANDS.showBuildOutput;
  let shownUri: string | undefined;

  const refresh = (uri: string) => {
    const summary = store.summary(uri);
    if (store.isRunning(uri)) {
      const done = store.lines(uri).filter((a) => a.state !== 'running').length;
      item.text = `$(sync~spin) Docker build: ${done} steps done`;
      item.tooltip = 'Docker build running. Click to see its output.';
    } else if (summary && store.record(uri)) {
      const record = store.record(uri)!;
      item.text = `$(history) ${record.origin} · ${summary.cached}/${summary.total} cached`;
      item.tooltip = [record.headline, ...renderSummary(summary, [], { color: false })].join('\n');
    } else if (summary) {
      item.text = statusText(summary);
      item.tooltip = renderSummary(summary, [], { color: false }).join('\n');
    } else {
      if (uri === shownUri) item.hide();
      return;
    }
    shownUri = uri;
    item.show();
  };
  return vscode.Disposable.from(item, store.onDidChange(refresh));
}
