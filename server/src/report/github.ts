// `check --format github`: GitHub Actions workflow commands, one per finding, which the runner turns
// into annotations on the pull request's diff. Escaping follows the runner's own rules: in the
// message `%`, CR and LF are percent-encoded; in properties `:` and `,` as well.
import type { FileFinding } from './findings';
import { relativeToBase } from './paths';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(findings: readonly FileFinding[], baseDir: string): string {
  return findings.map((f) => {
    const properties = [
      ['file', relativeToBase(f.file, baseDir)],
      ['line', String(f.line)],
      ['col', String(f.column)],
      ['endLine', String(f.endLine)],
      ['endColumn', String(f.endColumn)],
      ['title', f.rule],
    ].map(([key, value]) => `${key}=${escapeProperty(value)}`).join(',');
    return `::${COMMAND[f.severity]} ${properties}::${escapeData(f.message)}\n`;
  }).join('');
}
