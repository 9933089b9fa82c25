// `check --format gitlab`: a GitLab Code Quality report (the `artifacts:reports:codequality` file
// the merge request widget reads). GitLab matches findings between the branch and its target by
// fingerprint, so the fingerprint leaves out the line: it hashes the rule, the file and the text
// of the instruction the finding is on, and counts identical ones, so a finding keeps its
// fingerprint when lines above it are added or removed.
import { createHash } from 'node:crypto';
import type { DockerfileModel } from '../analysis/model/model';
import type { FileFinding } from './findings';
import { relativeToBase } from './paths';

const SEVERITY = { error: 'critical', warning: 'major', info: 'info' } as const;

export interface GitlabFinding {
  finding: FileFinding;
  /** The instruction the finding is on, as written (see `instructionText`). */
  instruction: string;
}

/** The instruction on a 1-based line, continuations joined and whitespace collapsed; else that line. */
export function instructionText(model: DockerfileModel, line: number): string {
  const instruction = model.instructions.find((i) => i.range.start.line + 1 <= line && line <= i.range.end.line + 1);
  const written = instruction
    ? model.text.slice(model.document.offsetAt(instruction.range.start), model.document.offsetAt(instruction.range.end))
    : model.text.split(/\r?\n/)[line - 1] ?? '';
  const escape = model.escape.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return written.replace(new RegExp(`${escape}[ \\t]*\\r?\\n`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

export function formatGitlab(findings: readonly GitlabFinding[], baseDir: string): string {
  const seen = new Map<string, number>();
  const issues = findings.map(({ finding: f, instruction }) => {
    const file = relativeToBase(f.file, baseDir);
    const key = [f.rule, file, instruction].join('\0');
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return {
      type: 'issue',
      description: f.message,
      check_name: f.rule,
      fingerprint: createHash('sha256').update(`${key}\0${occurrence}`).digest('hex'),
      severity: SEVERITY[f.severity],
      location: { path: file, lines: { begin: f.line, end: f.endLine } },
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
