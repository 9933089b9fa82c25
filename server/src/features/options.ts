// What every editor feature needs besides the text: the build context and the rule settings the
// analysis runs with, and, when the caller already has it, the analysis of that very text.
import { analyze, type AnalysisResult } from '../analysis/analyze';
import type { BuildContext } from '../analysis/model/context';
import type { Position, Range, RuleSettings } from '../analysis/model/types';
import type { AnalyzeOptions } from '../analysis/analyze';
import type { MeasuredBuild } from './measuredCost';

export interface FeatureOptions {
  context?: BuildContext;
  rules?: RuleSettings;
  /** Where the Dockerfile is built (the advice differs). */
  buildsIn?: AnalyzeOptions['buildsIn'];
  /** The result of `analyze(content, { context, rules })`, to avoid analysing twice. */
  analysis?: AnalysisResult;
  /** The Dockerfile's last measured build (profiled, measured or recorded), for the costs in hovers. */
  measuredBuild?: MeasuredBuild;
}

export function analysisOf(content: string, options: FeatureOptions): AnalysisResult {
  return options.analysis ?? analyze(content, { context: options.context, rules: options.rules, buildsIn: options.buildsIn });
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Whether a position lies in a range, both ends included (a cursor right after a word still hovers it). */
export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

export function rangesIntersect(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

export function sameRange(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}
