// Why a step missed the cache. In each stage BuildKit reuses steps until the first one whose
// inputs changed; everything after it runs again. So only that first step gets a reason, found by
// comparing this build with the manifest of the last profiled one.
import * as posix from 'node:path/posix';
import dockerignore from '@balena/dockerignore';
import { isArg, isCopy, isRun } from '../analysis/model/model';
import type { BuildManifest } from './manifest';
import { stageKey } from './manifest';
import type { StepAnnotation, StepState } from './model';
import { settingsBefore, type BuildPlan, type PlannedStage, type PlannedStep } from './steps';

export const MISS_PREFIX = 'cache miss starts here';

const MISSED: ReadonlySet<StepState> = new Set(['running', 'done', 'error', 'canceled']);
const CACHE_GONE = 'the build cache no longer held it (pruned, built with --no-cache, or on another builder)';
const LISTED_FILES = 3;

interface Change {
  path: string;
  kind: 'changed' | 'new' | 'deleted';
}

function stageLabel(stage: PlannedStage): string {
  return stage.name ?? `#${stage.index}`;
}

/**
 * Which files a set of COPY sources (context-relative, maybe globs or folders) sends. COPY and
 * .dockerignore share Go's filepath.Match rules, anchored at the context root, and a pattern that
 * matches a folder takes everything in it — so the .dockerignore matcher answers for COPY too.
 */
export function sourcesMatcher(sources: readonly string[]): (file: string) => boolean {
  const patterns = sources.map((source) => posix.normalize(source.replace(/^\/+/, '') || '.').replace(/\/+$/, ''));
  if (patterns.some((p) => p === '.' || p === '')) return () => true;
  try {
    const matcher = dockerignore({ ignorecase: false }).add(patterns);
    return (file) => matcher.ignores(file);
  } catch {
    return () => false;
  }
}

export function sourceCovers(source: string, file: string): boolean {
  return sourcesMatcher([source])(file);
}

