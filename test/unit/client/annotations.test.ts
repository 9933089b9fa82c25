import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { shareTone, toLineAnnotations } from '../../../client/src/profile/annotations';
import type { StepAnnotation } from '../../../server/src/profile/model';
import { step } from './steps';

function texts(steps: StepAnnotation[]): Record<number, string> {
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
    assert.equal(annotations[2], '12.4 s');
    assert.equal(annotations[3], '✗ go: module example.com/x: not found');
    assert.match(annotations[4], /^canceled/);
    assert.equal(annotations[5], 'not run');
  });

  it('never calls a step cached unless the build said so', () => {
    for (const state of ['running', 'done', 'error', 'canceled', 'not-run'] as const) {
      const [annotation] = toLineAnnotations([step({ line: 1, state, durationMs: 0 })]);
      assert.doesNotMatch(annotation.text, /cached/, state);
    }
  });

  it('shows a running step with its time so far once known', () => {
    assert.match(texts([step({ line: 1, state: 'running' })])[1], /running$/);
    assert.match(texts([step({ line: 1, state: 'running', durationMs: 3_000 })])[1], /running 3\.0 s$/);
  });

  it('says where the cache miss starts, and why', () => {
    const annotations = texts([
      step({ line: 1, state: 'cached', stage: 'build' }),
      step({ line: 2, state: 'done', stage: 'build', durationMs: 900, missReason: 'cache miss starts here: go.sum changed since the last profiled build' }),
      step({ line: 3, state: 'done', stage: 'build', durationMs: 5_000 }),
    ]);
    assert.match(annotations[2], /^0\.9 s .*cache miss starts here: go\.sum changed since the last profiled build$/);
    assert.equal(annotations[3], '5.0 s');
  });

  it('colours a step by its share of the build', () => {
    assert.deepEqual([undefined, 0, 0.19, 0.2, 0.49, 0.5, 1].map(shareTone), [
      'share-low', 'share-low', 'share-low', 'share-high', 'share-high', 'share-top', 'share-top',
    ]);
    const tones = toLineAnnotations([
      step({ line: 0, state: 'cached' }),
      step({ line: 1, state: 'done', share: 0.7, durationMs: 7 }),
      step({ line: 2, state: 'error' }),
      step({ line: 3, state: 'not-run' }),
    ]).map((a) => a.tone);
    assert.deepEqual(tones, ['cached', 'share-top', 'error', 'idle']);
  });
});
