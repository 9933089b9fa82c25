// Reusing the last analysis of a document for the stages an edit cannot have changed.
//
// A keystroke changes one instruction of one stage. What a scoped rule finds while it looks at a
// stage depends on that stage, the stages it reads (FROM, COPY --from, RUN --mount=from,
// transitively: "upstream"), the stages that read it ("downstream": where its binaries and modules
// go) and the stages those start FROM (the final image's base). For a stage none of whose related
// stages changed, a scoped rule keeps what it found there in the last analysis and does not look
// at the stage again.
//
// Anything else that could change a finding makes the whole analysis run again: another stage
// layout (count, names, start lines, FROM lines, which stage reads which), anything before the
// first FROM (parser directives, global ARGs), the build context, the settings, the build site.
import { shellParserLoaded } from './parse/bashGrammar';
import { stageIndexes, type DockerfileModel, type Stage } from './model/model';
import { perObject } from './model/memo';
import type { Finding } from './model/types';

/** What an analysis was asked with, compared between two analyses of the same document. */
export interface ReuseKey {
  context: unknown;
  settings: string;
  site: string;
  shellParser: boolean;
}

export interface ReusableAnalysis {
  key: ReuseKey;
  model: DockerfileModel;
  /** Each rule's findings, before suppressions and explanations. */
  byRule: Map<string, Found[]>;
}

/**
 * A finding and the stage index the rule was looking at when it reported it (see
 * `RuleContext.inScope`); -1 for a finding reported while looking at no stage in particular.
 */
export interface Found {
  finding: Finding;
  origin: number;
}

/** The stages whose findings must be computed again; the others keep those of `previous`. */
export interface ReuseScope {
  previous: ReusableAnalysis;
  /** Stage indexes to analyse again. */
  stages: ReadonlySet<number>;
}

export function reuseKey(context: unknown, settings: unknown, site: unknown): ReuseKey {
  return { context, settings: JSON.stringify(settings ?? null), site: JSON.stringify(site ?? null), shellParser: shellParserLoaded() };
}

/** The last analysis, when it was asked with the same key: its model and findings can be reused. */
export function reusableFor(previous: ReusableAnalysis | undefined, key: ReuseKey): ReusableAnalysis | undefined {
  return previous && previous.key.context === key.context && previous.key.settings === key.settings
    && previous.key.site === key.site && previous.key.shellParser === key.shellParser ? previous : undefined;
}

function lines(model: DockerfileModel, from: number, to: number): string {
  return model.document.getText({ start: { line: from, character: 0 }, end: { line: to, character: 0 } });
}

/**
 * The first line of each stage (its FROM), the text of each stage (to the next one's FROM, the
 * last one to the end) and the lines before the first FROM. Kept per model: the model of one edit
 * is the previous one of the next.
 */
const layoutOf = perObject((model: DockerfileModel): { starts: number[]; texts: string[]; preamble: string } => {
  const starts = model.stages.map((s) => s.fromRange.start.line);
  const texts = starts.map((start, i) => lines(model, start, i + 1 < starts.length ? starts[i + 1] : model.document.lineCount + 1));
  return { starts, texts, preamble: starts.length > 0 ? lines(model, 0, starts[0]) : model.text };
});

function sameLayout(a: DockerfileModel, b: DockerfileModel): boolean {
  if (a.escape !== b.escape || a.eol !== b.eol || a.stages.length !== b.stages.length) return false;
  const layoutA = layoutOf(a);
  const layoutB = layoutOf(b);
  if (layoutA.starts.some((line, i) => line !== layoutB.starts[i]) || layoutA.preamble !== layoutB.preamble) return false;
  return a.stages.every((sa, i) => {
    const sb = b.stages[i];
    return sa.name === sb.name
      && a.document.getText(sa.fromRange) === b.document.getText(sb.fromRange)
      && stageIndexes(sa.dependsOn) === stageIndexes(sb.dependsOn)
      && stageIndexes(sa.chain) === stageIndexes(sb.chain);
  });
}

function upstream(stage: Stage, into = new Set<number>()): Set<number> {
  for (const dep of stage.dependsOn) {
    if (into.has(dep.index)) continue;
    into.add(dep.index);
    upstream(dep, into);
  }
  return into;
}

/**
 * Which stages of `model` must be analysed again after `previous`, or undefined when the whole
 * analysis must run again.
 */
export function reuseScope(previous: ReusableAnalysis | undefined, model: DockerfileModel): ReuseScope | undefined {
  if (!previous || model.stages.length === 0) return undefined;
  if (!sameLayout(previous.model, model)) return undefined;
  const before = layoutOf(previous.model).texts;
  const after = layoutOf(model).texts;
  const changed = new Set(after.flatMap((text, i) => (text === before[i] ? [] : [i])));
  const ups = model.stages.map((s) => upstream(s));
  const downs = model.stages.map((s) => model.stages.filter((d) => ups[d.index].has(s.index)));
  const stages = new Set<number>();
  for (const stage of model.stages) {
    const related = new Set([stage.index, ...ups[stage.index]]);
    for (const down of downs[stage.index]) {
      related.add(down.index);
      for (const parent of down.chain) related.add(parent.index);
    }
    if ([...related].some((i) => changed.has(i))) stages.add(stage.index);
  }
  return { previous, stages };
}
