// Where builds run, end to end: the same Dockerfile gets the local advice (GD004) until a
// workflow that builds it with an exported cache appears, then the CI advice (GD021), and the
// hover names the workflow line.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { goProject, hoverText, positionOf, TestClient, type Project } from './harness';

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);
const has = (rule: string) => (diagnostics: Diagnostic[]) => codes(diagnostics).includes(rule);
const lacks = (rule: string) => (diagnostics: Diagnostic[]) => !codes(diagnostics).includes(rule);

const DOCKERFILE = [
  'FROM golang:1.22 AS build',
  'WORKDIR /src',
  'COPY go.mod go.sum ./',
  'RUN go mod download',
  'COPY . .',
  'RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /out/app .',
  '',
  'FROM gcr.io/distroless/static-debian12',
  'COPY --from=build /out/app /app',
  '',
].join('\n');

const WORKFLOW = [
  'name: image',
  'on: push',
  'jobs:',
  '  image:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - uses: docker/setup-buildx-action@v3',
  '      - uses: docker/build-push-action@v6',
  '        with:',
  '          push: true',
  '          cache-from: type=gha',
  '          cache-to: type=gha,mode=max',
  '',
].join('\n');

async function fixFor(client: TestClient, uri: string, diagnostics: Diagnostic[], rule: string): Promise<CodeAction> {
  const finding = diagnostics.find((d) => d.code === rule)!;
  const actions = await client.codeActions(uri, finding.range, [finding]);
  const fix = actions.find((a) => a.kind === 'quickfix' && a.isPreferred && a.diagnostics?.some((d) => d.code === rule));
  assert.ok(fix, `no preferred fix for ${rule}`);
  return fix;
}

describe('where builds run', () => {
  let client: TestClient;
  let project: Project;
  before(async () => {
    project = goProject(DOCKERFILE);
    client = await TestClient.start();
    await client.open(project.uri, DOCKERFILE);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(project.dir, { recursive: true, force: true });
  });

  it('built locally: GD004 asks for a module-cache mount, and the hover on FROM says local', async () => {
    const { uri } = project;
    const diagnostics = await client.diagnosticsFor(uri, has('GD004'), 'GD004 locally');
    assert.deepEqual(codes(diagnostics).filter((c) => c === 'GD021' || c === 'GD022'), []);
    await client.apply((await fixFor(client, uri, diagnostics, 'GD004')).edit!);
    assert.equal(client.text(uri).split('\n')[3], 'RUN --mount=type=cache,target=/go/pkg/mod go mod download');
    await client.diagnosticsFor(uri, (d) => lacks('GD004')(d) && lacks('GD021')(d), 'no GD004 nor GD021 after the local fix');
    assert.match(hoverText(await client.hover(uri, positionOf(client.text(uri), 'golang:1.22'))), /Built locally: no CI file of this repository builds it/);
  });

  it('a workflow that builds it with an exported cache appears: GD021 on the mount, the hover names the workflow line', async () => {
    const { uri } = project;
    const file = path.join(project.dir, '.github', 'workflows', 'image.yml');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, WORKFLOW);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 1 }] });
    const diagnostics = await client.diagnosticsFor(uri, has('GD021'), 'GD021 once a workflow builds it');
    const gd021 = diagnostics.find((d) => d.code === 'GD021')!;
    assert.equal(gd021.range.start.line, 3);
    assert.match(String(gd021.message), /built in CI by \.github\/workflows\/image\.yml:9 \(cache-to type=gha,mode=max\)/);
    const text = client.text(uri);
    const expected = 'Built in CI by .github/workflows/image.yml:9 (cache-to type=gha,mode=max): cache mounts start empty there';
    assert.ok(hoverText(await client.hover(uri, positionOf(text, 'golang:1.22'))).includes(expected), 'hover on FROM');
    assert.ok(hoverText(await client.hover(uri, positionOf(text, 'type=cache,target=/go/pkg/mod'))).includes(expected), 'hover on the cache mount');
    // The CI fix takes the module download back into the layer, and GD004 stays silent in CI.
    await client.apply((await fixFor(client, uri, diagnostics, 'GD021')).edit!);
    assert.equal(client.text(uri).split('\n')[3], 'RUN go mod download');
    await client.diagnosticsFor(uri, (d) => lacks('GD021')(d) && lacks('GD004')(d), 'neither GD021 nor GD004 after the CI fix');
  });

  it('the setting overrides what the CI files say', async () => {
    const { uri } = project;
    await client.changeSettings({ buildsIn: 'local' });
    await client.diagnosticsFor(uri, has('GD004'), 'GD004 again with buildsIn: local');
    await client.changeSettings({});
  });
});
