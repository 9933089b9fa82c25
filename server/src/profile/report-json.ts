// `profile --format json`: the profiled build as data, versioned like `check --format json`. The
// shape is a contract: every key is always present (null when unknown), lines are 1-based, and it
// only changes with a new `version`.
import type { BuildResult, StepAnnotation } from './model';

export interface ProfileJsonStep {
  line: number;
  endLine: number;
  instruction: string;
  stage: string | null;
  state: StepAnnotation['state'];
  durationMs: number | null;
  share: number | null;
  cached: boolean;
  error: string | null;
  missReason: string | null;
  logs: string[];
}

export interface ProfileJson {
  version: 1;
  file: string;
  steps: ProfileJsonStep[];
  summary: {
    totalMs: number;
    cached: number;
    total: number;
    exitCode: number | null;
    canceled: boolean;
    error: string | null;
    slowest: { line: number; instruction: string; durationMs: number | null; share: number | null }[];
  };
}

function jsonStep(step: StepAnnotation): ProfileJsonStep {
  return {
    line: step.line + 1,
    endLine: step.endLine + 1,
    instruction: step.instruction,
    stage: step.stage ?? null,
    state: step.state,
    durationMs: step.durationMs ?? null,
    share: step.share ?? null,
    cached: step.state === 'cached',
    error: step.error ?? null,
    missReason: step.missReason ?? null,
    logs: step.logs,
  };
}

export function profileJson(file: string, { steps, summary }: BuildResult): ProfileJson {
  return {
    version: 1,
    file,
    steps: steps.map(jsonStep),
    summary: {
      totalMs: summary.totalMs,
      cached: summary.cached,
      total: summary.total,
      exitCode: summary.exitCode,
      canceled: summary.canceled,
      error: summary.error ?? null,
      slowest: summary.slowest.map((s) => ({ line: s.line + 1, instruction: s.instruction, durationMs: s.durationMs ?? null, share: s.share ?? null })),
    },
  };
}

export function formatProfileJson(file: string, result: BuildResult): string {
  return `${JSON.stringify(profileJson(file, result), null, 2)}\n`;
}
