// The end-of-build summary in its three sizes: a status bar item, a code lens, the output channel.
import type { BuildSummary, StepAnnotation } from '../../../server/src/build/model';
import { formatDuration, formatShare, oneLine } from './text';

function outcome(summary: BuildSummary): string {
  if (summary.canceled) return `canceled after ${formatDuration(summary.totalMs)}`;
  if (summary.error !== undefined || (summary.exitCode ?? 0) !== 0) return `failed after ${formatDuration(summary.totalMs)}`;
  return `in ${formatDuration(summary.totalMs)}`;
}

function cachedCount(summary: BuildSummary): string {
  return `${summary.cached}/${summary.total} cached`;
}

function stepName(step: StepAnnotation): string {
  return oneLine(step.instruction, 60);
}

/** Status bar text, with codicons: `$(check) Docker build 36.5 s · 5/9 cached`. */
export function statusText(summary: BuildSummary): string {
  const failed = summary.canceled || summary.error !== undefined || (summary.exitCode ?? 0) !== 0;
  const icon = summary.canceled ? '$(circle-slash)' : failed ? '$(error)' : '$(check)';
  return `${icon} Docker build ${formatDuration(summary.totalMs)} · ${cachedCount(summary)}`;
}

/** Code lens title above the first FROM after a build. */
export function lensSummary(summary: BuildSummary): string {
  const slowest = summary.slowest[0];
  const parts = [`Last build ${outcome(summary)}`, cachedCount(summary)];
  if (slowest?.durationMs !== undefined) parts.push(`slowest: line ${slowest.line + 1} (${formatDuration(slowest.durationMs)})`);
  return parts.join(' · ');
}

/** `12.4 s  34%  line 7  RUN go build ./...` for each of the (up to three) slowest steps. */
export function slowestLines(summary: BuildSummary): string[] {
  return summary.slowest.slice(0, 3).map((step) => {
    const share = step.share === undefined ? '' : `  ${formatShare(step.share)}`;
    return `${formatDuration(step.durationMs ?? 0)}${share}  line ${step.line + 1}  ${stepName(step)}`;
  });
}

/** The block written to the output channel when a build ends. */
export function summaryReport(summary: BuildSummary): string[] {
  const lines = [`Build ${outcome(summary)}${summary.exitCode === null ? '' : ` (exit code ${summary.exitCode})`}`];
  if (summary.error !== undefined) lines.push(`Error: ${summary.error}`);
  lines.push(`Steps cached: ${summary.cached} / ${summary.total}`);
  const slowest = slowestLines(summary);
  if (slowest.length > 0) lines.push('Slowest steps:', ...slowest.map((line) => `  ${line}`));
  return lines;
}
