import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDockerfile } from '../../../server/src/analysis/model/model';
import { defaultChangeFile } from '../../../server/src/measure/changeFile';
import { copyBuildContext } from '../../../server/src/measure/contextCopy';
import { isolateCacheMounts } from '../../../server/src/measure/isolate';
import { median, summarizeVariant } from '../../../server/src/measure/measure';
import { parseMeasureArgs, runMeasureCommand } from '../../../server/src/measure/measure-cli';
import type { BuildResult, StepAnnotation } from '../../../server/src/profile/model';
import { tempDir } from '../profile/temp';

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

function listed(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/')).sort();
}

describe('measure: the copies of the build context', () => {
  it('leaves out what .dockerignore leaves out, keeping exceptions', () => {
    const from = tempDir('gdc-measure-from-');
    write(from, { 'main.go': 'package main\n', '.git/HEAD': 'ref\n', 'docs/a.md': 'a', 'docs/keep.md': 'k', 'bin/app': 'x', '.dockerignore': '.git\ndocs\n!docs/keep.md\nbin/\n' });
    const to = path.join(tempDir('gdc-measure-to-'), 'ctx');
    const stats = copyBuildContext(from, to, fs.readFileSync(path.join(from, '.dockerignore'), 'utf8'));
    assert.deepEqual(listed(to), ['.dockerignore', 'docs/keep.md', 'main.go']);
    assert.equal(stats.files, 3);
  });
});

describe('measure: cache mounts of its own', () => {
  it('gives every cache mount an id of the run, and shows the user the instruction as they wrote it', () => {
    const text = 'FROM golang:1.26\nRUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,id=mods,target=/go/pkg/mod go build .\nRUN --mount=type=bind,target=/src true\n';
    const isolated = isolateCacheMounts(parseDockerfile(text), 'gdc-measure-abc-fixed');
    const run = isolated.text.split('\n')[1];
    assert.match(run, /--mount=type=cache,target=\/root\/\.cache\/go-build,id=gdc-measure-abc-fixed-root_.cache_go-build /);
    assert.match(run, /--mount=type=cache,id=gdc-measure-abc-fixed-mods,target=\/go\/pkg\/mod /);
    assert.equal(isolated.text.split('\n')[2], 'RUN --mount=type=bind,target=/src true', 'bind mounts are the user\'s');
    assert.equal(isolated.restore(run), text.split('\n')[1]);
  });

  it('a Dockerfile without cache mounts is left as it is', () => {
    const text = 'FROM golang:1.26\nRUN go build .\n';
    assert.equal(isolateCacheMounts(parseDockerfile(text), 'p').text, text);
  });
});

describe('measure: the file it changes', () => {
  it('is a .go file of the main package a go build names', () => {
    const dir = tempDir('gdc-measure-change-');
    write(dir, { 'go.mod': 'module x\n', 'main.go': 'package main\n', 'cmd/server/a.go': '// server\npackage main\n', 'cmd/server/a_test.go': 'package main\n', 'internal/x.go': 'package x\n' });
    const model = parseDockerfile('FROM golang:1.26\nCOPY . .\nRUN go build -o /app ./cmd/server\n');
    assert.equal(defaultChangeFile(model, dir, undefined), 'cmd/server/a.go');
    assert.equal(defaultChangeFile(parseDockerfile('FROM golang:1.26\nRUN go build .\n'), dir, undefined), 'main.go');
    assert.equal(defaultChangeFile(model, tempDir('gdc-measure-empty-'), undefined), undefined);
  });
});

function step(line: number, instruction: string, state: StepAnnotation['state'], durationMs: number): StepAnnotation {
  return { line, endLine: line, instruction, state, durationMs, logs: [] };
}

function result(totalMs: number, steps: StepAnnotation[]): BuildResult {
  return { steps, summary: { totalMs, cached: 0, total: steps.length, slowest: [], exitCode: 0, canceled: false } };
}

describe('measure: the numbers', () => {
  it('takes the median of the rounds, per build and per step; a step counts as cached only when every round found it cached', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    const summary = summarizeVariant([
      result(10_000, [step(2, 'RUN go mod download', 'cached', 0), step(4, 'RUN go build .', 'done', 9000)]),
      result(30_000, [step(2, 'RUN go mod download', 'done', 20_000), step(4, 'RUN go build .', 'done', 9500)]),
      result(12_000, [step(2, 'RUN go mod download', 'cached', 0), step(4, 'RUN go build .', 'done', 11_000)]),
    ]);
    assert.equal(summary.rebuildSeconds, 12);
    assert.deepEqual(summary.steps, [
      { line: 3, instruction: 'RUN go mod download', seconds: 0, cached: false },
      { line: 5, instruction: 'RUN go build .', seconds: 9.5, cached: false },
    ]);
  });
});

describe('measure on the command line', () => {
  it('checks its arguments', () => {
    assert.deepEqual(parseMeasureArgs(['--rounds', '5', '--format=json', '--builds-in', 'ci', '--builder', 'b', 'Dockerfile', '--', '--network=host']).options,
      { rounds: 5, buildsIn: 'local', extraArgs: ['--network=host'], builder: 'b' });
    assert.throws(() => parseMeasureArgs(['--rounds', '0', 'Dockerfile']), /--rounds takes a whole number/);
    assert.throws(() => parseMeasureArgs(['--builds-in', 'cloud', 'Dockerfile']), /--builds-in must be auto, local or ci/);
  });

  it('a Dockerfile fix does not change: "nothing to measure", exit 0, without starting docker', async () => {
    const dir = tempDir('gdc-measure-tuned-');
    write(dir, {
      'go.mod': 'module example.com/tuned\n\ngo 1.26\n\nrequire github.com/google/uuid v1.6.0\n',
      'go.sum': '',
      'main.go': 'package main\n\nfunc main() {}\n',
      '.dockerignore': '.git\n',
      Dockerfile: [
        'FROM golang:1.26@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS build',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
        'COPY . .',
        'RUN --mount=type=cache,target=/root/.cache/go-build --mount=type=cache,target=/go/pkg/mod CGO_ENABLED=0 go build -trimpath -o /out/app .',
        '',
        'FROM scratch',
        'COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'ENTRYPOINT ["/app"]',
        '',
      ].join('\n'),
    });
    let out = '';
    let err = '';
    const status = await runMeasureCommand([path.join(dir, 'Dockerfile'), '--docker', path.join(dir, 'no-such-docker')], {
      stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env: { ...process.env, CI: 'false' },
    });
    assert.equal(status, 0, err);
    assert.equal(out, 'nothing to measure: fix does not change this Dockerfile\n');
  });

  it('no main package to change: says to name one, exit 2', async () => {
    const dir = tempDir('gdc-measure-nomain-');
    write(dir, { 'go.mod': 'module x\n\ngo 1.26\n', 'lib.go': 'package lib\n', Dockerfile: 'FROM golang:1.26\nWORKDIR /src\nCOPY . .\nRUN go build ./...\n' });
    let err = '';
    const status = await runMeasureCommand([path.join(dir, 'Dockerfile')], { stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) }, env: process.env });
    assert.equal(status, 2);
    assert.match(err, /name the file to change with --change FILE/);
  });
});