function contextSources(step: PlannedStep): string[] | undefined {
  const node = step.node;
  if (isCopy(node)) {
    if (node.from || node.heredoc) return undefined;
    return node.sources.map((s) => s.value).filter((s) => !/^[a-z]+:\/\//i.test(s) && !s.startsWith('git@'));
  }
  if (isRun(node)) {
    const binds = node.mounts.filter((m) => m.type === 'bind' && !m.from);
    return binds.length > 0 ? binds.map((m) => m.source ?? '.') : undefined;
  }
  return undefined;
}

// Live updates ask again on every chunk of output; the answer only depends on these inputs.
const changesSeen = new WeakMap<CurrentInputs, Map<string, Change[]>>();

function changedFiles(sources: string[], previous: BuildManifest, current: CurrentInputs): Change[] {
  const key = JSON.stringify(sources);
  const known = changesSeen.get(current)?.get(key);
  if (known) return known;
  const changes = compareFiles(sourcesMatcher(sources), previous.files, current.files);
  if (!changesSeen.has(current)) changesSeen.set(current, new Map());
  changesSeen.get(current)!.set(key, changes);
  return changes;
}

function compareFiles(covered: (file: string) => boolean, before: Record<string, string>, after: Record<string, string>): Change[] {
  const changes: Change[] = [];
  for (const [file, hash] of Object.entries(after)) {
    if (!covered(file)) continue;
    if (!(file in before)) changes.push({ path: file, kind: 'new' });
    else if (before[file] !== hash) changes.push({ path: file, kind: 'changed' });
  }
  for (const file of Object.keys(before)) if (!(file in after) && covered(file)) changes.push({ path: file, kind: 'deleted' });
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

function describeChanges(changes: Change[]): string {
  const named = changes.slice(0, LISTED_FILES).map((c) => (c.kind === 'changed' ? c.path : `${c.path} (${c.kind})`));
  const more = changes.length - named.length;
  const list = more > 0 ? `${named.join(', ')} and ${more} more file${more === 1 ? '' : 's'}` : named.join(', ');
  return `${list} changed since the last profiled build`;
}

function argsInScope(plan: BuildPlan, step: PlannedStep): string[] {
  const stage = plan.model?.stages[step.stageIndex];
  if (!stage) return [];
  return stage.instructions.filter((i) => i.position < step.node.position && isArg(i)).flatMap((i) => (isArg(i) ? i.vars.map((v) => v.name) : []));
}

/** What this build sees, hashed like the manifest it is compared with. */
export type CurrentInputs = Pick<BuildManifest, 'files' | 'truncated' | 'buildArgs'>;

interface Comparison {
  plan: BuildPlan;
  previous?: BuildManifest;
  current: CurrentInputs;
  /** Stage index → line of its first missed step in this build. */
  missedStages: Map<number, number>;
}

function reasonFor(step: PlannedStep, stage: PlannedStage, cmp: Comparison): string {
  const { plan, previous, current } = cmp;
  if (stage.baseStage !== undefined && cmp.missedStages.has(stage.baseStage)) {
    const base = plan.stages[stage.baseStage];
    return `its base stage ${stageLabel(base)} was rebuilt from line ${cmp.missedStages.get(stage.baseStage)! + 1}`;
  }
  const from = isCopy(step.node) ? step.node.from?.stage : undefined;
  if (from && cmp.missedStages.has(from.index)) {
    return `it copies from stage ${stageLabel(plan.stages[from.index])}, which was rebuilt from line ${cmp.missedStages.get(from.index)! + 1}`;
  }
  if (!previous) return 'no earlier profiled build of this Dockerfile to compare with';
  const key = stageKey(step.stageName, step.stageIndex);
  const before = previous.steps.filter((s) => s.stage === key && s.instruction === step.instruction);
  if (before.length === 0) return `this ${step.keyword} is new or changed since the last profiled build`;
  const sources = contextSources(step);
  if (sources) {
    const changes = changedFiles(sources, previous, current);
    if (changes.length > 0) return describeChanges(changes);
  }
  if (!before.some((s) => s.completed)) return 'the last profiled build stopped before reaching it';
  const model = plan.model;
  const modelStage = model?.stages[step.stageIndex];
  const settings = model && modelStage ? settingsBefore(model, modelStage, step.node) : '';
  if (step.keyword === 'RUN' && !before.some((s) => s.settings === settings)) {
    return 'an ENV, ARG, USER or SHELL line before it changed since the last profiled build';
  }
  if (step.keyword === 'RUN') {
    const changedArgs = argsInScope(plan, step).filter((name) => previous.buildArgs[name] !== current.buildArgs[name]);
    if (changedArgs.length > 0) return `build arg ${changedArgs.join(', ')} changed since the last profiled build`;
  }
  if (sources && (previous.truncated || current.truncated)) return 'the build context is too large to compare file by file';
  return `its inputs look unchanged since the last profiled build, so ${CACHE_GONE}`;
}

/**
 * Sets `missReason` on the first step of each stage that did not come from the cache.
 * `current` must hash build args with `previous.salt` when there is a previous manifest.
 */
export function explainMisses(steps: readonly StepAnnotation[], plan: BuildPlan, previous: BuildManifest | undefined, current: CurrentInputs): StepAnnotation[] {
  const byLine = new Map(steps.map((s) => [s.line, s]));
  const firstMiss = new Map<number, PlannedStep>();
  for (const stage of plan.stages) {
    const missed = stage.steps.find((p) => p.keyword !== 'FROM' && MISSED.has(byLine.get(p.line)?.state ?? 'not-run'));
    if (missed) firstMiss.set(stage.index, missed);
  }
  const cmp: Comparison = { plan, previous, current, missedStages: new Map([...firstMiss].map(([index, step]) => [index, step.line])) };
  const reasons = new Map<number, string>();
  for (const stage of plan.stages) {
    const step = firstMiss.get(stage.index);
    if (step) reasons.set(step.line, `${MISS_PREFIX}: ${reasonFor(step, stage, cmp)}`);
  }
  return steps.map((s) => {
    const missReason = reasons.get(s.line);
    if (missReason !== undefined) return { ...s, missReason };
    if (s.missReason === undefined) return s;
    const { missReason: _stale, ...rest } = s;
    return rest;
  });
}
