// The shape of a rule: one file per rule, the fix beside the check.
import type { DockerfileModel } from '../model/model';
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
