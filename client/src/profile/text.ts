// Small wording shared by hovers, summaries and messages.

/** `34%`; a step that took any time at all never reads as `0%`. */
export function formatShare(share: number): string {
  const percent = Math.round(share * 100);
  return percent === 0 && share > 0 ? '<1%' : `${percent}%`;
}

