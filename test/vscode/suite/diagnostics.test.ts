import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, findRule, lineStarting, openEditor, rules, waitForDiagnostics, workspaceUri } from './helpers';

suite('Diagnostics', () => {
  test('the naive Go Dockerfile shows GD001 on the source copy and GD003 on the build', async function () {
    await activateExtension(this);
    const uri = workspaceUri('naive/Dockerfile');
    const { document } = await openEditor(uri);
    const diagnostics = await waitForDiagnostics(uri, (d) => rules(d).includes('GD001') && rules(d).includes('GD003'), 'GD001 and GD003');

    const gd001 = findRule(diagnostics, 'GD001');
    assert.equal(gd001.range.start.line, lineStarting(document, 'COPY . .'));
    assert.equal(gd001.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(gd001.message, /go\.mod/);

    const gd003 = findRule(diagnostics, 'GD003');
    const buildLine = lineStarting(document, 'RUN go build');
    assert.equal(gd003.range.start.line, buildLine);
    assert.equal(document.getText(gd003.range).startsWith('go'), true, 'GD003 underlines the go command');

    // The rule id in the Problems panel links to its documentation page.
    const code = gd001.code;
    assert.ok(typeof code === 'object' && code.target instanceof vscode.Uri, 'GD001 carries a documentation link');
    assert.match(code.target.toString(), /GD001/);
  });
});
