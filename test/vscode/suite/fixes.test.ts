import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  activateExtension, applyCodeAction, closeAllAndDelete, findRule, lineStarting, openEditor,
  ourDiagnostics, quickFixesAt, rules, scratchCopy, waitFor, waitForChange, waitForDiagnostics,
} from './helpers';

const gd001Title = 'Copy go.mod and go.sum and download modules before the source';

/** The naive file with the manifests copied and modules downloaded before `COPY . .`. */
async function expectedAfterGd001(document: vscode.TextDocument): Promise<string> {
  const lines = document.getText().split('\n');
  const download = lineStarting(document, 'RUN go mod download');
  const [downloadLine] = lines.splice(download, 1);
  const hasSum = await vscode.workspace.fs.stat(vscode.Uri.joinPath(document.uri, '..', 'go.sum')).then(() => true, () => false);
  const copyAll = lines.findIndex((l) => l.trim().startsWith('COPY . .'));
  lines.splice(copyAll, 0, hasSum ? 'COPY go.mod go.sum ./' : 'COPY go.mod ./', downloadLine);
  return lines.join('\n');
}

const fixAllKind = vscode.CodeActionKind.SourceFixAll.append('go-dockerfile-cache');

async function fixAllAction(uri: vscode.Uri, document: vscode.TextDocument): Promise<vscode.CodeAction | undefined> {
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, whole, fixAllKind.value);
  return actions.find((a) => a.kind && fixAllKind.contains(a.kind));
}

suite('Fixes', () => {
  let scratch: vscode.Uri | undefined;
  teardown(async () => {
    if (scratch) await closeAllAndDelete(vscode.Uri.joinPath(scratch, '..'));
    scratch = undefined;
  });

  test('the GD001 quick fix moves the module download before the source copy', async function () {
    await activateExtension(this);
    scratch = await scratchCopy('naive', 'quickfix');
    const { document } = await openEditor(scratch);
    const diagnostics = await waitForDiagnostics(scratch, (d) => rules(d).includes('GD001'), 'GD001');
    const fixes = await quickFixesAt(scratch, findRule(diagnostics, 'GD001').range);
    const fix = fixes.find((a) => a.title === gd001Title);
    assert.ok(fix, `quick fix "${gd001Title}" is offered (offered: ${fixes.map((a) => a.title).join(' | ')})`);
    assert.equal(fix.isPreferred, true, 'it is the preferred fix, so Ctrl+. Enter applies it');

    const expected = await expectedAfterGd001(document);
    const before = document.getText();
    await applyCodeAction(fix);
    assert.equal(await waitForChange(document, before), expected);
    await waitForDiagnostics(scratch, (d) => !rules(d).includes('GD001'), 'GD001 to go away after its fix');
  });

  test('source.fixAll, once saved, leaves no finding that has a fix, only suggestions', async function () {
    await activateExtension(this);
    scratch = await scratchCopy('naive', 'fixall');
    const { document } = await openEditor(scratch);
    await waitForDiagnostics(scratch, (d) => rules(d).includes('GD001') && rules(d).includes('GD003'), 'GD001 and GD003');

    const fixAll = await fixAllAction(scratch, document);
    assert.ok(fixAll, `a ${fixAllKind.value} action is offered`);
    const before = document.getText();
    await applyCodeAction(fixAll);
    await waitForChange(document, before);
    // Some fixes write other files of the build context (.dockerignore); they count once saved.
    await vscode.commands.executeCommand('workbench.action.files.saveAll');

    const fixed = scratch;
    const remaining = await waitFor(
      vscode.languages.onDidChangeDiagnostics,
      async () => ((await fixAllAction(fixed, document)) ? undefined : ourDiagnostics(fixed)),
      'fixing all again to have nothing left to do',
    );
    assert.deepEqual(rules(remaining).filter((r) => r === 'GD001' || r === 'GD003'), []);
    const suggestions: string[] = [];
    for (const diagnostic of remaining) {
      // Every finding can be silenced with an ignore comment; that is not a fix.
      const fixes = (await quickFixesAt(fixed, diagnostic.range)).filter((a) => !/^Disable GD\d+ for this line$/.test(a.title));
      assert.deepEqual(fixes.filter((f) => f.isPreferred).map((f) => f.title), [], `${rules([diagnostic])[0]} on line ${diagnostic.range.start.line + 1} still has a fix`);
      suggestions.push(...fixes.map((f) => `${rules([diagnostic])[0]}: ${f.title}`));
    }
    // A fix that changes what the image does at run time stays a suggestion, offered, never applied by fixAll.
    assert.deepEqual(suggestions, ['GD020: Run the final image as 65532:65532']);
    assert.match(document.getText(), /--mount=type=cache,target=\/root\/\.cache\/go-build/);
  });
});
