// The profile as terminal text: the Dockerfile with each step's outcome after its last line, then
// the summary. Colour is optional, so the same text reads well in a pipe or a CI log.
import type { BuildSummary, StepAnnotation } from './model';

export interface RenderOptions {
  color: boolean;
}

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', cyan: '\x1b[36m' };
type Style = keyof typeof ANSI;

const ANNOTATION_COLUMN_MAX = 60;
const ERROR_CHARS = 100;

function paint(text: string, styles: Style[], options: RenderOptions): string {
  if (!options.color || styles.length === 0) return text;
  return `${styles.map((s) => ANSI[s]).join('')}${text}${ANSI.reset}`;
}

/** `0.4 s`, `12.4 s`, `2 m 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} m ${String(seconds % 60).padStart(2, '0')} s`;
}

/** First non-empty line, cut to `max` characters, for places with room for one line. */
export function firstLine(text: string, max: number): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Colour of a step's time: the bigger its part of the build, the hotter. */
function shareStyle(share: number | undefined): Style[] {
  if (share === undefined) return [];
  if (share >= 0.5) return ['red', 'bold'];
  if (share >= 0.2) return ['yellow'];
  return [];
}

/** The annotation text of one step, as the editor shows it after the line. */
export function stepLabel(step: StepAnnotation, options: RenderOptions): string {
  const time = step.durationMs === undefined ? '' : formatDuration(step.durationMs);
  let label: string;
  switch (step.state) {
    case 'cached': label = paint('✓ cached', ['green'], options); break;
    case 'done': label = paint(time || 'done', shareStyle(step.share), options); break;
    case 'running': label = paint(`… running${time ? ` ${time}` : ''}`, ['cyan'], options); break;
    case 'error': label = paint(`✗ ${firstLine(step.error ?? 'failed', ERROR_CHARS)}`, ['red', 'bold'], options); break;
    case 'canceled': label = paint(`canceled${time ? ` after ${time}` : ''}`, ['yellow'], options); break;
    case 'not-run': label = paint('not run', ['dim'], options); break;
  }
  return step.missReason ? `${label}  ${paint(`← ${step.missReason}`, ['yellow'], options)}` : label;
}

export function renderAnnotatedDockerfile(text: string, steps: readonly StepAnnotation[], options: RenderOptions): string[] {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const byEndLine = new Map<number, StepAnnotation>();
  for (const step of steps) byEndLine.set(Math.min(step.endLine, lines.length - 1), step);
  const annotated = [...byEndLine.keys()].map((i) => lines[i]?.length ?? 0);
  const column = Math.min(ANNOTATION_COLUMN_MAX, Math.max(0, ...annotated));
  const gutter = String(lines.length).length;
  return lines.map((line, i) => {
    const number = paint(String(i + 1).padStart(gutter), ['dim'], options);
    const step = byEndLine.get(i);
    if (!step) return `${number}  ${line}`.trimEnd();
    return `${number}  ${line.padEnd(column)}  ${stepLabel(step, options)}`;
  });
}

export function renderSummary(summary: BuildSummary, steps: readonly StepAnnotation[], options: RenderOptions): string[] {
  const out: string[] = [];
  const took = formatDuration(summary.totalMs);
  if (summary.canceled) out.push(paint(`Build canceled after ${took}`, ['yellow', 'bold'], options));
  else if (summary.error !== undefined || summary.exitCode !== 0) out.push(paint(`Build failed after ${took}`, ['red', 'bold'], options));
  else out.push(paint(`Built in ${took}`, ['green', 'bold'], options));
  if (summary.image !== undefined) out.push(summary.image);
  out.push(`Steps cached: ${summary.cached} / ${summary.total}`);
  if (summary.slowest.length > 0) {
    out.push('Slowest steps:');
    for (const step of summary.slowest) {
      const share = step.share === undefined ? '' : ` (${Math.round(step.share * 100)}%)`;
      out.push(`  ${formatDuration(step.durationMs ?? 0).padStart(8)}${share}  line ${step.line + 1}  ${firstLine(step.instruction, 70)}`);
    }
  }
  const failed = steps.find((s) => s.state === 'error');
  if (failed) {
    out.push(paint(`Failed on line ${failed.line + 1}: ${firstLine(failed.instruction, 70)}`, ['red'], options));
    for (const log of failed.logs) out.push(`  │ ${log}`);
  }
  for (const warning of summary.warnings ?? []) {
    out.push(paint(`Warning${warning.line === undefined ? '' : ` on line ${warning.line + 1}`}: ${firstLine(warning.message, 200)}`, ['yellow'], options));
  }
  if (summary.error !== undefined) out.push(paint(`Error: ${summary.error}`, ['red'], options));
  return out;
}
