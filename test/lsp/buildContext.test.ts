// The build context the editor's builds take when goDockerfileCache.buildContext is empty: the
// server answers with the one its analysis reads, so Build and Profile, Measure the Fix and build
// records use the context the repository's own builds use.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD_CONTEXT_REQUEST, type BuildContextAnswer } from '../../server/src/features/buildContext';
import { goProject, TestClient, type Project } from './harness';

const DOCKERFILE = [
  'FROM golang:1.22 AS build',
  'WORKDIR /app',
  'COPY go.mod go.sum ./',
  'RUN go mod download',
  'COPY . .',
  'RUN go build -o /out/app .',
  '',
].join('\n');

describe('the default build context of the editor\'s builds', () => {
  let client: TestClient;
  let project: Project;
  let nested: string;
  before(async () => {
    project = goProject(DOCKERFILE, { 'docker/Dockerfile': DOCKERFILE, Makefile: 'image:\n\tdocker build -f docker/Dockerfile -t app .\n' });
    fs.mkdirSync(path.join(project.dir, '.git'));
    nested = pathToFileURL(path.join(project.dir, 'docker', 'Dockerfile')).href;
    client = await TestClient.start();
  });
  after(async () => {
    await client.stop();
    fs.rmSync(project.dir, { recursive: true, force: true });
  });

  const ask = (uri: string) => client.connection.sendRequest<BuildContextAnswer | null>(BUILD_CONTEXT_REQUEST, { uri });

  it('is the folder the repository\'s build uses, named with the line that builds it', async () => {
    assert.deepEqual(await ask(nested), { dir: project.dir, because: 'Makefile:2' });
  });

  it('is the Dockerfile\'s folder when no build names one', async () => {
    assert.deepEqual(await ask(project.uri), { dir: project.dir });
    fs.writeFileSync(path.join(project.dir, 'docker', 'other.Dockerfile'), DOCKERFILE);
    assert.deepEqual(await ask(pathToFileURL(path.join(project.dir, 'docker', 'other.Dockerfile')).href), { dir: path.join(project.dir, 'docker') });
  });

  it('answers nothing for a document that is not on disk', async () => {
    assert.equal(await ask('untitled:Untitled-1'), null);
  });
});
