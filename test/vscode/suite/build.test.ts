import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, BUILDER, closeAllAndDelete, lineStarting, openEditor, requireBuilder, scratchCopy, setSetting, useHostNetwork, type BuildAnnotation } from './helpers';

const buildCommand = 'goDockerfileCache.buildAndProfile';
const timed = /\d+(\.\d+)?\s*(ms|s|m)\b/;

function annotationsOf(uri: vscode.Uri): Thenable<BuildAnnotation[]> {
  return vscode.commands.executeCommand<BuildAnnotation[]>('goDockerfileCache.getBuildAnnotations', uri.toString());
}

function at(annotations: BuildAnnotation[], line: number): BuildAnnotation {
  const found = annotations.find((a) => a.line === line);
  assert.ok(found, `line ${line + 1} is annotated (annotated: ${annotations.map((a) => `${a.line + 1}:${a.state}`).join(', ')})`);
  return found;
}

suite('Build and Profile', () => {
  teardown(async () => {
    await setSetting('build.extraArgs', undefined);
    await setSetting('build.builder', undefined);
  });

  test('the command is registered and titled for the Command Palette', async function () {
    const extension = await activateExtension(this);
    assert.ok((await vscode.commands.getCommands(true)).includes(buildCommand), `${buildCommand} is registered`);
    const contributed = (extension.packageJSON as { contributes?: { commands?: { command: string; title: string; category?: string }[] } })
      .contributes?.commands?.find((c) => c.command === buildCommand);
    assert.ok(contributed, `${buildCommand} is contributed`);
    assert.equal(contributed.category ? `${contributed.category}: ${contributed.title}` : contributed.title, 'Go Dockerfile: Build and Profile');
  });

  test('a real build on current BuildKit (builder setting) annotates each step with its time, and a rebuild with cached', async function () {
    this.timeout(15 * 60_000);
    const extension = await activateExtension(this);
    await requireBuilder(this);
    await useHostNetwork(extension);
    await setSetting('build.builder', BUILDER);
    const uri = await scratchCopy('naive', 'build');
    // Source nobody built before, so the build has steps to run and time, whatever the cache holds.
    const main = vscode.Uri.joinPath(uri, '..', 'main.go');
    const source = Buffer.from(await vscode.workspace.fs.readFile(main)).toString('utf8');
    await vscode.workspace.fs.writeFile(main, Buffer.from(`${source}\n// changed at ${new Date().toISOString()}\n`));
    const { document } = await openEditor(uri);
    const buildLine = lineStarting(document, 'RUN go build');

    await vscode.commands.executeCommand(buildCommand, uri);
    const first = await annotationsOf(uri);
    assert.deepEqual(first.filter((a) => !['done', 'cached'].includes(a.state)), [], 'every annotated step finished');
    assert.equal(at(first, buildLine).state, 'done', 'the changed source is compiled');
    // A step that ran shows its time; FROM only resolves the base image and has none to show.
    const ran = first.filter((a) => a.state === 'done' && /^(RUN|COPY)\b/.test(document.lineAt(a.line).text.trim()));
    for (const done of ran) assert.match(done.text, timed, `line ${done.line + 1} shows how long it took (it says "${done.text}")`);

    // Nothing changed, so BuildKit answers every step from its cache.
    await vscode.commands.executeCommand(buildCommand, uri);
    const second = await annotationsOf(uri);
    assert.equal(at(second, buildLine).state, 'cached');
    assert.match(at(second, buildLine).text, /cached/i);

    const api = extension.exports as { getBuildAnnotations?(uri: string): BuildAnnotation[] | Promise<BuildAnnotation[]> } | undefined;
    assert.deepEqual(await api?.getBuildAnnotations?.(uri.toString()), second, 'activate() exposes the same annotations');

    await vscode.commands.executeCommand('goDockerfileCache.clearBuildAnnotations');
    assert.deepEqual(await annotationsOf(uri), [], 'clearing removes every annotation');
    await closeAllAndDelete(vscode.Uri.joinPath(uri, '..'));
  });
});
