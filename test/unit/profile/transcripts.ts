// Replays the recorded BuildKit transcripts in test/fixtures/progress/ (see its README) through
// the parser, in chunks of any size, the way docker's output arrives.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { annotateSteps, summarize, type BuildOutcome } from '../../../server/src/profile/annotate';
import { VertexTable, type ProgressEvent, type ProgressParser } from '../../../server/src/profile/events';
import type { BuildSummary, StepAnnotation } from '../../../server/src/profile/model';
import { PlainProgressParser } from '../../../server/src/profile/progress-plain';
import { RawJsonProgressParser } from '../../../server/src/profile/progress-rawjson';
import { planSteps } from '../../../server/src/profile/steps';

export const PROGRESS_FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'progress');

export function fixture(name: string): string {
  return fs.readFileSync(path.join(PROGRESS_FIXTURES, name), 'utf8');
}

/** Feeds `text` in pieces of `chunkSize` characters (all at once when omitted). */
export function parseInChunks(text: string, chunkSize?: number, parser: ProgressParser = new PlainProgressParser()): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  const size = chunkSize ?? text.length;
  for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
  events.push(...parser.end());
  return events;
}

export interface Replay {
  steps: StepAnnotation[];
  summary: BuildSummary;
  table: VertexTable;
  /** The step annotated on the `nth` line (0-based) whose text starts with `start`. */
  on(start: string, nth?: number): StepAnnotation;
}

/** The parser for a transcript: rawjson for `.jsonl` files, plain for the rest. */
export function parserFor(transcript: string): ProgressParser {
  return transcript.endsWith('.jsonl') ? new RawJsonProgressParser() : new PlainProgressParser();
}

export function replay(transcript: string, dockerfile: string, outcome: Partial<BuildOutcome> = {}): Replay {
  const table = new VertexTable();
  table.applyAll(parseInChunks(fixture(transcript), undefined, parserFor(transcript)));
  const text = fixture(dockerfile);
  const full: BuildOutcome = { finished: true, exitCode: 0, canceled: false, totalMs: 10_000, ...outcome };
  const steps = annotateSteps(planSteps(text), table.vertices(), full);
  const lines = text.split('\n');
  return {
    steps,
    summary: summarize(steps, full),
    table,
    on(start, nth = 0) {
      const line = lines.map((l, i) => (l.startsWith(start) ? i : -1)).filter((i) => i >= 0)[nth] ?? -1;
      const step = steps.find((s) => s.line === line);
      if (!step) throw new Error(`no step annotated on a line starting with "${start}" in ${dockerfile}`);
      return step;
    },
  };
}
