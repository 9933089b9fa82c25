// "Why it missed": real transcripts, real build contexts on disk, compared with the manifest of
// the build before.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createManifest, hashBuildArgs, snapshotContext, type BuildManifest } from '../../../server/src/profile/manifest';
import { explainMisses, sourceCovers } from '../../../server/src/profile/miss';
import type { StepAnnotation } from '../../../server/src/profile/model';
import { planSteps } from '../../../server/src/profile/steps';
import { fixture, replay } from './transcripts';
import { tempDir } from './temp';

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples');

function copyExample(name: string): string {
  const dir = tempDir(`gdc-miss-${name}-`);
  fs.cpSync(path.join(EXAMPLES, name), dir, { recursive: true });
  return dir;
}

async function manifestOf(dockerfile: string, context: string, steps: StepAnnotation[], args: Record<string, string> = {}, salt = 'salt'): Promise<BuildManifest> {
  return createManifest(planSteps(dockerfile), { dockerfile: path.join(context, 'Dockerfile'), context }, await snapshotContext(context), args, salt, steps);
}

async function explain(transcript: string, dockerfileName: string, context: string, previous: BuildManifest | undefined, args: Record<string, string> = {}, dockerfile = fixture(dockerfileName)) {
  const { steps } = replay(transcript, dockerfileName);
  const snapshot = await snapshotContext(context);
  const current = { files: snapshot.files, truncated: snapshot.truncated, buildArgs: hashBuildArgs(args, previous?.salt ?? 'salt') };
  const explained = explainMisses(steps, planSteps(dockerfile), previous, current);
  return { reasons: explained.filter((s) => s.missReason).map((s) => [s.line, s.missReason]), explained };
}

