import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, lineStarting, openEditor, rules, waitForDiagnostics, workspaceUri } from './helpers';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

suite('Hover', () => {
  test('hovering `go build` names the GOCACHE directory the build really uses', async function () {
    await activateExtension(this);
    const uri = workspaceUri('naive/Dockerfile');
    const { document } = await openEditor(uri);
    // Diagnostics arriving means the server has analysed this document.
    await waitForDiagnostics(uri, (d) => rules(d).includes('GD003'), 'the server to analyse the file');
    const line = lineStarting(document, 'RUN go build');
    const position = new vscode.Position(line, document.lineAt(line).text.indexOf('go build') + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const text = hoverText(hovers);
    assert.match(text, /GOCACHE/);
    assert.ok(text.includes('/root/.cache/go-build'), `hover names /root/.cache/go-build:\n${text}`);
  });
});
