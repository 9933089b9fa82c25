// Hover for annotated instructions; says nothing on lines the last build did not annotate.
import * as vscode from 'vscode';
import { hoverMarkdown } from './hoverText';
import type { BuildAnnotations } from './store';

export function registerBuildHover(store: BuildAnnotations): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    { language: 'dockerfile' },
    {
      provideHover(document, position) {
        const uri = document.uri.toString();
        const annotation = store.lines(uri).find((a) => a.line <= position.line && position.line <= a.endLine);
        if (!annotation) return undefined;
        const last = Math.min(annotation.endLine, document.lineCount - 1);
        const range = new vscode.Range(annotation.line, 0, last, document.lineAt(last).text.length);
        return new vscode.Hover(new vscode.MarkdownString(hoverMarkdown(annotation.step, store.summary(uri)?.totalMs, store.record(uri)?.headline)), range);
      },
    },
  );
}
