import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { BuildAnnotations } from '../../../client/src/profile/store';
import type { BuildSummary } from '../../../server/src/profile/model';
import { step } from './steps';

const uri = 'file:///w/Dockerfile';
const summary: BuildSummary = { totalMs: 1_000, cached: 1, total: 2, slowest: [], exitCode: 0, canceled: false };
const insertLineAtTop = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# note\n' };

describe('annotations of a document across a build', () => {
  it('places later build reports past edits made during the build', () => {
    const store = new BuildAnnotations();
    store.start(uri);
    store.update(uri, [step({ line: 1, state: 'running' })]);
    store.edit(uri, [insertLineAtTop]);
    assert.deepEqual(store.lines(uri).map((a) => a.line), [2]);
    store.finish(uri, [step({ line: 1, state: 'cached' }), step({ line: 2, state: 'done', durationMs: 500 })], summary);
    assert.deepEqual(store.lines(uri).map((a) => [a.line, a.state]), [[2, 'cached'], [3, 'done']]);
    assert.equal(store.isRunning(uri), false);
    assert.equal(store.summary(uri), summary);
  });

  it('forgets the previous build when a new one starts and when cleared', () => {
    const store = new BuildAnnotations();
    store.start(uri);
    store.finish(uri, [step({ line: 1, state: 'cached' })], summary);
    store.start(uri);
    assert.deepEqual(store.lines(uri), []);
    assert.equal(store.summary(uri), undefined);
    store.finish(uri, [step({ line: 1, state: 'cached' })], summary);
    store.clear(uri);
    assert.deepEqual(store.lines(uri), []);
    assert.deepEqual(store.uris(), []);
  });

  it('ignores reports from a build that is over', () => {
    const store = new BuildAnnotations();
    store.start(uri);
    store.finish(uri, [step({ line: 1, state: 'cached' })], summary);
    store.update(uri, [step({ line: 1, state: 'running' })]);
    assert.deepEqual(store.lines(uri).map((a) => a.state), ['cached']);
  });

  it('tells listeners which document changed, and only when something did', () => {
    const store = new BuildAnnotations();
    const seen: string[] = [];
    store.onDidChange((changed) => seen.push(changed));
    store.start(uri);
    store.finish(uri, [step({ line: 3, state: 'cached' })], summary);
    store.edit(uri, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'x' }]);
    store.edit(uri, [insertLineAtTop]);
    assert.equal(seen.length, 3);
    assert.deepEqual(new Set(seen), new Set([uri]));
  });
});

describe('annotations of a build the editor did not run', () => {
  const record = { origin: 'CI record build.dockerbuild, 2026-12-05 14:03 UTC', headline: 'CI record build.dockerbuild, 2026-12-05 14:03 UTC, 41.8 s: 1 of 2 steps cached', costOrigin: 'the CI build of 2026-12-05', ref: 'r1', source: 'archive' as const, unplaced: 0 };

  it('say where the build ran after every line, and follow edits', () => {
    const store = new BuildAnnotations();
    store.showRecord(uri, [step({ line: 1, state: 'cached' }), step({ line: 2, state: 'done', durationMs: 41_800 })], summary, record);
    assert.deepEqual(store.lines(uri).map((a) => [a.line, a.text]), [
      [1, '✓ cached  · CI record build.dockerbuild, 2026-12-05 14:03 UTC'],
      [2, '41.8 s  · CI record build.dockerbuild, 2026-12-05 14:03 UTC'],
    ]);
    store.edit(uri, [insertLineAtTop]);
    assert.deepEqual(store.lines(uri).map((a) => [a.line, a.text.endsWith(record.origin)]), [[2, true], [3, true]]);
    assert.equal(store.record(uri), record);
    assert.equal(store.summary(uri), summary);
  });

  it('give way to a build the editor starts, and never interrupt one', () => {
    const store = new BuildAnnotations();
    store.showRecord(uri, [step({ line: 1, state: 'cached' })], summary, record);
    store.start(uri);
    assert.equal(store.record(uri), undefined);
    store.showRecord(uri, [step({ line: 1, state: 'cached' })], summary, record);
    assert.equal(store.isRunning(uri), true);
    assert.deepEqual(store.lines(uri), []);
  });
});
