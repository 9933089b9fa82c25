import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../../../server/src/analysis/analyze';
import { memoryContext } from '../../../server/src/analysis/model/context';
import { withMeasuredCosts, type MeasuredBuild } from '../../../server/src/features/measuredCost';

const DOCKERFILE = [
  'FROM golang:1.26 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN go mod download',
  'RUN go build -o /out/app .',
  '',
  'FROM scratch',
  'COPY --from=build /out/app /app',
  '',
].join('\n');

const CONTEXT = memoryContext({ 'go.mod': 'module x\n\ngo 1.26\n\nrequire github.com/google/uuid v1.6.0\n', 'go.sum': 'x', 'main.go': 'package main\n' });

function build(overrides: Partial<Record<number, { seconds?: number; cached: boolean }>> = {}): MeasuredBuild {
  const lines = DOCKERFILE.split('\n');
  const steps = [1, 2, 3, 4, 7].map((line) => ({ line, endLine: line, instruction: lines[line], seconds: 1, cached: false, ...overrides[line] }));
  return { origin: 'the last build', steps };
}

describe('findings carry what they cost in a measured build', () => {
  it('GD001 at COPY . . counts its step and the ones after it in its stage that rebuilt', () => {
    const { model, findings } = analyze(DOCKERFILE, { context: CONTEXT });
    const measured = build({ 1: { cached: true }, 2: { seconds: 0.4, cached: false }, 3: { seconds: 21.3, cached: false }, 4: { seconds: 12.5, cached: false } });
    const { findings: costed } = withMeasuredCosts(findings, model, measured);
    const gd001 = costed.find((f) => f.rule === 'GD001');
    assert.ok(gd001, JSON.stringify(findings.map((f) => f.rule)));
    assert.match(gd001.message, /In the last build this step and the 2 after it rebuilt: 34\.2 s\.$/);
  });

  it('says nothing when the step was cached, for rules not about a cache miss, or when the line changed since the build', () => {
    const { model, findings } = analyze(DOCKERFILE, { context: CONTEXT });
    const cached = withMeasuredCosts(findings, model, build({ 2: { cached: true }, 3: { cached: true }, 4: { cached: true } }));
    assert.ok(cached.findings.every((f) => !/In the last build/.test(f.message)));
    const gd012 = withMeasuredCosts(findings, model, build()).findings.filter((f) => f.rule === 'GD012');
    assert.ok(gd012.every((f) => !/In the last build/.test(f.message)));
    const edited = analyze(DOCKERFILE.replace('COPY . .', 'COPY ./ ./'), { context: CONTEXT });
    const stale = withMeasuredCosts(edited.findings, edited.model, build());
    const copy = stale.findings.find((f) => f.rule === 'GD001');
    assert.ok(copy && !/In the last build/.test(copy.message), 'a line edited since the build gets no number of that build');
  });
});
