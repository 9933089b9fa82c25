// The end-of-build summary where there is room for one line: the status bar and the code lens.
// The output channel gets the CLI's full summary (renderSummary).
import type { BuildSummary } from '../../../server/src/profile/model';
import { formatDuration } from '../../../server/src/profile/render';

function failed(summary: BuildSummary): boolean {
  return summary.error !== undefined || (summary.exitCode ?? 0) !== 0;
}

function outcome(summary: BuildSummary): string {
  const took = formatDuration(summary.totalMs);
  if (summary.canceled) return `canceled after ${took}`;
  return failed(summary) ? `failed after ${took}` : `built in ${took}`;
}

/** Status bar text, with codicons: `$(check) Docker build 36.5 s · 5/9 cached`. */
export function statusText(summary: BuildSummary): string {
  const icon = summary.canceled ? '$(circle-slash)' : failed(summary) ? '$(error)' : '$(check)';
  return `${icon} Docker build ${formatDuration(summary.totalMs)} · ${summary.cached}/${summary.total} cached`;
}

/** Code lens title above the first FROM after a build; `origin` names a build the editor did not run. */
export function lensSummary(summary: BuildSummary, origin?: string): string {
  const parts = [`${origin ? `Last build (${origin})` : 'Last build'}: ${outcome(summary)}`, `${summary.cached}/${summary.total} cached`];
  const slowest = summary.slowest[0];
  if (slowest?.durationMs !== undefined) parts.push(`slowest: line ${slowest.line + 1} (${formatDuration(slowest.durationMs)})`);
  return parts.join(' · ');
}
