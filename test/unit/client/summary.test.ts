import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { lensSummary, statusText, summaryReport } from '../../../client/src/build/summary';
import type { BuildSummary } from '../../../server/src/build/model';
import { step } from './steps';

const slowest = [
  step({ line: 9, state: 'done', durationMs: 24_000, share: 0.6, instruction: 'RUN go build -o /app ./cmd/app' }),
  step({ line: 6, state: 'done', durationMs: 12_400, share: 0.31, instruction: 'RUN go mod download' }),
  step({ line: 3, state: 'done', durationMs: 2_000, share: 0.05, instruction: 'RUN apk add git' }),
];
const ok: BuildSummary = { totalMs: 40_000, cached: 5, total: 9, slowest, exitCode: 0, canceled: false };

describe('build summary', () => {
  it('gives total time and cached steps in the status bar', () => {
    assert.equal(statusText(ok), '$(check) Docker build 40.0 s · 5/9 cached');
    assert.match(statusText({ ...ok, exitCode: 1, error: 'failed' }), /^\$\(error\) /);
    assert.match(statusText({ ...ok, canceled: true, exitCode: null }), /^\$\(circle-slash\) /);
  });

  it('lists the three slowest steps in the report', () => {
    assert.deepEqual(summaryReport(ok), [
      'Build in 40.0 s (exit code 0)',
      'Steps cached: 5 / 9',
      'Slowest steps:',
      '  24.0 s  60%  line 10  RUN go build -o /app ./cmd/app',
      '  12.4 s  31%  line 7  RUN go mod download',
      '  2.0 s  5%  line 4  RUN apk add git',
    ]);
  });

  it('says when the build failed or was canceled, and why', () => {
    const failed = summaryReport({ ...ok, exitCode: 1, error: 'process "/bin/sh -c go build" did not complete successfully' });
    assert.deepEqual(failed.slice(0, 2), ['Build failed after 40.0 s (exit code 1)', 'Error: process "/bin/sh -c go build" did not complete successfully']);
    assert.equal(summaryReport({ ...ok, canceled: true, exitCode: null, slowest: [] })[0], 'Build canceled after 40.0 s');
  });

  it('sums the last build up in the code lens', () => {
    assert.equal(lensSummary(ok), 'Last build in 40.0 s · 5/9 cached · slowest: line 10 (24.0 s)');
    assert.equal(lensSummary({ ...ok, slowest: [], cached: 9 }), 'Last build in 40.0 s · 9/9 cached');
  });

  it('writes long builds in minutes', () => {
    assert.equal(statusText({ ...ok, totalMs: 125_000 }), '$(check) Docker build 2 m 05 s · 5/9 cached');
  });
});
