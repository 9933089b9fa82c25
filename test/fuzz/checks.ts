// What must hold for any input: no exception, every range inside the document.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis/analyze';
import { memoryContext } from '../../server/src/analysis/model/context';
import type { Range } from '../../server/src/analysis/model/types';

export const CONTEXT = memoryContext({
  'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', 'go.sum': '', 'main.go': 'package main\n', 'cmd/app/main.go': '', 'internal/x/x.go': '',
  'services/api/go.mod': 'module api\n\nrequire github.com/google/uuid v1.6.0\n', 'services/api/go.sum': '', 'services/api/main.go': '', 'config.yaml': '',
});

/**
 * Generous: catches quadratic or worse behaviour, not noise. Stated here, used by every case; a
 * case over budget is timed twice more and judged by its fastest run, so a GC pause or a busy
 * machine does not fail it but a slow algorithm does.
 */
export const BUDGET_MS = (text: string) => 500 + 100 * (text.length / 1024);

function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

export function assertInside(range: Range, lengths: number[], what: string): void {
  for (const p of [range.start, range.end]) {
    assert.ok(p.line >= 0 && p.line < lengths.length, `${what}: line ${p.line} outside 0..${lengths.length - 1}`);
    assert.ok(p.character >= 0 && p.character <= lengths[p.line], `${what}: column ${p.character} past line ${p.line} (length ${lengths[p.line]})`);
  }
  assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character), `${what}: range ends before it starts`);
}

/** Analyse with rule errors rethrown, and check every range the core hands out. */
export function analyzeChecked(text: string): ReturnType<typeof analyze> {
  process.env.GO_DOCKERFILE_CACHE_STRICT = '1';
  const timed = () => {
    const started = performance.now();
    const value = analyze(text, { context: CONTEXT });
    return { value, elapsed: performance.now() - started };
  };
  let { value: result, elapsed } = timed();
  for (let retry = 0; retry < 2 && elapsed >= BUDGET_MS(text); retry++) elapsed = Math.min(elapsed, timed().elapsed);
  assert.ok(elapsed < BUDGET_MS(text), `analysis took ${elapsed.toFixed(0)} ms for ${text.length} chars (budget ${BUDGET_MS(text).toFixed(0)} ms)`);
  const lengths = lineLengths(text);
  for (const f of result.findings) {
    assertInside(f.range, lengths, `${f.rule} range`);
    for (const r of f.related ?? []) assertInside(r.range, lengths, `${f.rule} related`);
    for (const fix of f.fixes) for (const e of fix.edits) assertInside(e.range, lengths, `${f.rule} fix "${fix.title}"`);
  }
  return result;
}

/** The text of every file named like a Dockerfile under these directories, recursively. */
export function dockerfilesUnder(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/Dockerfile/.test(entry.name)) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  for (const dir of dirs) walk(dir);
  return out;
}
