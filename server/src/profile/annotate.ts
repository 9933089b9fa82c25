// Turns the vertices BuildKit reported into one annotation per Dockerfile step, and the build's
// summary. A step is `cached` only when BuildKit said CACHED for it; a step the build never
// reached is `not-run` once the build is over, and has no annotation while it is still going.
import type { Vertex, VertexState } from './events';
import type { BuildSummary, StepAnnotation, StepState } from './model';
import { matchStep, parseStepName, sameInstruction, type BuildPlan, type PlannedStep } from './steps';

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

export interface AnnotateOptions {
  /**
   * For a build of a Dockerfile that may have changed since (a build record): a step is placed
   * only on an instruction that still reads the same, and steps BuildKit did not report get no
   * annotation, since nothing says the recorded build had them.
   */
  recorded?: boolean;
}

/** `golang:1.26` of `docker.io/library/golang:1.26@sha256:…`: the image as a Dockerfile names it. */
function shortImage(ref: string): string {
  return ref.replace(/@sha256:[0-9a-f]+$/i, '').replace(/^docker\.io\//, '').replace(/^library\//, '').toLowerCase();
}

/**
 * Whether a FROM vertex pulled the image the instruction names. An image named through a build
 * argument can be anything, so it matches.
 */
function sameImage(shown: string, instruction: string): boolean {
  const image = instruction.split(/\s+/).slice(1).find((word) => !word.startsWith('--'));
  const pulled = shown.split(/\s+/)[1];
  if (image === undefined || pulled === undefined || image.includes('$')) return true;
  const named = shortImage(image);
  return shortImage(pulled) === (named.includes(':') ? named : `${named}:latest`) || shortImage(pulled) === named;
}

/**
 * The FROM step of the stage a FROM vertex names. BuildKit runs one vertex for every build that
 * does the same work at the same time, and names it after whichever build came first, so its
 * step count and stage can be another Dockerfile's (`[tools 1/5]` in a stage `build` of 6 steps).
 */
function stageFrom(plan: BuildPlan, stage: string | undefined): PlannedStep | undefined {
  const froms = plan.stages
    .filter((s) => (stage === undefined ? true : s.name?.toLowerCase() === stage.toLowerCase() || `stage-${s.index}` === stage.toLowerCase()))
    .map((s) => s.steps[0])
    .filter((step): step is PlannedStep => step?.keyword === 'FROM');
  return froms.length === 1 ? froms[0] : undefined;
}

/** The Dockerfile step a reported vertex stands for; with `sameText`, only if its instruction still reads the same. */
function placeVertex(plan: BuildPlan, vertex: Vertex, sameText: boolean): PlannedStep | undefined {
  const name = parseStepName(vertex.name);
  if (!name) return undefined;
  const isFrom = name.text.split(/\s/)[0]?.toUpperCase() === 'FROM';
  let step = matchStep(plan, name) ?? (sameText && isFrom ? stageFrom(plan, name.stage) : undefined);
  // A vertex shared with another build may carry that build's stage name and counts: by its text
  // in any stage, when only one instruction reads that way.
  if (!step && sameText && name.stage !== undefined) step = matchStep(plan, { ...name, stage: undefined }) ?? (isFrom ? stageFrom(plan, undefined) : undefined);
  if (!step || !sameText) return step;
  // BuildKit shows FROM with the image it resolved (`docker.io/library/golang:1.26@sha256:…`).
  if (step.keyword === 'FROM') return isFrom && sameImage(name.text, step.instruction) ? step : undefined;
  return sameInstruction(name.text, step.instruction) ? step : undefined;
}

/** Reported Dockerfile steps that have no instruction reading the same in this Dockerfile. */
export function unplacedSteps(plan: BuildPlan, vertices: readonly Vertex[]): Vertex[] {
  return vertices.filter((v) => !v.internal && parseStepName(v.name) !== undefined && placeVertex(plan, v, true) === undefined);
}

function observe(plan: BuildPlan, vertices: readonly Vertex[], sameText: boolean): Map<PlannedStep, Observed> {
  const observed = new Map<PlannedStep, Observed>();
  for (const vertex of vertices) {
    if (vertex.internal) continue;
    const step = placeVertex(plan, vertex, sameText);
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

export function annotateSteps(plan: BuildPlan, vertices: readonly Vertex[], outcome: BuildOutcome, options: AnnotateOptions = {}): StepAnnotation[] {
  const observed = observe(plan, vertices, options.recorded === true);
  const steps: StepAnnotation[] = [];
  for (const step of plan.steps) {
    const seen = observed.get(step);
    if (!seen && (!outcome.finished || options.recorded)) continue;
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
