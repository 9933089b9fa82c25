// Real transcripts mapped onto the Dockerfiles that produced them: the line, state and time the
// editor and the terminal show for each instruction.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { annotateSteps } from '../../../server/src/profile/annotate';
import { VertexTable } from '../../../server/src/profile/events';
import { PlainProgressParser } from '../../../server/src/profile/progress-plain';
import { planSteps } from '../../../server/src/profile/steps';
import { fixture, replay } from './transcripts';

function states(steps: { line: number; state: string }[]): [number, string][] {
  return steps.map((s) => [s.line, s.state]);
}

describe('step annotations from real builds', () => {
  it('uncached build: every step ran, with its time, on its line', () => {
    const { steps, on } = replay('naive-uncached.txt', 'naive.Dockerfile');
    assert.deepEqual(states(steps), [[0, 'done'], [1, 'cached'], [2, 'done'], [3, 'done'], [4, 'done'], [7, 'done']]);
    assert.equal(on('RUN go mod download').durationMs, 200);
    assert.equal(on('RUN go build').durationMs, 2200);
    assert.deepEqual(on('RUN go mod download').logs, ['go: no module dependencies to download']);
    assert.equal(on('COPY --from=build').stage, undefined, 'the unnamed runtime stage shows no stage name');
    assert.deepEqual([on('RUN go build').stage, on('RUN go build').index, on('RUN go build').total], ['build', 5, 5]);
  });

  it('fully cached build: every step but FROM is cached and has no time', () => {
    const { steps, summary } = replay('naive-cached.txt', 'naive.Dockerfile');
    for (const step of steps.slice(1)) {
      assert.equal(step.state, 'cached', step.instruction);
      assert.equal(step.durationMs, undefined);
    }
    assert.deepEqual([summary.cached, summary.total], [5, 5]);
    assert.deepEqual(summary.slowest, []);
  });

  it('one-line source change: COPY . . and everything after it ran again', () => {
    const { on, summary } = replay('naive-source-change.txt', 'naive.Dockerfile');
    assert.equal(on('WORKDIR').state, 'cached');
    for (const line of ['COPY . .', 'RUN go mod download', 'RUN go build', 'COPY --from=build']) assert.equal(on(line).state, 'done', line);
    assert.deepEqual(summary.slowest.map((s) => [s.instruction, s.durationMs]), [['RUN go build -o /out/app .', 2600], ['RUN go mod download', 200], ['COPY . .', 100]]);
    assert.deepEqual([summary.cached, summary.total], [1, 5]);
  });

  it('failed RUN: the error on its line, the steps after it not run, never cached', () => {
    const { steps, on, summary } = replay('failing-run.txt', 'failing.Dockerfile', { exitCode: 1, error: 'executor failed' });
    const test = on('RUN go test');
    assert.equal(test.line, 5);
    assert.equal(test.state, 'error');
    assert.match(test.error!, /go test \.\/\.\.\.\]: exit code: 1/);
    assert.ok(test.logs.includes('--- FAIL: TestAdd (0.00s)'));
    assert.equal(on('RUN go build').state, 'not-run');
    assert.equal(on('COPY --from=build').state, 'not-run');
    assert.ok(steps.filter((s) => s.state === 'cached').every((s) => s.line < 5));
    assert.equal(summary.error, 'executor failed');
  });

  it('cancelled build: the running step is canceled, the rest not run, nothing claimed cached', () => {
    const { on, summary } = replay('canceled.txt', 'naive.Dockerfile', { exitCode: 1, canceled: true });
    assert.equal(on('RUN go build').state, 'canceled');
    assert.equal(on('COPY --from=build').state, 'not-run');
    assert.equal(on('RUN go mod download').state, 'done');
    assert.equal(summary.canceled, true);
  });

  it('parallel stages: both stages annotated, shared steps given to both', () => {
    const { on, steps } = replay('multistage-parallel.txt', 'multistage.Dockerfile');
    assert.equal(on('RUN go vet').state, 'done');
    assert.equal(on('RUN go vet').durationMs, 105_700);
    assert.equal(on('RUN go build -ldflags').durationMs, 83_300);
    // BuildKit printed FROM and WORKDIR once, under `build`; `tools` has the very same steps.
    assert.deepEqual([on('FROM golang:1.19 AS tools').state, on('WORKDIR /src', 1).state], ['done', 'cached']);
    assert.deepEqual([on('COPY . .', 0).stage, on('COPY . .', 1).stage], ['build', 'tools']);
    assert.equal(steps.filter((s) => s.state === 'not-run').length, 0);
    const shares = steps.reduce((sum, s) => sum + (s.share ?? 0), 0);
    assert.ok(Math.abs(shares - 1) < 1e-9, `shares add up to ${shares}`);
  });

  it('changed build arg: the stage that declares it reruns from its first RUN, the other stays cached', () => {
    const { on } = replay('multistage-build-arg.txt', 'multistage.Dockerfile');
    assert.equal(on('COPY go.mod go.sum').state, 'cached');
    assert.equal(on('RUN go mod download').state, 'done');
    assert.equal(on('RUN go vet').state, 'cached');
    // Here BuildKit named the shared steps after `tools`; `build` gets them all the same.
    assert.deepEqual([on('FROM golang:1.19 AS build').state, on('WORKDIR /src', 0).state], ['done', 'cached']);
  });

  it('single unnamed stage: steps without a stage name still land on their lines', () => {
    const { steps } = replay('unnamed-stage.txt', 'unnamed.Dockerfile');
    assert.deepEqual(states(steps), [[0, 'done'], [1, 'cached'], [2, 'done'], [3, 'done']]);
    assert.equal(steps[3].durationMs, 3400);
  });

  it('while the build runs, steps not reached yet have no annotation', () => {
    const transcript = fixture('naive-uncached.txt');
    const cut = transcript.indexOf('#9 DONE');
    const parser = new PlainProgressParser();
    const table = new VertexTable();
    table.applyAll(parser.push(transcript.slice(0, cut)), 0);
    const steps = annotateSteps(planSteps(fixture('naive.Dockerfile')), table.vertices(), { finished: false, exitCode: null, canceled: false, totalMs: 0 });
    assert.deepEqual(states(steps), [[0, 'done'], [1, 'cached'], [2, 'done'], [3, 'done'], [4, 'running']]);
  });

  it('a Dockerfile edited since the build still maps by instruction text', () => {
    const edited = fixture('naive.Dockerfile').replace('WORKDIR /src\n', 'WORKDIR /src\nRUN echo added after the build\n');
    const table = new VertexTable();
    table.applyAll(new PlainProgressParser().push(fixture('naive-uncached.txt')));
    const steps = annotateSteps(planSteps(edited), table.vertices(), { finished: true, exitCode: 0, canceled: false, totalMs: 1 });
    const byText = new Map(steps.map((s) => [s.instruction, s]));
    assert.equal(byText.get('RUN go mod download')?.durationMs, 200);
    assert.equal(byText.get('RUN go build -o /out/app .')?.durationMs, 2200);
    // BuildKit never saw it, so it can not be cached.
    assert.notEqual(byText.get('RUN echo added after the build')?.state, 'cached');
  });
});

