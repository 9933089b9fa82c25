// What the status bar and the server are told about a measured build; no vscode import, so it is
// tested as plain code.
import type { FindingCostsParams, MeasuredBuild } from '../../../server/src/features/measuredCost';
import type { StepAnnotation } from '../../../server/src/profile/model';

/** A finished build's steps as the server reads them: seconds only for steps that ran. */
export function measuredBuildFromSteps(steps: readonly StepAnnotation[], origin = 'the last build'): MeasuredBuild {
  return {
    origin,
    steps: steps.map((s) => ({
      line: s.line,
      endLine: s.endLine,
      instruction: s.instruction,
      cached: s.state === 'cached',
      seconds: (s.state === 'done' || s.state === 'error') && s.durationMs !== undefined ? s.durationMs / 1000 : undefined,
    })),
  };
}

/** "GD001 cost 34 s" for the costliest finding; undefined when nothing has a cost. */
export function costliestText(params: FindingCostsParams): string | undefined {
  const top = params.costs[0];
  return top ? `${top.rule} cost ${top.seconds >= 10 ? Math.round(top.seconds) : top.seconds.toFixed(1)} s` : undefined;
}
