import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { costliestText, measuredBuildFromSteps } from '../../../client/src/measure/costText';
import { renderMeasureHtml } from '../../../client/src/measure/view';
import type { MeasureReport } from '../../../server/src/measure/measure';
import { step } from './steps';

const REPORT: MeasureReport = {
  version: 1,
  original: { rebuildSeconds: 34.2, roundSeconds: [34.2], steps: [
    { line: 1, instruction: 'FROM golang:1.26 AS build', seconds: 0, cached: false },
    { line: 3, instruction: 'COPY . .', seconds: 0.2, cached: false },
    { line: 4, instruction: 'RUN go mod download', seconds: 21, cached: false },
    { line: 5, instruction: 'RUN go build -o /out/<app> .', seconds: 12.5, cached: false },
  ] },
  fixed: { rebuildSeconds: 2.1, roundSeconds: [2.1], steps: [
    { line: 4, instruction: 'RUN --mount=type=cache,target=/go/pkg/mod go mod download', seconds: 0, cached: true },
    { line: 6, instruction: 'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/<app> .', seconds: 1.8, cached: false },
  ] },
  speedup: 16.29,
  rounds: 1,
  engine: { builder: 'gdc-buildkit', buildkitVersion: 'v0.34.2' },
  diff: '--- Dockerfile\n+++ Dockerfile (fixed)\n@@ -1,5 +1,6 @@\n FROM golang:1.26 AS build\n+COPY go.mod go.sum ./\n-RUN go mod download\n',
  change: 'main.go',
  buildsIn: 'local',
};

describe('Measure the Fix: the result page', () => {
  it('shows both rebuild times, the speed-up, a bar per step, the diff and the apply button, with the user\'s text escaped', () => {
    const html = renderMeasureHtml(REPORT, 'Dockerfile', 'n0nce', 'vscode-resource:');
    assert.match(html, /<b>2\.1 s<\/b> with the fix, 34\.2 s without: <b>16\.3× faster<\/b>/);
    assert.match(html, /builder gdc-buildkit, BuildKit v0\.34\.2/);
    assert.ok(html.includes('go build -o /out/&lt;app&gt; .'), 'instructions are escaped');
    assert.ok(!html.includes('/out/<app>'));
    assert.match(html, /<span class="add">\+COPY go\.mod go\.sum \.\/<\/span>/);
    assert.match(html, /<button id="apply">Apply the fix<\/button>/);
    assert.ok(!html.includes('FROM golang:1.26 AS build</td>'), 'FROM is not a step with a time');
    assert.match(html, /script-src 'nonce-n0nce'/);
    assert.match(renderMeasureHtml(REPORT, 'Dockerfile', 'n', 'c', true), /The fix is applied/);
  });

  it('draws each bar to scale through the page\'s nonce\'d style sheet, which its policy admits (it drops style attributes)', () => {
    const html = renderMeasureHtml(REPORT, 'Dockerfile', 'n0nce', 'vscode-resource:');
    assert.ok(!/\sstyle="/.test(html), 'no style attribute: the Content-Security-Policy would ignore it');
    const sheet = /<style nonce="n0nce">([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const width = (id: string) => new RegExp(`#${id} \\{ width: ([\\d.]+)%; \\}`).exec(sheet)?.[1];
    assert.ok(html.includes('<div id="original-1" class="ran">'), 'go mod download has its bar');
    assert.equal(width('original-1'), '100.0', 'the slowest step fills its cell');
    assert.equal(width('original-2'), '59.5', 'go build: 12.5 s of 21 s');
    assert.equal(width('original-0'), '1.0', 'COPY: 0.2 s of 21 s');
    assert.equal(width('fixed-0'), '0.0', 'a cached step has no bar');
  });

  it('puts the diff and the apply button above the per-step bars', () => {
    const html = renderMeasureHtml(REPORT, 'Dockerfile', 'n0nce', 'vscode-resource:');
    assert.ok(html.indexOf('<h2>The fix</h2>') < html.indexOf('<button id="apply">'));
    assert.ok(html.indexOf('<button id="apply">') < html.indexOf('<h2>Without the fix</h2>'));
  });
});

describe('measured costs in the client', () => {
  it('sends the seconds of steps that ran, none for cached ones', () => {
    const build = measuredBuildFromSteps([
      step({ line: 2, state: 'cached', instruction: 'COPY go.mod ./' }),
      step({ line: 3, state: 'done', durationMs: 2500, instruction: 'RUN go build .' }),
      step({ line: 4, state: 'not-run', instruction: 'RUN go test ./...' }),
    ]);
    assert.deepEqual(build.steps.map((s) => [s.line, s.cached, s.seconds]), [[2, true, undefined], [3, false, 2.5], [4, false, undefined]]);
    assert.equal(build.origin, 'the last build');
  });

  it('names the costliest finding for the status bar', () => {
    assert.equal(costliestText({ uri: 'u', costs: [{ rule: 'GD001', line: 2, seconds: 34.2, origin: 'the last build' }, { rule: 'GD003', line: 4, seconds: 3, origin: 'x' }] }), 'GD001 cost 34 s');
    assert.equal(costliestText({ uri: 'u', costs: [{ rule: 'GD003', line: 4, seconds: 3.14, origin: 'x' }] }), 'GD003 cost 3.1 s');
    assert.equal(costliestText({ uri: 'u', costs: [] }), undefined);
  });
});
