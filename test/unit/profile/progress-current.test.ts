// Both parsers on transcripts of current BuildKit (v0.34.2 through buildx v0.38.2, builder
// gdc-buildkit), recorded in both formats from the same builds (test/fixtures/progress/current/):
// each build gives the same steps, states and errors whichever format it was read in, and the
// same as BuildKit printed them.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { fixture, parseInChunks, parserFor, replay, type Replay } from './transcripts';
import type { BuildOutcome } from '../../../server/src/profile/annotate';

const FORMATS = ['txt', 'jsonl'] as const;
const DIR = 'current';

function play(name: string, format: string, dockerfile: string, outcome: Partial<BuildOutcome> = {}): Replay {
  return replay(`${DIR}/${name}.${format}`, `${DIR}/${dockerfile}`, outcome);
}

/** Every step as [line, state], the user's view of a build. */
function states(run: Replay): [number, string][] {
  return run.steps.map((s) => [s.line, s.state]);
}

describe('current BuildKit transcripts, plain and rawjson', () => {
  it('read the same events whatever the chunk size', () => {
    for (const name of ['naive-uncached', 'failing-run', 'multistage-parallel', 'warning', 'canceled']) {
      for (const format of FORMATS) {
        const file = `${DIR}/${name}.${format}`;
        const whole = parseInChunks(fixture(file), undefined, parserFor(file));
        for (const size of [1, 13, 500]) assert.deepEqual(parseInChunks(fixture(file), size, parserFor(file)), whole, `${file} in chunks of ${size}`);
      }
    }
  });

  for (const format of FORMATS) {
    it(`${format}: an uncached build: every step timed, the FROM with its digest matched to its line`, () => {
      const run = play('naive-uncached', format, 'naive.Dockerfile');
      assert.deepEqual(states(run).filter(([, state]) => state !== 'done' && state !== 'cached'), []);
      assert.equal(run.on('FROM').state, 'done');
      assert.equal(run.on('RUN go build').state, 'done');
      assert.ok(run.on('RUN go build').durationMs! > 1000, `go build took ${run.on('RUN go build').durationMs} ms`);
      assert.deepEqual(run.on('RUN go mod download').logs, ['go: no module dependencies to download']);
      assert.equal(run.on('COPY --from=build').state, 'done');
      // buildx's note about the remote driver is output, not a step.
      assert.ok(run.table.output.some((l) => l.startsWith('WARNING: No output specified with remote driver')));
    });

    it(`${format}: the same build again: every step but FROM cached`, () => {
      const run = play('naive-cached', format, 'naive.Dockerfile');
      assert.equal(run.summary.cached, run.summary.total);
      assert.ok(run.steps.filter((s) => !s.instruction.startsWith('FROM')).every((s) => s.state === 'cached'));
    });

    it(`${format}: after a source change, COPY . . and what follows run again`, () => {
      const run = play('naive-source-change', format, 'naive.Dockerfile');
      assert.equal(run.on('WORKDIR').state, 'cached');
      for (const start of ['COPY . .', 'RUN go mod download', 'RUN go build', 'COPY --from=build']) assert.equal(run.on(start).state, 'done', start);
    });

    it(`${format}: a failing RUN: its error and output on its line, the steps after it not run`, () => {
      const run = play('failing-run', format, 'failing.Dockerfile', { exitCode: 1 });
      const failing = run.on('RUN go test');
      assert.equal(failing.state, 'error');
      assert.equal(failing.error, 'process "/bin/sh -c go test ./..." did not complete successfully: exit code: 1');
      assert.ok(failing.logs.some((l) => l.includes('add(2, 2) = 0, want 4')), JSON.stringify(failing.logs));
      assert.equal(run.on('RUN go build').state, 'not-run');
      assert.equal(run.on('COPY --from=build').state, 'not-run');
      assert.equal(run.table.output.at(-1), 'ERROR: failed to build: failed to solve: process "/bin/sh -c go test ./..." did not complete successfully: exit code: 1');
    });

    it(`${format}: two stages in parallel, every step on its own line`, () => {
      const run = play('multistage-parallel', format, 'multistage.Dockerfile');
      assert.deepEqual(states(run).filter(([, state]) => state !== 'done' && state !== 'cached'), []);
      assert.equal(run.on('RUN go build -ldflags').state, 'done');
      assert.equal(run.on('RUN go vet').state, 'done');
      assert.equal(run.on('RUN go build -o /out/healthcheck').state, 'done');
      assert.equal(run.on('COPY --from=tools').state, 'done');
    });

    it(`${format}: a changed build arg: the build stage misses from the ARG on, the tools stage stays cached`, () => {
      const run = play('multistage-build-arg', format, 'multistage.Dockerfile');
      assert.equal(run.on('RUN go build -ldflags').state, 'done');
      assert.equal(run.on('RUN go vet').state, 'cached');
      assert.equal(run.on('RUN go build -o /out/healthcheck').state, 'cached');
    });

    it(`${format}: a heredoc RUN is one step on its first line, with the heredoc's output`, () => {
      const run = play('heredoc', format, 'heredoc.Dockerfile');
      const heredoc = run.steps.find((s) => s.line === 2)!;
      assert.equal(heredoc.state, 'done');
      assert.deepEqual(heredoc.logs, ['one', 'two']);
      assert.equal(run.on('RUN go version').state, 'done');
    });

    it(`${format}: a cross build for linux/arm64 runs its build stage natively`, () => {
      const run = play('platform', format, 'platform.Dockerfile');
      const cross = run.on('RUN GOARCH');
      assert.equal(cross.state, 'done');
      assert.deepEqual(cross.logs, ['arm64']);
      assert.equal(run.on('COPY --from=build').state, 'done');
    });

    it(`${format}: a Dockerfile check's warning, with its line`, () => {
      const run = play('warning', format, 'warning.Dockerfile');
      assert.deepEqual(run.table.warnings, [{ message: "FromAsCasing: 'as' and 'FROM' keywords' casing do not match", line: 0 }]);
      assert.ok(!run.table.output.some((l) => l.includes('\x1b[')), 'no colour codes in the output');
      assert.equal(run.on('RUN go version').state, 'done');
    });

    it(`${format}: a cancelled build: the running step canceled, the rest not run`, () => {
      const run = play('canceled', format, 'naive.Dockerfile', { exitCode: 1, canceled: true });
      assert.equal(run.on('RUN go build').state, 'canceled');
      assert.equal(run.on('COPY --from=build').state, 'not-run');
    });
  }

  it('both formats of each build give the same steps and states', () => {
    const builds: [string, string, Partial<BuildOutcome>][] = [
      ['naive-uncached', 'naive.Dockerfile', {}], ['naive-cached', 'naive.Dockerfile', {}], ['naive-source-change', 'naive.Dockerfile', {}],
      ['failing-run', 'failing.Dockerfile', { exitCode: 1 }], ['multistage-parallel', 'multistage.Dockerfile', {}],
      ['multistage-build-arg', 'multistage.Dockerfile', {}], ['heredoc', 'heredoc.Dockerfile', {}], ['platform', 'platform.Dockerfile', {}],
      ['warning', 'warning.Dockerfile', {}], ['canceled', 'naive.Dockerfile', { exitCode: 1, canceled: true }],
    ];
    for (const [name, dockerfile, outcome] of builds) {
      assert.deepEqual(states(play(name, 'jsonl', dockerfile, outcome)), states(play(name, 'txt', dockerfile, outcome)), name);
    }
  });
});
