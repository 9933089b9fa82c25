// Builds StepAnnotation values for the client build tests: only what a test is about needs saying.
import type { StepAnnotation } from '../../../server/src/profile/model';

export function step(fields: Partial<StepAnnotation> & Pick<StepAnnotation, 'line' | 'state'>): StepAnnotation {
  return { endLine: fields.line, instruction: `RUN step-on-line-${fields.line + 1}`, logs: [], ...fields };
}
