// The plain-progress parser on real transcripts: every vertex, status and log line is read the
// same however the output is split into chunks.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { PlainProgressParser } from '../../../server/src/profile/progress-plain';
import { VertexTable } from '../../../server/src/profile/events';
import { fixture, parseInChunks } from './transcripts';

const TRANSCRIPTS = ['naive-uncached.txt', 'naive-cached.txt', 'naive-source-change.txt', 'failing-run.txt', 'multistage-parallel.txt', 'multistage-build-arg.txt', 'unnamed-stage.txt', 'canceled.txt'];

function vertices(transcript: string) {
  const table = new VertexTable();
  table.applyAll(parseInChunks(fixture(transcript)));
  return table;
}

describe('plain progress parser', () => {
  it('reads the same events whatever the chunk size', () => {
    for (const transcript of TRANSCRIPTS) {
      const whole = parseInChunks(fixture(transcript));
      for (const size of [1, 7, 64, 1000]) assert.deepEqual(parseInChunks(fixture(transcript), size), whole, `${transcript} in chunks of ${size}`);
    }
  });

  it('reads step names, times and logs of an uncached build', () => {
    const table = vertices('naive-uncached.txt');
    const names = table.vertices().map((v) => v.name);
    assert.deepEqual(names.filter((n) => !n.startsWith('[internal]')), [
      '[build 1/5] FROM docker.io/library/golang:1.19',
      '[build 2/5] WORKDIR /src',
      '[build 3/5] COPY . .',
      '[build 4/5] RUN go mod download',
      '[build 5/5] RUN go build -o /out/app .',
      '[stage-1 1/1] COPY --from=build /out/app /app',
      'exporting to image',
    ]);
    const download = table.vertices().find((v) => v.name.endsWith('RUN go mod download'))!;
    assert.equal(download.state, 'done');
    assert.equal(download.durationMs, 200);
    assert.deepEqual(download.logs, ['go: no module dependencies to download']);
    assert.equal(table.vertices().find((v) => v.name.endsWith('go build -o /out/app .'))!.durationMs, 2200);
  });

  it('never keeps the digest line of docker 20.10 as a log', () => {
    for (const transcript of TRANSCRIPTS) {
      for (const vertex of vertices(transcript).vertices()) {
        assert.ok(!vertex.logs.some((l) => /^sha256:[0-9a-f]{64}$/.test(l)), `${transcript}: ${vertex.name}`);
      }
    }
  });

  it('keeps [internal] vertices apart from Dockerfile steps', () => {
    const internal = vertices('naive-uncached.txt').vertices().filter((v) => v.internal).map((v) => v.name);
    assert.ok(internal.includes('[internal] load build context'));
    assert.ok(internal.includes('exporting to image'));
    assert.ok(!internal.some((n) => n.includes('RUN')));
  });

  it('reads CACHED', () => {
    const steps = vertices('naive-cached.txt').vertices().filter((v) => !v.internal);
    assert.deepEqual(steps.map((v) => [v.name.split('] ')[1], v.state]), [
      ['FROM docker.io/library/golang:1.19', 'done'],
      ['WORKDIR /src', 'cached'],
      ['RUN go mod download', 'cached'],
      ['COPY . .', 'cached'],
      ['RUN go build -o /out/app .', 'cached'],
      ['COPY --from=build /out/app /app', 'cached'],
    ]);
  });

  it('reads an ERROR with its message and the output after it', () => {
    const table = vertices('failing-run.txt');
    const test = table.vertices().find((v) => v.name === '[build 6/7] RUN go test ./...')!;
    assert.equal(test.state, 'error');
    assert.equal(test.error, 'executor failed running [/bin/sh -c go test ./...]: exit code: 1');
    assert.ok(test.logs.includes('    main_test.go:7: add(2, 2) = 0, want 4'));
    // No time is printed for a failed step; its last log line says how long it ran.
    assert.equal(test.durationMs, 5807);
    assert.equal(table.output.at(-1), 'executor failed running [/bin/sh -c go test ./...]: exit code: 1');
  });

  it('reads CANCELED', () => {
    const table = vertices('canceled.txt');
    assert.equal(table.vertices().find((v) => v.name.endsWith('RUN go build -o /out/app .'))!.state, 'canceled');
    assert.deepEqual(table.output, ['context canceled']);
  });

  it('follows interleaved blocks of parallel stages without duplicating steps', () => {
    const table = vertices('multistage-parallel.txt');
    const vet = table.vertices().filter((v) => v.name === '[tools 4/5] RUN go vet ./... && go test ./...');
    assert.equal(vet.length, 1);
    assert.equal(vet[0].state, 'done');
    assert.deepEqual(vet[0].logs.filter((l) => l.startsWith('ok')), ['ok  \texample.com/multistage/internal/status\t0.003s']);
    const build = table.vertices().find((v) => v.name.startsWith('[build 6/6] RUN go build'))!;
    // The other stage's block started before this one ended: the stages ran at the same time.
    assert.ok(vet[0].order < build.order);
    assert.equal(build.state, 'done');
  });

  it('keeps lines that belong to no step as output, and survives garbage', () => {
    const parser = new PlainProgressParser();
    const events = [...parser.push('\u0000\u0007 garbage\n#x not a vertex\n#12\n\n#3 [a 1/1] RUN true\n#3 DONE notatime\n'), ...parser.end()];
    assert.deepEqual(events.filter((e) => e.type === 'output').map((e) => e.type === 'output' && e.text), ['\u0000\u0007 garbage', '#x not a vertex', '#12']);
    assert.deepEqual(events.filter((e) => e.type === 'vertex'), [{ type: 'vertex', id: '3', name: '[a 1/1] RUN true' }]);
  });
});
