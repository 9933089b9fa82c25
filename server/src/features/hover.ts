// Hover: the rule behind any finding under the cursor, then what the instruction under it means
// for the build cache (go command, cache mount, COPY/ADD, Go variable in ENV/ARG, FROM).
import type { Hover } from 'vscode-languageserver-types';
import {
  instructionAtLine, isArg, isCopy, isEnv, isRun, type DockerfileModel, type InstructionModel,
} from '../analysis/model/model';
import type { Position, Range } from '../analysis/model/types';
import { mountHover } from './hover/cacheMount';
import { copyHover } from './hover/copy';
import { fromHover } from './hover/from';
import { goCommandHover } from './hover/goCommand';
import { goVariableHover } from './hover/goVariable';
import { ruleHover } from './hover/rule';
import { costHover, findingCost } from './measuredCost';
import { analysisOf, rangeContains, type FeatureOptions } from './options';
import { describeBuildSite } from '../analysis/ci/describe';
import type { BuildSite } from '../analysis/ci/types';

interface Part {
  markdown: string;
  range: Range;
}

/** Where the Dockerfile is built decides what a cache mount keeps: said on FROM and on every cache mount. */
function withSite(markdown: string, site: BuildSite | undefined): string {
  return `${markdown}\n\n${describeBuildSite(site)}`;
}

function instructionPart(model: DockerfileModel, instruction: InstructionModel, position: Position, site: BuildSite | undefined): Part | undefined {
  if (isRun(instruction)) {
    const mount = instruction.mounts.find((m) => rangeContains(m.range, position));
    if (mount) {
      const markdown = mountHover(instruction, mount);
      return { markdown: mount.type === 'cache' ? withSite(markdown, site) : markdown, range: mount.range };
    }
    const go = instruction.go.find((g) => rangeContains(g.range, position));
    if (go) return { markdown: goCommandHover(model, instruction, go), range: go.nameRange };
    return undefined;
  }
  if (isCopy(instruction)) return { markdown: copyHover(model, instruction), range: instruction.range };
  if (isEnv(instruction)) {
    const variable = instruction.vars.find((v) => rangeContains(v.nameRange, position) || (v.valueRange !== undefined && rangeContains(v.valueRange, position)));
    const markdown = variable && goVariableHover(instruction, variable.name);
    return markdown ? { markdown, range: variable.nameRange } : undefined;
  }
  if (isArg(instruction)) {
    const markdown = instruction.name && instruction.nameRange && rangeContains(instruction.nameRange, position) ? goVariableHover(instruction, instruction.name) : undefined;
    return markdown ? { markdown, range: instruction.nameRange! } : undefined;
  }
  if (instruction.keyword === 'FROM' && instruction.stage) return { markdown: withSite(fromHover(model, instruction, instruction.stage), site), range: instruction.stage.image.range };
  return undefined;
}

export function hover(content: string, position: Position, options: FeatureOptions): Hover | null {
  const { model, findings, site } = analysisOf(content, options);
  const sections = findings.filter((f) => rangeContains(f.range, position)).map((finding) => {
    const cost = options.measuredBuild && findingCost(finding, model, options.measuredBuild);
    return cost ? `${ruleHover(finding)}\n\n${costHover(cost)}` : ruleHover(finding);
  });
  const instruction = instructionAtLine(model, position.line);
  const part = instruction ? instructionPart(model, instruction, position, site) : undefined;
  if (part) sections.push(part.markdown);
  if (sections.length === 0) return null;
  const range = part?.range ?? findings.find((f) => rangeContains(f.range, position))!.range;
  return { contents: { kind: 'markdown', value: sections.join('\n\n---\n\n') }, range };
}
