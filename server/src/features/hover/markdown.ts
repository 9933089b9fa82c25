// Small Markdown builders shared by the hovers.

/** Inline code that survives backticks inside the value. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function lineRef(zeroBasedLine: number): string {
  return `line ${zeroBasedLine + 1}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}

/** `a`, `b`, `c` and 4 more */
export function listWithMore(items: string[], total: number, shown = 5): string {
  const head = items.slice(0, shown).map(code).join(', ');
  const rest = total - Math.min(items.length, shown);
  return rest > 0 ? `${head} and ${rest} more` : head;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
