// The shape of a rule: one file per rule, the fix beside the check.
import type { DockerfileModel, Stage } from '../model/model';
import type { Finding, Fix, Range, RelatedLocation, Severity } from '../model/types';
import type { BuildSite } from '../ci/types';

export interface Report {
  range: Range;
  message: string;
  related?: RelatedLocation[];
  fixes?: Fix[];
  tags?: number[];
  /** This finding's severity when the user has not set one for the rule (a rule with graded findings). */
  severity?: Severity;
}

export interface RuleContext {
  readonly model: DockerfileModel;
  /** Where the Dockerfile is built; undefined when unknown (the advice is then a local builder's). */
  readonly site?: BuildSite;
  /**
   * A scoped rule calls this before it looks at a stage (undefined: at no stage in particular),
   * and skips the stage when it answers false: re-analysing an edited document, the last analysis
   * already holds what the rule finds there. What the rule reports until its next call counts as
   * found looking at that stage.
   */
  inScope(stage: Stage | undefined): boolean;
  report(report: Report): void;
}

export interface Rule {
  /** Stable id, GD001…: outside tools rely on it. */
  id: string;
  /** Stable kebab-case name. */
  name: string;
  severity: Severity;
  /** One sentence: what it reports. Shown in hovers and SARIF. */
  summary: string;
  /** Whether the rule can offer an automatic fix (the `fixable` field of the JSON output). */
  fixable: boolean;
  /**
   * The rule asks `inScope` before it looks at each stage, and what it finds looking at a stage
   * depends only on that stage's related stages (see reuse.ts).
   */
  scoped?: boolean;
  /**
   * What it reports is saved only by BuildKit's cache: reused layers (the order of steps, what
   * invalidates them) or cache mounts. Not reported where every build of the file passes
   * --no-cache, which turns both off (GD028 names that instead).
   */
  needsCache?: boolean;
  /**
   * What it reports holds only on BuildKit (`RUN --mount`, multi-platform builds): not reported for
   * a Dockerfile Docker's classic builder also builds (a Go test program through Docker's API).
   */
  needsBuildKit?: boolean;
  check(context: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export function toFinding(rule: Rule, report: Report, severity: Severity): Finding {
  return {
    rule: rule.id,
    name: rule.name,
    severity,
    message: report.message,
    range: report.range,
    related: report.related,
    fixes: report.fixes ?? [],
    tags: report.tags,
  };
}

export const DOCS_BASE_URL = 'https://github.com/go-dockerfile-cache/go-dockerfile-cache/blob/main/docs/rules/';

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}