describe('why a step missed the cache', () => {
  it('names the source file that changed for the first COPY that missed, and the stage copied from', async () => {
    const context = copyExample('naive');
    const previous = await manifestOf(fixture('naive.Dockerfile'), context, replay('naive-uncached.txt', 'naive.Dockerfile').steps);
    fs.appendFileSync(path.join(context, 'main.go'), '// one more line\n');
    const { reasons } = await explain('naive-source-change.txt', 'naive.Dockerfile', context, previous);
    assert.deepEqual(reasons, [
      [2, 'cache miss starts here: main.go changed since the last profiled build'],
      [7, 'cache miss starts here: it copies from stage build, which was rebuilt from line 3'],
    ]);
  });

  it('lists new and deleted files, and ignores what .dockerignore keeps out', async () => {
    const context = copyExample('naive');
    fs.writeFileSync(path.join(context, '.dockerignore'), 'notes.txt\n');
    fs.writeFileSync(path.join(context, 'notes.txt'), 'first\n');
    const previous = await manifestOf(fixture('naive.Dockerfile'), context, replay('naive-uncached.txt', 'naive.Dockerfile').steps);
    assert.equal(previous.files['notes.txt'], undefined);
    fs.writeFileSync(path.join(context, 'notes.txt'), 'second\n');
    fs.writeFileSync(path.join(context, 'extra.go'), 'package main\n');
    fs.rmSync(path.join(context, 'main_test.go'));
    const { reasons } = await explain('naive-source-change.txt', 'naive.Dockerfile', context, previous);
    assert.equal(reasons[0][1], 'cache miss starts here: extra.go (new), main_test.go (deleted) changed since the last profiled build');
  });

  it('says when there is no earlier profiled build', async () => {
    const { reasons } = await explain('naive-uncached.txt', 'naive.Dockerfile', copyExample('naive'), undefined);
    assert.equal(reasons[0][1], 'cache miss starts here: no earlier profiled build of this Dockerfile to compare with');
  });

  it('blames a changed build arg for a RUN after its ARG, and leaves the cached stage alone', async () => {
    const context = copyExample('multistage');
    const previous = await manifestOf(fixture('multistage.Dockerfile'), context, replay('multistage-parallel.txt', 'multistage.Dockerfile').steps);
    const { reasons } = await explain('multistage-build-arg.txt', 'multistage.Dockerfile', context, previous, { VERSION: '1.2.3' });
    assert.deepEqual(reasons, [
      [7, 'cache miss starts here: build arg VERSION changed since the last profiled build'],
      [19, 'cache miss starts here: it copies from stage build, which was rebuilt from line 8'],
    ]);
  });

  it('blames the RUN itself when its command changed', async () => {
    const context = copyExample('multistage');
    const before = fixture('multistage.Dockerfile').replace('RUN go mod download', 'RUN go mod download -x');
    const previous = await manifestOf(before, context, replay('multistage-parallel.txt', 'multistage.Dockerfile').steps);
    const { reasons } = await explain('multistage-build-arg.txt', 'multistage.Dockerfile', context, previous, { VERSION: '1.2.3' });
    assert.equal(reasons[0][1], 'cache miss starts here: this RUN is new or changed since the last profiled build');
  });

  it('blames an ENV line added before the RUN', async () => {
    const context = copyExample('multistage');
    const before = fixture('multistage.Dockerfile').replace('ENV CGO_ENABLED=0\nARG VERSION=dev', 'ARG VERSION=dev');
    const previous = await manifestOf(before, context, replay('multistage-parallel.txt', 'multistage.Dockerfile').steps);
    const { reasons } = await explain('multistage-build-arg.txt', 'multistage.Dockerfile', context, previous);
    assert.equal(reasons[0][1], 'cache miss starts here: an ENV, ARG, USER or SHELL line before it changed since the last profiled build');
  });

  it('says when the last build never got to the step, and when nothing changed at all', async () => {
    const context = copyExample('failing');
    const failed = replay('failing-run.txt', 'failing.Dockerfile', { exitCode: 1 }).steps;
    const previous = await manifestOf(fixture('failing.Dockerfile'), context, failed);
    const reached = (line: number): StepAnnotation[] => failed.map((s) => (s.line < line ? { ...s, state: 'cached' as const } : s.line === line ? { ...s, state: 'done' as const } : s));
    const plan = planSteps(fixture('failing.Dockerfile'));
    const current = { files: previous.files, truncated: false, buildArgs: {} };
    assert.equal(explainMisses(reached(6), plan, previous, current).find((s) => s.line === 6)?.missReason, 'cache miss starts here: the last profiled build stopped before reaching it');
    assert.match(explainMisses(reached(3), plan, previous, current).find((s) => s.line === 3)?.missReason ?? '', /inputs look unchanged since the last profiled build, so the build cache no longer held it/);
  });

  it('never gives a reason to a cached step or a step after the first miss', async () => {
    const { explained } = await explain('naive-source-change.txt', 'naive.Dockerfile', copyExample('naive'), undefined);
    assert.deepEqual(explained.filter((s) => s.missReason).map((s) => s.line), [2, 7]);
    assert.ok(explained.filter((s) => s.state === 'cached').every((s) => s.missReason === undefined));
  });
});

describe('COPY sources', () => {
  it('match files the way COPY picks them', () => {
    const cases: [string, string, boolean][] = [
      ['.', 'cmd/server/main.go', true],
      ['./', 'main.go', true],
      ['go.mod', 'go.mod', true],
      ['go.mod', 'sub/go.mod', false],
      ['go.*', 'go.sum', true],
      ['cmd', 'cmd/server/main.go', true],
      ['cmd/', 'cmdx/main.go', false],
      ['/internal', 'internal/status/status.go', true],
      ['*.go', 'main.go', true],
      ['*.go', 'cmd/main.go', false],
      ['cmd/*', 'cmd/server/main.go', true],
      ['[ab].txt', 'a.txt', true],
      ['[ab].txt', 'c.txt', false],
      // Go's filepath.Match negates with ^; ! is just a character.
      ['[^a].txt', 'c.txt', true],
      ['[!a].txt', 'c.txt', false],
    ];
    for (const [source, file, expected] of cases) assert.equal(sourceCovers(source, file), expected, `${source} covers ${file}`);
  });
});
