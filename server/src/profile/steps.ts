// Which Dockerfile instruction a BuildKit step is. BuildKit names steps
// `[<platform> <stage> i/n] INSTRUCTION`: per stage it counts the FROM of an external image, then
// each ADD, COPY, RUN and WORKDIR; ARG, ENV and the rest get no step. Unnamed stages appear as
// `stage-N` (N counts every FROM from 0) or, in a single-stage build, with no name at all.
import { parseDockerfile, type DockerfileModel, type InstructionModel, type Stage } from '../analysis/model/model';

export const STEP_KEYWORDS = new Set(['ADD', 'COPY', 'RUN', 'WORKDIR']);

export interface StepName {
  platform?: string;
  stage?: string;
  index: number;
  total: number;
  /** The instruction as BuildKit shows it: variables expanded, possibly cut short with `...`. */
  text: string;
}

export interface PlannedStep {
  stageIndex: number;
  stageName?: string;
  /** 1-based, as BuildKit counts. */
  index: number;
  total: number;
  keyword: string;
  line: number;
  endLine: number;
  instruction: string;
  /**
   * The base image or stage plus every step up to this one. Steps of two stages with the same key
   * are one piece of work to BuildKit, which then shows it under one of the stages only.
   */
  chainKey: string;
  node: InstructionModel;
}

export interface PlannedStage {
  index: number;
  name?: string;
  /** Index of the stage this one starts FROM, if any. */
  baseStage?: number;
  line: number;
  steps: PlannedStep[];
}

export interface BuildPlan {
  model?: DockerfileModel;
  stages: PlannedStage[];
  steps: PlannedStep[];
}

const STEP_NAME = /^\[([^\]]*?)\s*(\d+)\/(\d+)\]\s?(.*)$/s;

export function parseStepName(name: string): StepName | undefined {
  const match = STEP_NAME.exec(name);
  if (!match) return undefined;
  const [, prefix, index, total, text] = match;
  const parsed: StepName = { index: Number(index), total: Number(total), text };
  for (const token of prefix.split(/\s+/).filter(Boolean)) {
    if (token.includes('/')) parsed.platform = token;
    else parsed.stage = token;
  }
  return parsed;
}

/** The instruction's text on one line: continuations joined, comment lines inside it dropped. */
export function flattenInstruction(model: DockerfileModel, node: InstructionModel): string {
  const text = model.document.getText(node.range);
  const escape = model.escape;
  return text
    .split(/\r?\n/)
    .filter((line, i) => i === 0 || !/^\s*#/.test(line))
    .map((line) => (line.trimEnd().endsWith(escape) ? line.trimEnd().slice(0, -1) : line))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const RUN_SETTINGS = new Set(['ENV', 'ARG', 'USER', 'SHELL']);

/** The ENV, ARG, USER and SHELL lines of a stage before an instruction, one per line. */
export function settingsBefore(model: DockerfileModel, stage: Stage, node: InstructionModel): string {
  return stage.instructions
    .filter((i) => i.position < node.position && RUN_SETTINGS.has(i.keyword))
    .map((i) => flattenInstruction(model, i))
    .join('\n');
}

function emptyPlan(): BuildPlan {
  return { stages: [], steps: [] };
}

export function planSteps(dockerfile: string): BuildPlan {
  let model: DockerfileModel;
  try {
    model = parseDockerfile(dockerfile);
  } catch {
    // A Dockerfile the parser cannot read still builds (or fails) in docker; steps then stay unmapped.
    return emptyPlan();
  }
  const plan: BuildPlan = { model, stages: [], steps: [] };
  const chainEnd = new Map<Stage, string>();
  for (const stage of model.stages) {
    const base = stage.image.stage;
    const fromExternal = !base && stage.image.raw.toLowerCase() !== 'scratch';
    const nodes = stage.instructions.filter((i) => (i.keyword === 'FROM' ? fromExternal : STEP_KEYWORDS.has(i.keyword)));
    const planned: PlannedStage = { index: stage.index, name: stage.name, baseStage: base?.index, line: stage.fromRange.start.line, steps: [] };
    let chain = base ? (chainEnd.get(base) ?? `stage ${base.index}`) : `image ${stage.image.raw}`;
    nodes.forEach((node, i) => {
      const instruction = flattenInstruction(model, node);
      // A RUN also depends on the ENV, ARG, USER and SHELL before it; file steps do not.
      if (node.keyword === 'RUN') chain += `\n${settingsBefore(model, stage, node)}`;
      if (node.keyword !== 'FROM') chain += `\n${instruction}`;
      planned.steps.push({
        stageIndex: stage.index,
        stageName: stage.name,
        index: i + 1,
        total: nodes.length,
        keyword: node.keyword,
        line: node.range.start.line,
        endLine: node.range.end.line,
        instruction,
        chainKey: chain,
        node,
      });
    });
    chainEnd.set(stage, chain);
    plan.stages.push(planned);
    plan.steps.push(...planned.steps);
  }
  return plan;
}

function stagesNamed(plan: BuildPlan, label: string | undefined): PlannedStage[] {
  if (label === undefined) return plan.stages;
  const lower = label.toLowerCase();
  const byName = plan.stages.filter((s) => s.name?.toLowerCase() === lower);
  if (byName.length > 0) return byName;
  const numbered = /^stage-(\d+)$/.exec(lower);
  return numbered ? plan.stages.filter((s) => s.index === Number(numbered[1])) : [];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether BuildKit's rendering of a step can be this instruction. BuildKit expands variables and
 * may cut long names with `...`, so each `$VAR` becomes a wildcard and a cut name matches a prefix.
 */
export function sameInstruction(shown: string, instruction: string): boolean {
  const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();
  let text = normalize(shown);
  const truncated = text.endsWith('...');
  if (truncated) text = text.slice(0, -3);
  const pattern = normalize(instruction)
    .split(/(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)/)
    .map((part, i) => (i % 2 === 1 ? '.*?' : escapeRegExp(part)))
    .join('');
  const keyword = (s: string) => s.split(' ')[0]?.toUpperCase();
  if (keyword(text) !== keyword(normalize(instruction))) return false;
  if (truncated) return new RegExp(`^${pattern}`, 'is').test(text) || normalize(instruction).startsWith(text);
  return new RegExp(`^${pattern}$`, 'is').test(text);
}

/** The planned step a BuildKit step name stands for; counts first, then the text when counts disagree. */
export function matchStep(plan: BuildPlan, name: StepName): PlannedStep | undefined {
  const candidates = stagesNamed(plan, name.stage);
  const byCount = candidates
    .map((stage) => stage.steps[name.index - 1])
    .filter((step): step is PlannedStep => step !== undefined && step.total === name.total && sameKeyword(step, name.text));
  if (byCount.length === 1) return byCount[0];
  const byText = byCount.filter((step) => sameInstruction(name.text, step.instruction));
  if (byText.length >= 1) return byText[0];
  const anywhere = candidates.flatMap((stage) => stage.steps).filter((step) => sameInstruction(name.text, step.instruction));
  if (anywhere.length === 1) return anywhere[0];
  return anywhere.find((step) => step.index === name.index) ?? byCount[0];
}

function sameKeyword(step: PlannedStep, text: string): boolean {
  return text.split(/\s/)[0]?.toUpperCase() === step.keyword;
}
