import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { stepsAfterEdits, type TextChange } from '../../../client/src/profile/edits';
import { step } from './steps';

function change(startLine: number, startCharacter: number, endLine: number, endCharacter: number, text: string): TextChange {
  return { range: { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } }, text };
}

// FROM on line 0, a two-line RUN on lines 2-3, COPY on line 5.
const steps = [
  step({ line: 0, state: 'cached' }),
  step({ line: 2, endLine: 3, state: 'done', durationMs: 1_000 }),
  step({ line: 5, state: 'done', durationMs: 2_000 }),
];
const lines = (changes: TextChange[]) => stepsAfterEdits(steps, changes).map((s) => [s.line, s.endLine]);

describe('annotations follow edits to the Dockerfile', () => {
  it('drops the annotation of a line typed on and keeps the others in place', () => {
    assert.deepEqual(lines([change(0, 4, 0, 4, 'x')]), [[2, 3], [5, 5]]);
  });

  it('drops a multi-line instruction when any of its lines is touched', () => {
    assert.deepEqual(lines([change(3, 2, 3, 2, 'x')]), [[0, 0], [5, 5]]);
  });

  it('moves the annotations below a line inserted above them', () => {
    assert.deepEqual(lines([change(1, 0, 1, 0, 'ENV A=1\n')]), [[0, 0], [3, 4], [6, 6]]);
  });

  it('moves them up when lines above are deleted', () => {
    assert.deepEqual(lines([change(4, 0, 5, 0, '')]), [[0, 0], [2, 3], [4, 4]]);
  });

  it('splitting a line with Enter drops that line and moves the rest', () => {
    assert.deepEqual(lines([change(0, 4, 0, 4, '\n')]), [[3, 4], [6, 6]]);
  });

  it('inserting whole lines inside a multi-line instruction drops it', () => {
    assert.deepEqual(lines([change(3, 0, 3, 0, '    && go vet ./... \\\n')]), [[0, 0], [6, 6]]);
  });

  it('applies the changes of one event in order', () => {
    assert.deepEqual(lines([change(5, 0, 5, 0, '# a\n'), change(1, 0, 1, 0, '# b\n# c\n')]), [[0, 0], [4, 5], [8, 8]]);
  });

  it('keeps the step objects of untouched lines', () => {
    const [first] = stepsAfterEdits(steps, [change(4, 0, 4, 0, '\n')]);
    assert.equal(first, steps[0]);
  });
});
