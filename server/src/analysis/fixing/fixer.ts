// Applies fixes until nothing fixable remains: what `fix` and `source.fixAll` do. Each round
// applies the first fix of the first fixable finding, then analyses the new text again, because
// one fix often changes what another should do.
import { analyze, type AnalyzeOptions } from '../analyze';
import type { BuildContext } from '../model/context';
import { applyEdits } from './edits';
import type { FileChange, Finding, Fix } from '../model/types';

export interface FixResult {
  text: string;
  /** Final contents of other context files the fixes created or changed. */
  files: FileChange[];
  applied: { rule: string; title: string }[];
  /** Fixable findings that remain (a fix that did not converge). */
  remaining: Finding[];
  /** Findings whose every fix changes what the image does at run time, left as they are without unsafeFixes. */
  skipped: { finding: Finding; fix: Fix & { unsafe: string } }[];
}

export interface FixOptions extends AnalyzeOptions {
  fixRules?: readonly string[];
  /** Also apply fixes that change what the image does at run time (Fix.unsafe). */
  unsafeFixes?: boolean;
}

/** The fix `fix` applies for a finding: its first, passing over those that change what the image does at run time unless asked. */
export function automaticFix(finding: Finding, unsafeFixes = false): Fix | undefined {
  return finding.fixes.find((fix) => unsafeFixes || fix.unsafe === undefined);
}

/** Far more fixes than any Dockerfile has: a guard against fixes that undo each other. */
const MAX_ROUNDS = 1000;

/** A context that sees the files earlier fixes wrote. */
function overlay(context: BuildContext | undefined, files: Map<string, FileChange>): BuildContext | undefined {
  if (!context || files.size === 0) return context;
  return {
    ...context,
    exists: (p) => files.has(p) || context.exists(p),
    readText: (p) => files.get(p)?.text ?? context.readText(p),
  };
}

export function fixAll(text: string, options: FixOptions = {}): FixResult {
  const applied: FixResult['applied'] = [];
  const files = new Map<string, FileChange>();
  const wanted = options.fixRules?.map((r) => r.toUpperCase());
  let current = text;
  let remaining: Finding[] = [];
  let skipped: FixResult['skipped'] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const { model, findings } = analyze(current, { ...options, context: overlay(options.context, files) });
    const fixable = findings.filter((f) => f.fixes.length > 0 && (!wanted || wanted.includes(f.rule)));
    remaining = fixable.filter((f) => automaticFix(f, options.unsafeFixes));
    skipped = fixable.filter((f) => !automaticFix(f, options.unsafeFixes)).map((finding) => ({ finding, fix: finding.fixes[0] as Fix & { unsafe: string } }));
    if (remaining.length === 0) break;
    // One fix a round, then the text is analysed again: fixes computed on the same text can each be
    // right alone and wrong together (one moves an ARG below the line the other starts using it
    // on), and one at a time, `fix` ends where applying the quick fixes by hand in that order does.
    const [finding] = remaining;
    const fix = automaticFix(finding, options.unsafeFixes)!;
    applied.push({ rule: finding.rule, title: fix.title });
    const next = applyEdits(model, fix.edits);
    for (const change of fix.files ?? []) {
      const previous = files.get(change.path);
      files.set(change.path, { ...change, kind: previous?.kind ?? change.kind });
    }
    const filesChanged = (fix.files ?? []).length > 0;
    if (next === current && !filesChanged) break;
    current = next;
  }
  return { text: current, files: [...files.values()], applied, remaining, skipped };
}
