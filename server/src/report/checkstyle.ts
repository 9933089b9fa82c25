// `check --format checkstyle`: the Checkstyle XML report that Jenkins, SonarQube, reviewdog and
// most CI dashboards read. Every checked file is listed, also those without findings, so a
// dashboard can tell a clean file from one that was not checked.
import type { FileFinding } from './findings';

const SEVERITY = { error: 'error', warning: 'warning', info: 'info' } as const;

/** XML 1.0 allows only these characters; anything else (control characters) is dropped. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeAttribute(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export function formatCheckstyle(files: readonly string[], findings: readonly FileFinding[]): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<checkstyle version="4.3">'];
  for (const file of new Set([...files, ...findings.map((f) => f.file)])) {
    const own = findings.filter((f) => f.file === file);
    if (own.length === 0) {
      out.push(`  <file name="${escapeAttribute(file)}"/>`);
      continue;
    }
    out.push(`  <file name="${escapeAttribute(file)}">`);
    for (const f of own) {
      out.push(`    <error line="${f.line}" column="${f.column}" severity="${SEVERITY[f.severity]}" message="${escapeAttribute(f.message)}" source="go-dockerfile-cache.${f.rule}"/>`);
    }
    out.push('  </file>');
  }
  out.push('</checkstyle>');
  return `${out.join('\n')}\n`;
}
