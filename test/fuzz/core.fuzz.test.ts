// The core never throws, stays within its time budget and keeps every range inside the document,
// for generated Dockerfiles and for real files damaged byte by byte.
import { describe, it } from 'node:test';
import * as path from 'node:path';
import fc from 'fast-check';
import { FUZZ_RUNS, FUZZ_SEED, dockerfile, mutation } from './arbitraries';
import { analyzeChecked, BUDGET_MS, dockerfilesUnder } from './checks';
import { parseShell, joinMapped } from '../../server/src/analysis/parse/shell';

const ROOT = path.join(__dirname, '..', '..');

function realDockerfiles(): string[] {
  return dockerfilesUnder(path.join(ROOT, 'examples'), path.join(ROOT, 'test', 'fixtures', 'rules'), path.join(ROOT, 'test', 'fixtures', 'fuzz-regressions'));
}

describe(`fuzzing the core (${FUZZ_RUNS} generated cases, seed ${FUZZ_SEED}; budget 500 ms + 100 ms per KB)`, () => {
  it('generated Dockerfiles', () => {
    fc.assert(fc.property(dockerfile, (d) => { analyzeChecked(d.text); }), { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, includeErrorInReport: true });
  });

  it('real Dockerfiles damaged byte by byte', () => {
    const files = realDockerfiles();
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (index, damage) => {
        let text = files[index % files.length] ?? '';
        for (const m of damage) text = m(text);
        analyzeChecked(text);
      }),
      { seed: FUZZ_SEED, numRuns: Math.ceil(FUZZ_RUNS / 2), includeErrorInReport: true },
    );
  });

  it('the shell parser accepts any string', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
      parseShell(joinMapped([{ text: s, start: { line: 0, character: 0 } }], ' '));
    }), { seed: FUZZ_SEED, numRuns: Math.ceil(FUZZ_RUNS / 2), includeErrorInReport: true });
  });

  it('pathological inputs stay within budget', () => {
    for (const text of [
      `FROM golang:1.22\nRUN ${'go build && '.repeat(5000)}true\n`,
      `FROM golang:1.22\nRUN ${'$('.repeat(3000)}\n`,
      `FROM golang:1.22\n${'RUN go build \\\n'.repeat(3000)}\n`,
      `FROM golang:1.22\nRUN <<EOF\n${'go build ./...\n'.repeat(5000)}`,
      `FROM golang:1.22\nENV ${'A=${A}'.repeat(2000)}\nRUN go build\n`,
      '\\'.repeat(100000),
    ]) analyzeChecked(text);
    void BUDGET_MS;
  });
});
