// Applies fixes until nothing fixable remains: what `fix` and `source.fixAll` do. Each round
// applies the first fix of at most one finding per rule, whose lines no other chosen fix touches,
// then analyses the new text again, because one fix often changes what another should do.
import { analyze, type AnalyzeOptions } from './analyze';
import type { BuildContext } from './context';
import { applyEdits } from './edits';
import type { FileChange, Finding, Fix } from './types';

export interface FixResult {
  text: string;
  /** Final contents of other context files the fixes created or changed. */
  files: FileChange[];
  applied: { rule: string; title: string }[];
  /** Fixable findings that remain (a fix that did not converge). */
  remaining: Finding[];
}

const MAX_ROUNDS = 50;

function touchedLines(fix: Fix): [number, number][] {
  return fix.edits.map((e) => [e.range.start.line, e.range.end.line]);
}

function overlaps(a: [number, number][], b: [number, number][]): boolean {
  return a.some(([s1, e1]) => b.some(([s2, e2]) => s1 <= e2 && s2 <= e1));
}

/** A context that sees the files earlier fixes wrote. */
function overlay(context: BuildContext | undefined, files: Map<string, FileChange>): BuildContext | undefined {
  if (!context || files.size === 0) return context;
  return {
    ...context,
    exists: (p) => files.has(p) || context.exists(p),
    readText: (p) => files.get(p)?.text ?? context.readText(p),
  };
}

export function fixAll(text: string, options: AnalyzeOptions & { fixRules?: readonly string[] } = {}): FixResult {
  const applied: FixResult['applied'] = [];
  const files = new Map<string, FileChange>();
  const wanted = options.fixRules?.map((r) => r.toUpperCase());
  let current = text;
  let remaining: Finding[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { model, findings } = analyze(current, { ...options, context: overlay(options.context, files) });
    remaining = findings.filter((f) => f.fixes.length > 0 && (!wanted || wanted.includes(f.rule)));
    if (remaining.length === 0) break;
    const chosen: Fix[] = [];
    const taken: [number, number][] = [];
    // One fix per rule a round: two fixes of one rule are each computed as if the other were not
    // there (both would add the same ARG, say), so the second waits for the next analysis.
    const rulesThisRound = new Set<string>();
    for (const finding of remaining) {
      const fix = finding.fixes[0];
      const lines = touchedLines(fix);
      if (overlaps(lines, taken) || rulesThisRound.has(finding.rule)) continue;
      rulesThisRound.add(finding.rule);
      chosen.push(fix);
      taken.push(...lines);
      applied.push({ rule: finding.rule, title: fix.title });
    }
    const next = applyEdits(model, chosen.flatMap((f) => f.edits));
    for (const change of chosen.flatMap((f) => f.files ?? [])) {
      const previous = files.get(change.path);
      files.set(change.path, { ...change, kind: previous?.kind ?? change.kind });
    }
    const filesChanged = chosen.some((f) => (f.files ?? []).length > 0);
    if (next === current && !filesChanged) break;
    current = next;
  }
  return { text: current, files: [...files.values()], applied, remaining };
}
