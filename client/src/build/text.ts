// Small wording shared by hovers, summaries and messages.

/** `34%`; a step that took any time at all never reads as `0%`. */
export function formatShare(share: number): string {
  const percent = Math.round(share * 100);
  return percent === 0 && share > 0 ? '<1%' : `${percent}%`;
}

/** First non-empty line, cut to `max` characters, for places with room for one line. */
export function oneLine(text: string, max = 100): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
