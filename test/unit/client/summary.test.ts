import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { lensSummary, statusText } from '../../../client/src/profile/summary';
import type { BuildSummary } from '../../../server/src/profile/model';
import { step } from './steps';

const slowest = [
  step({ line: 9, state: 'done', durationMs: 24_000, share: 0.6, instruction: 'RUN go build -o /app ./cmd/app' }),
  step({ line: 6, state: 'done', durationMs: 12_400, share: 0.31, instruction: 'RUN go mod download' }),
];
const ok: BuildSummary = { totalMs: 40_000, cached: 5, total: 9, slowest, exitCode: 0, canceled: false };

describe('build summary in one line', () => {
  it('gives total time and cached steps in the status bar', () => {
    assert.equal(statusText(ok), '$(check) Docker build 40.0 s · 5/9 cached');
    assert.equal(statusText({ ...ok, totalMs: 125_000 }), '$(check) Docker build 2 m 05 s · 5/9 cached');
  });

  it('shows a failed or canceled build as such', () => {
    assert.match(statusText({ ...ok, exitCode: 1, error: 'failed' }), /^\$\(error\) /);
    assert.match(statusText({ ...ok, exitCode: null, error: 'Docker is not installed' }), /^\$\(error\) /);
    assert.match(statusText({ ...ok, canceled: true, exitCode: null }), /^\$\(circle-slash\) /);
  });

  it('sums the last build up in the code lens, with its slowest step', () => {
    assert.equal(lensSummary(ok), 'Last build: built in 40.0 s · 5/9 cached · slowest: line 10 (24.0 s)');
    assert.equal(lensSummary({ ...ok, slowest: [], cached: 9 }), 'Last build: built in 40.0 s · 9/9 cached');
    assert.equal(lensSummary({ ...ok, slowest: [], cached: 9 }, 'CI record build.dockerbuild, 2026-12-05 14:03 UTC'), 'Last build (CI record build.dockerbuild, 2026-12-05 14:03 UTC): built in 40.0 s · 9/9 cached');
    assert.match(lensSummary({ ...ok, canceled: true, exitCode: null }), /^Last build: canceled after 40\.0 s/);
    assert.match(lensSummary({ ...ok, exitCode: 1, error: 'x' }), /^Last build: failed after 40\.0 s/);
  });
});
