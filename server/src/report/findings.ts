// The CLI's view of a finding: one-based positions and the file it belongs to. This is the JSON
// contract (`check --format json`): field names and meaning must not change.
import type { Finding, Severity } from '../analysis/model/types';

export interface FileFinding {
  file: string;
  rule: string;
  name: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixable: boolean;
  /** What the finding cost in the profiled build given to `check --profile-file`; absent otherwise. */
  measuredSeconds?: number;
}

export function toFileFinding(file: string, f: Finding): FileFinding {
  return {
    file,
    rule: f.rule,
    name: f.name,
    severity: f.severity,
    message: f.message,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    fixable: f.fixes.length > 0,
  };
}

export const SEVERITY_RANK: Record<Severity | 'none', number> = { none: 4, error: 3, warning: 2, info: 1 };

export function formatJson(findings: FileFinding[]): string {
  return `${JSON.stringify({ version: 1, findings }, null, 2)}\n`;
}
