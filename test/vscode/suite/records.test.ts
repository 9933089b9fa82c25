// Build records in the editor: a `.dockerbuild` file recorded by the real buildx
// (test/fixtures/records) annotates the Dockerfile it built, each line saying
// where the build ran, read back through the extension's API.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllAndDelete, lineStarting, openEditor, workspaceUri, type BuildAnnotation } from './helpers';

// The suite is bundled into test/vscode/out/suite; the fixtures stay in the source tree.
const RECORDS = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'records');

interface RecordView {
  origin: string;
  headline: string;
  ref: string;
  source: 'builder' | 'archive';
  unplaced: number;
}

interface Api {
  getBuildAnnotations(uri: string): BuildAnnotation[];
  getBuildRecord(uri: string): RecordView | undefined;
}

/** The recorded app's Dockerfile, in a folder of the workspace. */
async function recordedDockerfile(folder: string): Promise<vscode.Uri> {
  const uri = workspaceUri(`${folder}/Dockerfile`);
  await vscode.workspace.fs.copy(vscode.Uri.file(path.join(RECORDS, 'app', 'Dockerfile')), uri, { overwrite: true });
  return uri;
}

suite('Build records', () => {
  test('Open Build Record annotates the Dockerfile from a .dockerbuild file, each line saying where the build ran', async function () {
    const extension = await activateExtension(this);
    const api = extension.exports as Api;
    const uri = await recordedDockerfile('records-open');
    const { document } = await openEditor(uri);
    try {
      const view = await vscode.commands.executeCommand<RecordView>('goDockerfileCache.openBuildRecord', vscode.Uri.file(path.join(RECORDS, 'app-edited.dockerbuild')), uri);
      assert.ok(view, 'the record was opened');
      assert.equal(view.source, 'archive');
      assert.match(view.origin, /^record app-edited\.dockerbuild, 2026-12-06 \d\d:\d\d UTC$/);
      assert.match(view.headline, /: 3 of 6 steps cached$/);
      assert.deepEqual(api.getBuildRecord(uri.toString()), view);

      const annotations = api.getBuildAnnotations(uri.toString());
      const on = (prefix: string) => annotations.find((a) => a.line === lineStarting(document, prefix));
      assert.equal(on('COPY go.mod')?.state, 'cached');
      assert.equal(on('RUN go mod download')?.state, 'cached');
      assert.equal(on('RUN go build')?.state, 'done');
      assert.match(on('RUN go build')!.text, /^\d+\.\d s {2}· record app-edited\.dockerbuild, 2026-12-06/);
      for (const annotation of annotations) assert.ok(annotation.text.endsWith(view.origin), `line ${annotation.line + 1} says where the build ran: "${annotation.text}"`);
    } finally {
      await closeAllAndDelete(vscode.Uri.joinPath(uri, '..'));
    }
  });

  test('a damaged record annotates nothing', async function () {
    const extension = await activateExtension(this);
    const api = extension.exports as Api;
    const uri = await recordedDockerfile('records-damaged');
    await openEditor(uri);
    try {
      const view = await vscode.commands.executeCommand('goDockerfileCache.openBuildRecord', vscode.Uri.file(path.join(RECORDS, 'damaged', 'wrong-digest.dockerbuild')), uri);
      assert.equal(view, undefined);
      assert.deepEqual(api.getBuildAnnotations(uri.toString()), []);
      assert.equal(api.getBuildRecord(uri.toString()), undefined);
    } finally {
      await closeAllAndDelete(vscode.Uri.joinPath(uri, '..'));
    }
  });
});
