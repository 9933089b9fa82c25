// What each instruction line shows after (or during) a build: the words the CLI prints for the
// step, and the colour they are drawn in. Pure, so it can be tested on plain steps.
import type { StepAnnotation, StepState } from '../../../server/src/profile/model';
import { stepLabel } from '../../../server/src/profile/render';

/** Colour of an annotation: `share-*` grow with the step's part of the whole build. */
export type Tone = 'cached' | 'running' | 'share-low' | 'share-high' | 'share-top' | 'error' | 'idle';

export interface LineAnnotation {
  line: number;
  endLine: number;
  state: StepState;
  text: string;
  tone: Tone;
  step: StepAnnotation;
}

/** The CLI's thresholds: a fifth of the build is worth a look, half of it is the build. */
export function shareTone(share: number | undefined): Tone {
  if (share === undefined || share < 0.2) return 'share-low';
  return share < 0.5 ? 'share-high' : 'share-top';
}

const STATE_TONES: Record<StepState, Tone | undefined> = {
  cached: 'cached',
  running: 'running',
  done: undefined,
  error: 'error',
  canceled: 'idle',
  'not-run': 'idle',
};

/** `origin` says where a build the editor did not run took place ("CI record, 2026-12-05 14:03"). */
export function toLineAnnotations(steps: readonly StepAnnotation[], origin?: string): LineAnnotation[] {
  return steps.map((step) => ({
    line: step.line,
    endLine: Math.max(step.line, step.endLine),
    state: step.state,
    text: origin ? `${stepLabel(step, { color: false })}  · ${origin}` : stepLabel(step, { color: false }),
    tone: STATE_TONES[step.state] ?? shareTone(step.share),
    step,
  }));
}
