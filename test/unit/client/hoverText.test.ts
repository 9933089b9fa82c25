import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { toLineAnnotations } from '../../../client/src/build/annotations';
import { hoverMarkdown } from '../../../client/src/build/hoverText';
import { step } from './steps';

describe('hover on an annotated instruction', () => {
  const [cached, built] = toLineAnnotations([
    step({ line: 2, state: 'cached', stage: 'build', instruction: 'COPY go.mod go.sum ./', index: 2, total: 5 }),
    step({
      line: 4, state: 'done', stage: 'build', index: 3, total: 5, instruction: 'RUN go mod download', durationMs: 12_400, share: 0.31,
      missReason: 'go.sum changed', logs: Array.from({ length: 14 }, (_, i) => `go: downloading m${i + 1}`),
    }),
  ]);

  it('names the step, its state, time and share of the build', () => {
    const text = hoverMarkdown(built, 40_000);
    assert.match(text, /^\*\*RUN go mod download\*\* \(step 3\/5\)/);
    assert.match(text, /stage `build` · built/);
    assert.match(text, /Time: 12\.4 s · 31% of the build \(40\.0 s\)/);
    assert.match(text, /Cache miss starts here: go\.sum changed/);
  });

  it('shows the last ten log lines', () => {
    const text = hoverMarkdown(built, 40_000);
    assert.match(text, /go: downloading m14/);
    assert.match(text, /go: downloading m5\n/);
    assert.doesNotMatch(text, /go: downloading m4\n/);
  });

  it('gives a cached step no time and no miss', () => {
    const text = hoverMarkdown(cached, 40_000);
    assert.match(text, /· cached/);
    assert.doesNotMatch(text, /Time:|miss/);
  });

  it('keeps backticks in logs inside the code block', () => {
    const [annotation] = toLineAnnotations([step({ line: 0, state: 'error', error: 'failed', logs: ['```', 'after'] })]);
    const text = hoverMarkdown(annotation, undefined);
    assert.match(text, /````text\n```\nafter\n````$/);
  });
});
