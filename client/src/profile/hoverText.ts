// The hover on an annotated instruction: what ran, how long, how much of the build, why it missed
// the cache, and the last lines it printed. Markdown, built from plain data.
import type { StepAnnotation, StepState } from '../../../server/src/profile/model';
import { formatDuration } from '../../../server/src/profile/render';
import { formatShare } from './text';

const STATE_WORDS: Record<StepState, string> = {
  running: 'running',
  cached: 'cached',
  done: 'built',
  error: 'failed',
  canceled: 'canceled',
  'not-run': 'not run',
};

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, '\\$&');
}

/** A fence longer than any backtick run in the logs, so log text cannot close it. */
function fence(lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  return '`'.repeat(longest + 1);
}

/** `recorded`: for a build the editor did not run, the line that says which build it was. */
export function hoverMarkdown(step: StepAnnotation, totalMs: number | undefined, recorded?: string): string {
  const position = step.index !== undefined && step.total !== undefined ? ` (step ${step.index}/${step.total})` : '';
  const stage = step.stage ? `stage \`${step.stage}\` · ` : '';
  const parts = [`**${escapeMarkdown(step.instruction)}**${position}`, `${stage}${STATE_WORDS[step.state]}`];
  if (step.durationMs !== undefined && step.state !== 'cached') {
    const share = step.share === undefined ? '' : ` · ${formatShare(step.share)} of the build`;
    const total = totalMs === undefined ? '' : ` (${formatDuration(totalMs)})`;
    parts.push(`Time: ${formatDuration(step.durationMs)}${share}${share ? total : ''}`);
  }
  if (step.missReason) parts.push(escapeMarkdown(step.missReason.charAt(0).toUpperCase() + step.missReason.slice(1)));
  if (step.error) parts.push(`Error: ${escapeMarkdown(step.error)}`);
  if (recorded) parts.push(`From the ${escapeMarkdown(recorded)}`);
  const logs = step.logs;
  if (logs.length > 0) {
    const marks = fence(logs);
    parts.push(`Last log lines:\n\n${marks}text\n${logs.join('\n')}\n${marks}`);
  }
  return parts.join('\n\n');
}
