// When the language server analyses: at once after a pause, once after a burst, and never twice at
// the same time for one document, however long an analysis takes.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { KeyedDebouncer } from '../../../server/src/lsp/debounce';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recorder(taskMs: number) {
  const events: string[] = [];
  let active = 0;
  let most = 0;
  let runs = 0;
  const debouncer = new KeyedDebouncer(async (key) => {
    const n = ++runs;
    active++;
    most = Math.max(most, active);
    events.push(`start ${key} ${n}`);
    await sleep(taskMs);
    events.push(`end ${key} ${n}`);
    active--;
  }, (_key, error) => { throw error; });
  return { debouncer, events, most: () => most, runs: () => runs };
}

async function idle(r: { events: string[] }, quietMs: number): Promise<void> {
  // Done when nothing new happened for quietMs.
  for (let seen = -1; seen !== r.events.length;) {
    seen = r.events.length;
    await sleep(quietMs);
  }
}

describe('analysis scheduling', () => {
  it('runs an isolated request at once', async () => {
    const r = recorder(1);
    r.debouncer.schedule('a', 1000);
    await sleep(0);
    assert.deepEqual(r.events, ['start a 1']);
    await idle(r, 30);
  });

  it('answers requests made during a long run with one more run right after it, never two at once', async () => {
    const r = recorder(300);
    r.debouncer.schedule('a', 10);
    for (let i = 0; i < 5; i++) {
      await sleep(10);
      r.debouncer.schedule('a', 10);
    }
    await idle(r, 400);
    assert.equal(r.most(), 1, 'two analyses of one document overlapped');
    assert.deepEqual(r.events, ['start a 1', 'end a 1', 'start a 2', 'end a 2']);
  });

  it('keeps documents apart: one document\'s long run does not hold back another', async () => {
    const r = recorder(60);
    r.debouncer.schedule('a', 10);
    r.debouncer.schedule('b', 10);
    await sleep(0);
    assert.deepEqual(r.events, ['start a 1', 'start b 2']);
    await idle(r, 120);
  });

  it('forgets a closed document: no run after its current one', async () => {
    const r = recorder(50);
    r.debouncer.schedule('a', 10);
    await sleep(10);
    r.debouncer.schedule('a', 10);
    r.debouncer.forget('a');
    await idle(r, 120);
    assert.deepEqual(r.events, ['start a 1', 'end a 1']);
  });
});
