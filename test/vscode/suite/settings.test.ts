import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, findRule, openEditor, rules, setSetting, waitForDiagnostics, workspaceUri } from './helpers';

suite('Settings', () => {
  const uri = (): vscode.Uri => workspaceUri('naive/Dockerfile');

  teardown(async () => {
    await setSetting('rules', undefined);
  });

  test('turning a rule off removes it, turning it back on restores it', async function () {
    await activateExtension(this);
    await openEditor(uri());
    await waitForDiagnostics(uri(), (d) => rules(d).includes('GD003'), 'GD003');

    await setSetting('rules', { GD003: 'off' });
    const without = await waitForDiagnostics(uri(), (d) => !rules(d).includes('GD003'), 'GD003 to disappear');
    assert.ok(rules(without).includes('GD001'), 'other rules keep reporting');

    await setSetting('rules', undefined);
    await waitForDiagnostics(uri(), (d) => rules(d).includes('GD003'), 'GD003 to come back');
  });

  test('a severity set for a rule is the severity shown', async function () {
    await activateExtension(this);
    await openEditor(uri());
    await setSetting('rules', { GD001: 'error' });
    const diagnostics = await waitForDiagnostics(uri(), (d) => d.some((x) => rules([x])[0] === 'GD001' && x.severity === vscode.DiagnosticSeverity.Error), 'GD001 as an error');
    assert.equal(findRule(diagnostics, 'GD003').severity, vscode.DiagnosticSeverity.Warning, 'GD003 keeps its default');
  });
});
