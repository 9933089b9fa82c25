import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { hoverMarkdown } from '../../../client/src/profile/hoverText';
import { step } from './steps';

describe('hover on an annotated instruction', () => {
  const cached = step({ line: 2, state: 'cached', stage: 'build', instruction: 'COPY go.mod go.sum ./', index: 2, total: 5 });
  const built = step({
    line: 4, state: 'done', stage: 'build', index: 3, total: 5, instruction: 'RUN go mod download', durationMs: 12_400, share: 0.31,
    missReason: 'cache miss starts here: go.sum changed since the last profiled build',
    logs: ['go: downloading golang.org/x/sync v0.7.0', 'go: downloading golang.org/x/mod v0.17.0'],
  });

  it('names the step, its state, time and share of the build', () => {
    const text = hoverMarkdown(built, 40_000);
    assert.match(text, /^\*\*RUN go mod download\*\* \(step 3\/5\)/);
    assert.match(text, /stage `build` · built/);
    assert.match(text, /Time: 12\.4 s · 31% of the build \(40\.0 s\)/);
    assert.match(text, /Cache miss starts here: go\.sum changed since the last profiled build/);
  });

  it('shows the step\'s last log lines', () => {
    assert.match(hoverMarkdown(built, 40_000, 'CI record build.dockerbuild, 2026-12-05 14:03 UTC, 41.8 s: 3 of 9 steps cached'), /\n\nFrom the CI record build\.dockerbuild, 2026-12-05 14:03 UTC, 41\.8 s: 3 of 9 steps cached\n\nLast log lines:/);
    assert.match(hoverMarkdown(built, 40_000), /Last log lines:\n\n```text\ngo: downloading golang\.org\/x\/sync v0\.7\.0\ngo: downloading golang\.org\/x\/mod v0\.17\.0\n```$/);
  });

  it('gives a cached step no time and no miss', () => {
    const text = hoverMarkdown(cached, 40_000);
    assert.match(text, /· cached/);
    assert.doesNotMatch(text, /Time:|miss/);
  });

  it('says why a step failed', () => {
    const text = hoverMarkdown(step({ line: 0, state: 'error', error: 'exit code: 1', durationMs: 300 }), undefined);
    assert.match(text, /failed/);
    assert.match(text, /Error: exit code: 1/);
  });

  it('keeps backticks in logs inside the code block', () => {
    const text = hoverMarkdown(step({ line: 0, state: 'error', error: 'failed', logs: ['```', 'after'] }), undefined);
    assert.match(text, /````text\n```\nafter\n````$/);
  });
});