describe('steps BuildKit did not report', () => {
  // A concurrent build on the same daemon that runs an identical step gets its progress instead.
  const withoutFrom = fixture('naive-cached.txt').replace(/#4 \[build 1\/5\] FROM[^]*?#4 DONE 0\.0s\n/, '');

  function annotate(transcript: string, outcome: { exitCode: number; canceled?: boolean }) {
    const table = new VertexTable();
    table.applyAll(new PlainProgressParser().push(transcript));
    return annotateSteps(planSteps(fixture('naive.Dockerfile')), table.vertices(), { finished: true, canceled: false, totalMs: 1, ...outcome });
  }

  it('a step before a reported one completed: done, not cached and not "not run"', () => {
    assert.ok(!withoutFrom.includes('FROM docker.io'));
    const steps = annotate(withoutFrom, { exitCode: 1 });
    assert.equal(steps[0].state, 'done');
    assert.equal(steps[0].durationMs, undefined);
  });

  it('after a failure, steps past the last reported one did not run', () => {
    const cut = fixture('naive-uncached.txt').split('#9 [build 5/5]')[0];
    const steps = annotate(cut, { exitCode: 1 });
    assert.deepEqual(states(steps).slice(4), [[4, 'not-run'], [7, 'not-run']]);
  });
});
