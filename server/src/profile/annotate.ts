// Turns the vertices BuildKit reported into one annotation per Dockerfile step, and the build's
// summary. A step is `cached` only when BuildKit said CACHED for it; a step the build never
// reached is `not-run` once the build is over, and has no annotation while it is still going.
import type { Vertex, VertexState } from './events';
import type { BuildSummary, StepAnnotation, StepState } from './model';
import { matchStep, parseStepName, type BuildPlan, type PlannedStep } from './steps';

export interface BuildOutcome {
  /** False while the build is still running. */
  finished: boolean;
  exitCode: number | null;
  canceled: boolean;
  totalMs: number;
  error?: string;
}

const LOG_LINES = 10;

// When BuildKit reports one step twice (several platforms), the worst state wins.
const SEVERITY: Record<VertexState, number> = { cached: 0, done: 1, running: 2, canceled: 3, error: 4 };

interface Observed {
  state: VertexState;
  durationMs?: number;
  logs: string[];
  error?: string;
}

function merge(a: Observed | undefined, vertex: Vertex): Observed {
  const next: Observed = { state: vertex.state, durationMs: vertex.durationMs, logs: vertex.logs, error: vertex.error };
  if (!a) return next;
  const worse = SEVERITY[next.state] > SEVERITY[a.state] ? next : a;
  const durationMs = Math.max(a.durationMs ?? 0, next.durationMs ?? 0) || worse.durationMs;
  return { ...worse, durationMs };
}

function observe(plan: BuildPlan, vertices: readonly Vertex[]): Map<PlannedStep, Observed> {
  const observed = new Map<PlannedStep, Observed>();
  for (const vertex of vertices) {
    if (vertex.internal) continue;
    const name = parseStepName(vertex.name);
    const step = name && matchStep(plan, name);
    if (step) observed.set(step, merge(observed.get(step), vertex));
  }
  // BuildKit runs identical steps of two stages once and names them after one stage only.
  for (const step of plan.steps) {
    if (observed.has(step)) continue;
    const twin = plan.steps.find((other) => other !== step && other.chainKey === step.chainKey && observed.has(other));
    if (twin) observed.set(step, observed.get(twin)!);
  }
  return observed;
}

function finalState(state: VertexState, outcome: BuildOutcome): StepState {
  if (state !== 'running' || !outcome.finished) return state;
  // Still running when docker exited: stopped by a cancel or by another step's failure.
  return outcome.canceled || outcome.exitCode !== 0 ? 'canceled' : 'done';
}

/**
 * A finished step BuildKit did not report. When a concurrent build on the same daemon runs an
 * identical step, BuildKit reports it to that build only. Such a step must have completed when a
 * later step of its stage was reported, or when the build succeeded and its stage took part. It
 * is `done` then, never `cached`: BuildKit did not say so.
 */
function unreported(step: PlannedStep, plan: BuildPlan, observed: Map<PlannedStep, Observed>, outcome: BuildOutcome): StepState {
  const stage = plan.stages.find((s) => s.index === step.stageIndex);
  const later = stage?.steps.filter((other) => other.index > step.index) ?? [];
  if (later.some((other) => observed.has(other))) return 'done';
  const succeeded = outcome.exitCode === 0 && !outcome.canceled;
  if (succeeded && stage?.steps.some((other) => observed.has(other))) return 'done';
  return 'not-run';
}

export function annotateSteps(plan: BuildPlan, vertices: readonly Vertex[], outcome: BuildOutcome): StepAnnotation[] {
  const observed = observe(plan, vertices);
  const steps: StepAnnotation[] = [];
  for (const step of plan.steps) {
    const seen = observed.get(step);
    if (!seen && !outcome.finished) continue;
    const annotation: StepAnnotation = {
      line: step.line,
      endLine: step.endLine,
      instruction: step.instruction,
      stage: step.stageName,
      index: step.index,
      total: step.total,
      state: seen ? finalState(seen.state, outcome) : unreported(step, plan, observed, outcome),
      logs: seen ? seen.logs.slice(-LOG_LINES) : [],
    };
    if (seen?.durationMs !== undefined && annotation.state !== 'cached') annotation.durationMs = seen.durationMs;
    if (seen?.error !== undefined) annotation.error = seen.error;
    steps.push(annotation);
  }
  const spent = steps.reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
  if (spent > 0) for (const s of steps) if (s.durationMs !== undefined) s.share = s.durationMs / spent;
  return steps;
}

function isFrom(step: StepAnnotation): boolean {
  return /^FROM\b/i.test(step.instruction);
}

export function summarize(steps: readonly StepAnnotation[], outcome: BuildOutcome): BuildSummary {
  const cacheable = steps.filter((s) => !isFrom(s));
  const slowest = steps
    .filter((s) => s.state !== 'cached' && (s.durationMs ?? 0) > 0)
    .sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))
    .slice(0, 3);
  const summary: BuildSummary = {
    totalMs: outcome.totalMs,
    cached: cacheable.filter((s) => s.state === 'cached').length,
    total: cacheable.length,
    slowest,
    exitCode: outcome.exitCode,
    canceled: outcome.canceled,
  };
  if (outcome.error !== undefined) summary.error = outcome.error;
  return summary;
}

const PARSE_ERROR = /dockerfile parse error (?:on )?line (\d+):?\s*/i;

/**
 * A Dockerfile BuildKit cannot parse fails before any step runs; its error names the line. That
 * line gets the error annotation, even when what is written there is no step at all (`FOO bar`).
 */
export function markParseError(steps: readonly StepAnnotation[], text: string, error: string | undefined): StepAnnotation[] {
  const match = error === undefined ? null : PARSE_ERROR.exec(error);
  const lines = text.split(/\r?\n/);
  const line = match ? Number(match[1]) - 1 : -1;
  if (!match || line < 0 || line >= lines.length || steps.some((s) => s.state === 'error')) return [...steps];
  const message = error!.slice(match.index + match[0].length) || error!;
  const existing = steps.find((s) => s.line <= line && line <= s.endLine);
  if (existing) return steps.map((s) => (s === existing ? { ...s, state: 'error', error: message } : s));
  const annotation: StepAnnotation = { line, endLine: line, instruction: lines[line].trim(), state: 'error', logs: [], error: message };
  return [...steps, annotation].sort((a, b) => a.line - b.line);
}
