// `profile --summary-file F`: the profiled build as a Markdown table of steps, appended to F. In
// GitHub Actions, F is `$GITHUB_STEP_SUMMARY` and the table shows on the run's summary page.
import type { BuildResult, StepAnnotation } from './model';
import { firstLine, formatDuration } from './render';

const INSTRUCTION_CHARS = 80;
const ERROR_CHARS = 120;

/** Text in a table cell: Markdown punctuation, HTML and the cell separator taken literally. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|~]/g, '\\$&').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A code span that holds any text, backticks included; `|` escaped, as GitHub tables need. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

function fencedBlock(lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = '`'.repeat(longest + 1);
  return [fence, ...lines, fence].join('\n');
}

function result(step: StepAnnotation): string {
  let text: string;
  switch (step.state) {
    case 'cached': text = '✓ cached'; break;
    case 'done': text = 'ran'; break;
    case 'running': text = 'running'; break;
    case 'error': text = `✗ ${markdownText(firstLine(step.error ?? 'failed', ERROR_CHARS))}`; break;
    case 'canceled': text = 'canceled'; break;
    case 'not-run': text = 'not run'; break;
  }
  return step.missReason ? `${text} ← ${markdownText(step.missReason)}` : text;
}

function time(step: StepAnnotation): string {
  if (step.durationMs === undefined || step.state === 'cached' || step.state === 'not-run') return '';
  const share = step.share === undefined ? '' : ` (${Math.round(step.share * 100)}%)`;
  return `${formatDuration(step.durationMs)}${share}`;
}

function headline({ summary }: BuildResult): string {
  const took = formatDuration(summary.totalMs);
  const outcome = summary.canceled ? `Build canceled after ${took}`
    : summary.error !== undefined || summary.exitCode !== 0 ? `Build failed after ${took}`
      : `Built in ${took}`;
  return `${outcome} · ${summary.cached} of ${summary.total} steps cached`;
}

export function profileMarkdown(file: string, build: BuildResult): string {
  const out = [`### Build profile: ${markdownCode(file)}`, ''];
  if (build.summary.unavailable) {
    out.push(`The build could not start: ${markdownText(build.summary.error ?? build.summary.unavailable)}`, '');
    return `${out.join('\n')}\n`;
  }
  out.push(headline(build), '');
  if (build.steps.length > 0) {
    out.push('| Line | Instruction | Result | Time |', '|---:|---|---|---:|');
    for (const step of build.steps) out.push(`| ${step.line + 1} | ${markdownCode(firstLine(step.instruction, INSTRUCTION_CHARS))} | ${result(step)} | ${time(step)} |`);
    out.push('');
  }
  const failed = build.steps.find((s) => s.state === 'error');
  if (failed && failed.logs.length > 0) {
    out.push('<details><summary>Output of line ' + String(failed.line + 1) + '</summary>', '', fencedBlock(failed.logs), '', '</details>', '');
  }
  if (build.summary.error !== undefined && !failed) out.push(`Error: ${markdownText(build.summary.error)}`, '');
  return `${out.join('\n')}\n`;
}
