// Human-readable `check` output, grouped by file like eslint's stylish formatter.
import type { FileFinding } from './findings';

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

export function formatText(findings: FileFinding[], color: boolean): string {
  const paint = (c: keyof typeof COLORS, s: string) => (color ? `${COLORS[c]}${s}${COLORS.reset}` : s);
  const out: string[] = [];
  const files = [...new Set(findings.map((f) => f.file))];
  for (const file of files) {
    out.push(paint('bold', file));
    for (const f of findings.filter((x) => x.file === file)) {
      const where = `${f.line}:${f.column}`.padEnd(7);
      const severity = paint(f.severity, f.severity.padEnd(7));
      out.push(`  ${where} ${severity} ${f.rule}  ${f.message} ${paint('dim', `(${f.name}${f.fixable ? ', fixable' : ''})`)}`);
    }
    out.push('');
  }
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const fixable = findings.filter((f) => f.fixable).length;
  if (findings.length === 0) out.push('No problems found.');
  else {
    out.push(`${findings.length} problem${findings.length === 1 ? '' : 's'} (${count('error')} error, ${count('warning')} warning, ${count('info')} info)`);
    if (fixable > 0) out.push(`${fixable} fixable with \`go-dockerfile-cache fix\``);
  }
  return `${out.join('\n')}\n`;
}
