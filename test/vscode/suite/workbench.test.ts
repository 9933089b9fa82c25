// Proves the harness itself: a real workbench with the built-in Dockerfile
// language, and the extension loaded from where this run put it.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllAndDelete, openEditor, workspaceUri } from './helpers';

suite('Workbench', () => {
  test('opens a Dockerfile as the built-in dockerfile language', async () => {
    assert.ok((await vscode.languages.getLanguages()).includes('dockerfile'), 'VS Code knows the dockerfile language');
    const uri = workspaceUri('harness-check/Dockerfile');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('FROM scratch\n'));
    try {
      const editor = await openEditor(uri);
      assert.equal(editor.document.languageId, 'dockerfile');
      assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());
    } finally {
      await closeAllAndDelete(vscode.Uri.joinPath(uri, '..'));
    }
  });

  test('runs the extension from the source tree or the installed .vsix, as this run asked', async function () {
    const extension = await activateExtension(this);
    const expected = process.env.GDC_VSCODE_EXTENSION_FROM ?? '';
    const [kind, location] = [expected.slice(0, expected.indexOf(':')), expected.slice(expected.indexOf(':') + 1)];
    const actual = extension.extensionUri.fsPath;
    if (kind === 'vsix') {
      assert.equal(path.dirname(actual), location, 'the extension is the one installed into the extensions folder');
    } else {
      assert.equal(kind, 'source', `GDC_VSCODE_EXTENSION_FROM says where the extension comes from (got "${expected}")`);
      assert.equal(actual, location);
    }
  });
});
