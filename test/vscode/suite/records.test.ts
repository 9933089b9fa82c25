// Build records in the editor: a `.dockerbuild` file recorded by the real buildx
// (test/fixtures/records) annotates the Dockerfile it built, each line saying
// where the build ran, read back through the extension's API.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, BUILDER, closeAllAndDelete, lineStarting, openEditor, requireBuilder, setSetting, waitFor, workspaceUri, type BuildAnnotation } from './helpers';

function docker(args: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('docker', args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` }));
  });
}

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

/**
 * The recorded app (Dockerfile, go.mod, main.go), in a folder of the workspace. A module with no
 * requirements, so it builds offline on the test engine.
 */
async function recordedDockerfile(folder: string): Promise<vscode.Uri> {
  await vscode.workspace.fs.copy(vscode.Uri.file(path.join(RECORDS, 'app')), workspaceUri(folder), { overwrite: true });
  return workspaceUri(`${folder}/Dockerfile`);
}

/** A test that builds on the current-BuildKit builder: the extension's API and a fresh copy of the recorded app. */
async function builderTest(context: Mocha.Context, folder: string): Promise<{ api: Api; uri: vscode.Uri; dir: string }> {
  context.timeout(15 * 60_000);
  const extension = await activateExtension(context);
  await requireBuilder(context);
  const uri = await recordedDockerfile(folder);
  return { api: extension.exports as Api, uri, dir: path.dirname(uri.fsPath) };
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

  test('Show Last Build annotates the Dockerfile from its newest record on the builder, built in a terminal', async function () {
    const { api, uri, dir } = await builderTest(this, 'records-last-build');
    try {
      // Twice, the way someone builds in a terminal: the second build finds every step cached.
      for (const round of [1, 2]) {
        const built = await docker(['buildx', 'build', '--builder', BUILDER, '--progress=plain', dir], 10 * 60_000);
        assert.equal(built.code, 0, `terminal build ${round}: ${built.output.slice(-2000)}`);
      }
      await setSetting('build.builder', BUILDER);
      const { document } = await openEditor(uri);
      const view = await vscode.commands.executeCommand<RecordView>('goDockerfileCache.showLastBuild', uri);
      assert.ok(view, 'a record of this Dockerfile was found');
      assert.equal(view.source, 'builder');
      assert.match(view.origin, new RegExp(`^build on ${BUILDER}, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`));
      const annotations = api.getBuildAnnotations(uri.toString());
      // Not WORKDIR: a concurrent build on the shared builder may take its report.
      for (const prefix of ['COPY go.mod', 'RUN go mod download', 'COPY . .', 'RUN go build']) {
        const annotation = annotations.find((a) => a.line === lineStarting(document, prefix));
        assert.equal(annotation?.state, 'cached', `${prefix} is cached in the second build (annotated: ${annotations.map((a) => `${a.line + 1}:${a.state}`).join(', ')})`);
        assert.ok(annotation.text.endsWith(view.origin));
      }
    } finally {
      await setSetting('build.builder', undefined);
      await closeAllAndDelete(vscode.Uri.joinPath(uri, '..'));
    }
  });

  test('with history.watch, a terminal build shows on the Dockerfile after the next save', async function () {
    const { api, uri, dir } = await builderTest(this, 'records-watch');
    // The store reports to no event the suite can see: look twice a second, until the deadline.
    const tick = new vscode.EventEmitter<void>();
    const timer = setInterval(() => tick.fire(), 500);
    try {
      await setSetting('build.builder', BUILDER);
      const editor = await openEditor(uri);
      assert.equal(api.getBuildRecord(uri.toString()), undefined, 'nothing built this copy yet');
      const built = await docker(['buildx', 'build', '--builder', BUILDER, '--progress=plain', dir], 10 * 60_000);
      assert.equal(built.code, 0, built.output.slice(-2000));
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      await editor.edit((edit) => edit.insert(end, '\n# saved after a terminal build\n'));
      assert.ok(await editor.document.save(), 'the Dockerfile is saved');
      const view = await waitFor(tick.event, () => api.getBuildRecord(uri.toString()), 'the watch to annotate the Dockerfile from the new record', 5 * 60_000);
      assert.equal(view.source, 'builder');
      const goBuild = api.getBuildAnnotations(uri.toString()).find((a) => a.line === lineStarting(editor.document, 'RUN go build'));
      assert.ok(goBuild, 'RUN go build is annotated');
      assert.ok(goBuild.text.endsWith(view.origin));
    } finally {
      clearInterval(timer);
      tick.dispose();
      await setSetting('build.builder', undefined);
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
