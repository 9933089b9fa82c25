// Small formatting shared by annotations, hovers and summaries, so a step reads the same everywhere.

/** `0.4 s`, `12.4 s`, `2 m 05 s`: tenths matter for short steps, not for long ones. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} m ${String(seconds % 60).padStart(2, '0')} s`;
}

/** `34%`; a step that took any time at all never reads as `0%`. */
export function formatShare(share: number): string {
  const percent = Math.round(share * 100);
  return percent === 0 && share > 0 ? '<1%' : `${percent}%`;
}

/** First non-empty line, cut to `max` characters: an after-line annotation has one line to say it. */
export function oneLine(text: string, max = 100): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
