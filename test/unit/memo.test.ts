import assert from 'node:assert/strict';
import { test } from 'node:test';
import { perObjectAnd, perOwnedObjectAnd } from '../../server/src/analysis/model/memo';

test('a fact asked with another owner is computed for that owner, not answered from the first', () => {
  const calls: string[] = [];
  const describe = perOwnedObjectAnd((owner: string | undefined, key: { name: string }, detail: number) => {
    calls.push(`${owner}:${key.name}:${detail}`);
    return `${owner ?? 'none'} ${key.name} ${detail}`;
  });
  const stage = { name: 'build' };
  assert.equal(describe('ci', stage, 1), 'ci build 1');
  assert.equal(describe('local', stage, 1), 'local build 1');
  assert.equal(describe(undefined, stage, 1), 'none build 1');
  // Asked again, each owner's answer is remembered.
  assert.equal(describe('ci', stage, 1), 'ci build 1');
  assert.equal(describe('local', stage, 2), 'local build 2');
  assert.deepEqual(calls, ['ci:build:1', 'local:build:1', 'undefined:build:1', 'local:build:2']);
});

test('remembered answers include undefined ones, per key object', () => {
  let calls = 0;
  const lookUp = perObjectAnd((_key: object, detail: string) => {
    calls++;
    return detail === 'missing' ? undefined : detail.length;
  });
  const a = {};
  const b = {};
  assert.equal(lookUp(a, 'missing'), undefined);
  assert.equal(lookUp(a, 'missing'), undefined);
  assert.equal(lookUp(a, 'four'), 4);
  assert.equal(lookUp(b, 'four'), 4);
  assert.equal(calls, 3);
});
