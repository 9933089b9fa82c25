// What a cache-miss finding cost in a real build: the seconds of its step and of the steps after
// it in its stage that rebuilt with it. A profiled build, a measure run or a build record each
// give a measured build; the finding's message then carries its cost, labelled with where the
// numbers came from ("in the last build", "in the CI build of 2026-12-05").
import type { DockerfileModel, InstructionModel } from '../analysis/model/model';
import type { Finding } from '../analysis/model/types';
import { flattenInstruction } from '../profile/steps';

/** Client → server: the measured build of a Dockerfile (`build: null` forgets it). */
export const MEASURED_BUILD_NOTIFICATION = 'goDockerfileCache/measuredBuild';
/** Server → client: the findings' measured costs after a publish, costliest first. */
export const FINDING_COSTS_NOTIFICATION = 'goDockerfileCache/findingCosts';

export interface MeasuredBuildParams {
  uri: string;
  build: MeasuredBuild | null;
}

export interface FindingCostsParams {
  uri: string;
  costs: { rule: string; line: number; seconds: number; origin: string }[];
}

export interface MeasuredStep {
  /** 0-based first and last line of the instruction in the Dockerfile that was built. */
  line: number;
  endLine: number;
  /** The instruction as written, continuation lines joined. */
  instruction: string;
  /** undefined when the step did not run (cached, not run). */
  seconds?: number;
  cached: boolean;
}

export interface MeasuredBuild {
  /** How the message names the build: "the last build", "the CI build of 2026-12-05". */
  origin: string;
  steps: MeasuredStep[];
}

/** Rules whose finding is about work a cache miss repeats, so a measured time belongs to it. */
export const CACHE_MISS_RULES: ReadonlySet<string> = new Set(['GD001', 'GD003', 'GD004', 'GD006', 'GD008', 'GD009', 'GD013', 'GD021', 'GD022', 'GD023', 'GD025']);

export interface FindingCost {
  seconds: number;
  /** The steps that rebuilt: the finding's own first. */
  steps: MeasuredStep[];
  origin: string;
}

function squeeze(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The finding's cost in `build`, or undefined when it cannot be said: the rule is not about a
 * cache miss, the finding's step was cached in that build, or the Dockerfile changed there since.
 */
export function findingCost(finding: Finding, model: DockerfileModel, build: MeasuredBuild): FindingCost | undefined {
  if (!CACHE_MISS_RULES.has(finding.rule)) return undefined;
  const line = finding.range.start.line;
  const stage = model.stages.find((s) => s.fromRange.start.line <= line && (s.instructions.at(-1)?.range.end.line ?? s.fromRange.end.line) >= line);
  if (!stage) return undefined;
  // Instructions of the stage from the finding's on (an ARG or ENV costs through the steps after it).
  const from = stage.instructions.filter((i) => i.range.end.line >= line && i.keyword !== 'FROM');
  const matched: { instruction: InstructionModel; step: MeasuredStep }[] = [];
  for (const instruction of from) {
    const step = build.steps.find((s) => s.line === instruction.range.start.line);
    if (!step) continue;
    // The Dockerfile changed since that build: what ran there is not this line.
    if (squeeze(step.instruction) !== flattenInstruction(model, instruction)) return undefined;
    matched.push({ instruction, step });
  }
  const first = matched[0];
  if (!first || first.step.cached || first.step.seconds === undefined) return undefined;
  const rebuilt = matched.map((m) => m.step).filter((s) => !s.cached && s.seconds !== undefined);
  const seconds = Math.round(rebuilt.reduce((sum, s) => sum + (s.seconds ?? 0), 0) * 10) / 10;
  return { seconds, steps: rebuilt, origin: build.origin };
}

export function describeCost(cost: FindingCost): string {
  const after = cost.steps.length - 1;
  const which = after === 0 ? 'this step rebuilt' : `this step and the ${after === 1 ? 'one' : after} after it rebuilt`;
  return `In ${cost.origin} ${which}: ${cost.seconds.toFixed(1)} s.`;
}

/** The hover's account of a finding's cost: each step that rebuilt with it, its line and seconds. */
export function costHover(cost: FindingCost): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/`/g, "'");
  const shown = (instruction: string) => cell(instruction.length > 60 ? `${instruction.slice(0, 59)}…` : instruction);
  const rows = cost.steps.map((s) => `| ${s.line + 1} | \`${shown(s.instruction)}\` | ${(s.seconds ?? 0).toFixed(1)} s |`);
  return [`**Measured in ${cost.origin}**: ${cost.seconds.toFixed(1)} s rebuilt with this finding's step`, '', '| Line | Step | Time |', '|---:|---|---:|', ...rows].join('\n');
}

/** The findings with their measured cost appended to the message, and the costs by finding. */
export function withMeasuredCosts(findings: readonly Finding[], model: DockerfileModel, build: MeasuredBuild | undefined): { findings: Finding[]; costs: Map<Finding, FindingCost> } {
  const costs = new Map<Finding, FindingCost>();
  if (!build) return { findings: [...findings], costs };
  const out = findings.map((finding) => {
    const cost = findingCost(finding, model, build);
    if (!cost) return finding;
    const costed = { ...finding, message: `${finding.message} ${describeCost(cost)}` };
    costs.set(costed, cost);
    return costed;
  });
  return { findings: out, costs };
}
