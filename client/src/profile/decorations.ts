// Draws each annotation after its instruction line, in the colour of its tone, and the failing
// step as a Diagnostic, in every visible editor of the built Dockerfile.
import * as vscode from 'vscode';
import type { Tone } from './annotations';
import type { BuildAnnotations } from './store';

const TONE_COLOURS: Record<Tone, string> = {
  cached: 'charts.green',
  running: 'charts.blue',
  'share-low': 'descriptionForeground',
  'share-high': 'charts.yellow',
  'share-top': 'charts.red',
  error: 'errorForeground',
  idle: 'disabledForeground',
};

export const DIAGNOSTIC_SOURCE = 'go-dockerfile-cache build';

export function registerAnnotationViews(store: BuildAnnotations): vscode.Disposable {
  const decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  const diagnostics = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);

  const decorate = (editor: vscode.TextEditor) => {
    const { document } = editor;
    const options = store
      .lines(document.uri.toString())
      .filter((annotation) => annotation.line < document.lineCount)
      .map((annotation): vscode.DecorationOptions => ({
        range: document.lineAt(annotation.line).range.with({ start: document.lineAt(annotation.line).range.end }),
        renderOptions: { after: { contentText: annotation.text, color: new vscode.ThemeColor(TONE_COLOURS[annotation.tone]) } },
      }));
    editor.setDecorations(decoration, options);
  };

  const diagnose = (uri: string) => {
    const failed = store.lines(uri).filter((annotation) => annotation.state === 'error');
    diagnostics.set(
      vscode.Uri.parse(uri),
      failed.map((annotation) => {
        const range = new vscode.Range(annotation.line, 0, annotation.endLine, Number.MAX_SAFE_INTEGER);
        const diagnostic = new vscode.Diagnostic(range, annotation.step.error || 'This step failed.', vscode.DiagnosticSeverity.Error);
        diagnostic.source = DIAGNOSTIC_SOURCE;
        return diagnostic;
      }),
    );
  };

  const refresh = (uri: string) => {
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === uri) decorate(editor);
    diagnose(uri);
  };

  return vscode.Disposable.from(
    decoration,
    diagnostics,
    store.onDidChange(refresh),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach(decorate)),
  );
}
