// The rawjson parser on lines written by hand in BuildKit's SolveStatus JSON, for the cases a
// recording cannot give at will; progress-current.test.ts reads real buildx transcripts.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { annotateSteps } from '../../../server/src/profile/annotate';
import { VertexTable } from '../../../server/src/profile/events';
import { RawJsonProgressParser } from '../../../server/src/profile/progress-rawjson';
import { planSteps } from '../../../server/src/profile/steps';
import { fixture, parseInChunks } from './transcripts';

const T0 = '2024-05-01T10:00:00.000000000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const b64 = (text: string) => Buffer.from(text).toString('base64');
const DIGEST = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

const LINES = [
  { vertexes: [{ digest: DIGEST(1), name: '[internal] load build definition from Dockerfile', started: at(0) }] },
  { vertexes: [{ digest: DIGEST(1), name: '[internal] load build definition from Dockerfile', started: at(0), completed: at(0.1) }] },
  { vertexes: [{ digest: DIGEST(2), name: '[build 1/5] FROM docker.io/library/golang:1.19', started: at(0.2), completed: at(0.2) }] },
  { vertexes: [{ digest: DIGEST(3), name: '[build 2/5] WORKDIR /src', started: at(0.2), completed: at(0.2), cached: true }] },
  { vertexes: [{ digest: DIGEST(4), name: '[build 3/5] COPY . .', started: at(0.3), completed: at(0.4) }] },
  { vertexes: [{ digest: DIGEST(5), name: '[build 4/5] RUN go mod download', inputs: [DIGEST(4)], started: at(0.5) }] },
  { logs: [{ vertex: DIGEST(5), stream: 2, data: b64('go: downloading exam'), timestamp: at(1) }] },
  { logs: [{ vertex: DIGEST(5), stream: 2, data: b64('ple.com/x v1.0.0\ndone\n'), timestamp: at(2) }], statuses: [{ id: 'x', vertex: DIGEST(5), name: 'extracting', current: 1 }] },
  { vertexes: [{ digest: DIGEST(5), name: '[build 4/5] RUN go mod download', started: at(0.5), completed: at(3), error: 'process "/bin/sh -c go mod download" did not complete successfully: exit code: 1' }] },
  { vertexes: [{ digest: DIGEST(6), name: '[build 5/5] RUN go build -o /out/app .', started: at(0.6), completed: at(3), error: 'context canceled' }] },
];
const TEXT = `${LINES.map((l) => JSON.stringify(l)).join('\n')}\nERROR: failed to solve: process "/bin/sh -c go mod download" did not complete successfully: exit code: 1\n`;

describe('rawjson progress parser', () => {
  it('turns SolveStatus lines into the same step states as plain progress', () => {
    const table = new VertexTable();
    table.applyAll(parseInChunks(TEXT, 13, new RawJsonProgressParser()));
    const steps = annotateSteps(planSteps(fixture('naive.Dockerfile')), table.vertices(), { finished: true, exitCode: 1, canceled: false, totalMs: 3000 });
    assert.deepEqual(steps.map((s) => [s.line, s.state, s.durationMs]), [
      [0, 'done', 0], [1, 'cached', undefined], [2, 'done', 100], [3, 'error', 2500], [4, 'canceled', 2400], [7, 'not-run', undefined],
    ]);
    assert.deepEqual(steps[3].logs, ['go: downloading example.com/x v1.0.0', 'done']);
    assert.match(steps[3].error!, /did not complete successfully: exit code: 1/);
    assert.deepEqual(table.output, ['ERROR: failed to solve: process "/bin/sh -c go mod download" did not complete successfully: exit code: 1']);
  });

  it('reads the same events whatever the chunk size', () => {
    const whole = parseInChunks(TEXT, undefined, new RawJsonProgressParser());
    for (const size of [1, 5, 100]) assert.deepEqual(parseInChunks(TEXT, size, new RawJsonProgressParser()), whole);
  });

  it('shows a listed step only once it starts; one stopped before it started did not run', () => {
    const listed = [
      { vertexes: [{ digest: DIGEST(5), name: '[build 4/5] RUN go mod download' }, { digest: DIGEST(6), name: '[build 5/5] RUN go build -o /out/app .' }] },
      { vertexes: [{ digest: DIGEST(5), name: '[build 4/5] RUN go mod download', started: at(0), completed: at(1), error: 'process "/bin/sh -c go mod download" did not complete successfully: exit code: 1' }] },
      { vertexes: [{ digest: DIGEST(6), name: '[build 5/5] RUN go build -o /out/app .', completed: at(1), error: 'context canceled' }] },
    ];
    const events = parseInChunks(`${listed.map((l) => JSON.stringify(l)).join('\n')}\n`, undefined, new RawJsonProgressParser());
    assert.deepEqual(events.map((e) => [e.type, 'id' in e ? e.id : '']), [['vertex', DIGEST(5)], ['error', DIGEST(5)]]);
    const table = new VertexTable();
    table.applyAll(events);
    const steps = annotateSteps(planSteps(fixture('naive.Dockerfile')), table.vertices(), { finished: true, exitCode: 1, canceled: false, totalMs: 1000 });
    assert.deepEqual(steps.filter((s) => s.line >= 3).map((s) => [s.line, s.state]), [[3, 'error'], [4, 'not-run'], [7, 'not-run']]);
  });

  it('reads the warnings of the Dockerfile checks, with their line', () => {
    const warning = { warnings: [{ vertex: DIGEST(1), level: 1, short: b64("FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)"), range: [{ start: { line: 1 }, end: { line: 1 } }] }, { short: b64('NoLine: somewhere') }, { short: 5 }] };
    const events = parseInChunks(`${JSON.stringify(warning)}\n`, undefined, new RawJsonProgressParser());
    assert.deepEqual(events, [
      { type: 'warning', message: "FromAsCasing: 'as' and 'FROM' keywords' casing do not match", line: 0 },
      { type: 'warning', message: 'NoLine: somewhere' },
    ]);
  });

  it('ignores malformed JSON fields instead of failing', () => {
    const bad = ['{"vertexes": 3}', '{"vertexes": [null, 1, {"digest": 5}]}', '{"logs": [{"vertex": "x", "data": 7}]}', '[1,2]', 'null', '{'];
    const events = parseInChunks(`${bad.join('\n')}\n`, undefined, new RawJsonProgressParser());
    assert.deepEqual(events.map((e) => e.type), ['output', 'output', 'output']);
  });
});
