// What each instruction line says after (or during) a build: the after-line text, the colour it is
// drawn in, and where a stage's cache miss starts. Pure, so the rules can be tested on plain steps.
import type { StepAnnotation, StepState } from '../../../server/src/build/model';
import { formatDuration, oneLine } from './text';

/** Colour of an annotation: `share-*` grow with the step's part of the whole build. */
export type Tone = 'cached' | 'running' | 'share-low' | 'share-medium' | 'share-high' | 'share-top' | 'error' | 'idle';

export interface LineAnnotation {
  line: number;
  endLine: number;
  state: StepState;
  text: string;
  tone: Tone;
  /** Set on the first step of a stage that did not come from the cache. */
  missStartsHere: boolean;
  step: StepAnnotation;
}

/** Share buckets: under 5% is noise, a fifth of the build is worth a look, half is the build. */
export function shareTone(share: number | undefined): Tone {
  if (share === undefined || share < 0.05) return 'share-low';
  if (share < 0.2) return 'share-medium';
  if (share < 0.5) return 'share-high';
  return 'share-top';
}

const ran = new Set<StepState>(['running', 'done', 'error']);

/**
 * In each stage, the first step that ran instead of coming from the cache: everything after it in
 * that stage is rebuilt because of it, so that is where the "why" belongs.
 */
export function missStarts(steps: readonly StepAnnotation[]): Set<StepAnnotation> {
  const firstByStage = new Map<string, StepAnnotation>();
  for (const step of [...steps].sort((a, b) => a.line - b.line)) {
    const stage = step.stage ?? '';
    if (!firstByStage.has(stage) && ran.has(step.state)) firstByStage.set(stage, step);
  }
  return new Set(firstByStage.values());
}

export function missText(step: StepAnnotation): string {
  return step.missReason ? `cache miss starts here: ${oneLine(step.missReason)}` : 'cache miss starts here';
}

function stateText(step: StepAnnotation): string {
  switch (step.state) {
    case 'cached':
      return '✓ cached';
    case 'running':
      return step.durationMs === undefined ? '⋯ running' : `⋯ running ${formatDuration(step.durationMs)}`;
    case 'done':
      return formatDuration(step.durationMs ?? 0);
    case 'error':
      return `✗ ${oneLine(step.error ?? '') || 'failed'}`;
    case 'canceled':
      return '⊘ canceled';
    case 'not-run':
      return 'not run';
  }
}

function toneOf(step: StepAnnotation): Tone {
  switch (step.state) {
    case 'cached':
      return 'cached';
    case 'running':
      return 'running';
    case 'done':
      return shareTone(step.share);
    case 'error':
      return 'error';
    default:
      return 'idle';
  }
}

/** One annotation per instruction line, in line order; a later report for a line replaces an earlier one. */
export function toLineAnnotations(steps: readonly StepAnnotation[]): LineAnnotation[] {
  const byLine = new Map<number, StepAnnotation>();
  for (const step of steps) byLine.set(step.line, step);
  const unique = [...byLine.values()].sort((a, b) => a.line - b.line);
  const misses = missStarts(unique);
  return unique.map((step) => {
    const missStartsHere = misses.has(step);
    const base = stateText(step);
    // An error already fills the line; its miss reason stays in the hover.
    const text = missStartsHere && step.state !== 'error' ? `${base} · ${missText(step)}` : base;
    return { line: step.line, endLine: Math.max(step.line, step.endLine), state: step.state, text, tone: toneOf(step), missStartsHere, step };
  });
}
