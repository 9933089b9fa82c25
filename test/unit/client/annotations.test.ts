import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { shareTone, toLineAnnotations } from '../../../client/src/build/annotations';
import { step } from './steps';

function texts(steps: Parameters<typeof toLineAnnotations>[0]): Record<number, string> {
  return Object.fromEntries(toLineAnnotations(steps).map((a) => [a.line, a.text]));
}

describe('build annotations after each instruction', () => {
  it('says cached, the time, the error, canceled and not run', () => {
    const annotations = texts([
      step({ line: 0, state: 'cached' }),
      step({ line: 2, state: 'done', durationMs: 12_400, share: 0.4 }),
      step({ line: 3, state: 'error', error: 'go: module example.com/x: not found\nexit code: 1' }),
      step({ line: 4, state: 'canceled' }),
      step({ line: 5, state: 'not-run' }),
    ]);
    assert.equal(annotations[0], '✓ cached');
    assert.match(annotations[2], /^12\.4 s/);
    assert.equal(annotations[3], '✗ go: module example.com/x: not found');
    assert.equal(annotations[4], '⊘ canceled');
    assert.equal(annotations[5], 'not run');
  });

  it('never calls a step cached unless the build said so', () => {
    for (const state of ['running', 'done', 'error', 'canceled', 'not-run'] as const) {
      const [annotation] = toLineAnnotations([step({ line: 1, state, durationMs: 0 })]);
      assert.doesNotMatch(annotation.text, /cached/, state);
    }
  });

  it('shows a running step with its time so far once known', () => {
    const earlier = step({ line: 0, state: 'done', durationMs: 100 });
    assert.equal(texts([earlier, step({ line: 1, state: 'running' })])[1], '⋯ running');
    assert.equal(texts([earlier, step({ line: 1, state: 'running', durationMs: 3_000 })])[1], '⋯ running 3.0 s');
    assert.equal(texts([step({ line: 1, state: 'running', stage: 'a' }), step({ line: 0, state: 'cached', stage: 'a' })])[1], '⋯ running · cache miss starts here');
  });

  it('marks where the cache miss starts in each stage, with the reason', () => {
    const annotations = texts([
      step({ line: 1, state: 'cached', stage: 'build' }),
      step({ line: 2, state: 'done', stage: 'build', durationMs: 900, missReason: 'COPY . . : files in the context changed' }),
      step({ line: 3, state: 'done', stage: 'build', durationMs: 5_000 }),
      step({ line: 6, state: 'cached', stage: 'final' }),
      step({ line: 7, state: 'done', stage: 'final', durationMs: 100, missReason: 'the stage it copies from was rebuilt' }),
    ]);
    assert.equal(annotations[2], '0.9 s · cache miss starts here: COPY . . : files in the context changed');
    assert.equal(annotations[3], '5.0 s');
    assert.equal(annotations[7], '0.1 s · cache miss starts here: the stage it copies from was rebuilt');
  });

  it('puts no miss on a fully cached stage or on steps that never ran', () => {
    const lines = toLineAnnotations([
      step({ line: 1, state: 'cached', stage: 'a' }),
      step({ line: 2, state: 'not-run', stage: 'b' }),
      step({ line: 3, state: 'canceled', stage: 'b' }),
    ]);
    assert.deepEqual(lines.map((a) => a.missStartsHere), [false, false, false]);
  });

  it('keeps a failing step\'s line to its error even where the miss starts', () => {
    const [annotation] = toLineAnnotations([step({ line: 4, state: 'error', error: 'boom', missReason: 'go.sum changed' })]);
    assert.equal(annotation.text, '✗ boom');
    assert.equal(annotation.missStartsHere, true);
  });

  it('colours a step by its share of the build', () => {
    assert.deepEqual([0, 0.04, 0.05, 0.19, 0.2, 0.49, 0.5, 1].map(shareTone), [
      'share-low', 'share-low', 'share-medium', 'share-medium', 'share-high', 'share-high', 'share-top', 'share-top',
    ]);
    const tones = toLineAnnotations([
      step({ line: 0, state: 'cached' }),
      step({ line: 1, state: 'done', share: 0.7, durationMs: 7 }),
      step({ line: 2, state: 'error' }),
    ]).map((a) => a.tone);
    assert.deepEqual(tones, ['cached', 'share-top', 'error']);
  });

  it('keeps one annotation per line, the latest report winning, in line order', () => {
    const lines = toLineAnnotations([
      step({ line: 5, state: 'running' }),
      step({ line: 1, state: 'cached' }),
      step({ line: 5, state: 'done', durationMs: 2_000 }),
    ]);
    assert.deepEqual(lines.map((a) => [a.line, a.state]), [[1, 'cached'], [5, 'done']]);
  });
});
