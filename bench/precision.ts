// Precision on real Dockerfiles: every finding the product reports on the real-world corpus
// (test/fixtures/real-world) counted against the hand judgement in the fixture's expected.json.
// precision = true / (true + false), per rule and overall; missed costs and broken fix outputs beside it.
import { loadShellParser } from '../server/src/analysis/parse/bashGrammar';
import { updateReadmes } from './report';
import { findingsOf, matchJudgements, realWorldFixtures } from '../test/helpers/realWorld';

export interface RulePrecision {
  rule: string;
  findings: number;
  true: number;
  false: number;
  /** Reported but not judged yet: counted apart, never as true. */
  unjudged: number;
  falseBySeverity: Record<string, number>;
}

export interface FalseFinding {
  fixture: string;
  rule: string;
  severity: string;
  line: number;
  why: string;
}

export interface PrecisionResult {
  fixtures: number;
  rules: RulePrecision[];
  overall: RulePrecision;
  missed: number;
  fixOutputs: { judged: number; broken: number };
  falseFindings: FalseFinding[];
}

const emptyRow = (rule: string): RulePrecision => ({ rule, findings: 0, true: 0, false: 0, unjudged: 0, falseBySeverity: {} });

export async function benchPrecision(): Promise<PrecisionResult> {
  // The analysis is synchronous; the shell grammar it uses compiles once, asynchronously.
  await loadShellParser();
  const rows = new Map<string, RulePrecision>();
  const overall = emptyRow('overall');
  const falseFindings: FalseFinding[] = [];
  const fixtures = realWorldFixtures();
  let missed = 0;
  let brokenFixes = 0;
  for (const fixture of fixtures) {
    const matched = matchJudgements(fixture.expected, findingsOf(fixture));
    missed += fixture.expected.missed.length;
    if (fixture.expected.fix.truth === 'false') brokenFixes++;
    const count = (rule: string, apply: (row: RulePrecision) => void) => {
      if (!rows.has(rule)) rows.set(rule, emptyRow(rule));
      apply(rows.get(rule)!);
      apply(overall);
    };
    for (const { finding, judgement } of matched.judged) {
      count(finding.rule, (row) => {
        row.findings++;
        if (judgement.truth === 'true') row.true++;
        else {
          row.false++;
          row.falseBySeverity[finding.severity] = (row.falseBySeverity[finding.severity] ?? 0) + 1;
        }
      });
      if (judgement.truth === 'false') falseFindings.push({ fixture: fixture.name, rule: finding.rule, severity: finding.severity, line: judgement.line, why: judgement.why });
    }
    for (const finding of matched.unjudged) count(finding.rule, (row) => { row.findings++; row.unjudged++; });
  }
  return {
    fixtures: fixtures.length,
    rules: [...rows.values()].sort((a, b) => a.rule.localeCompare(b.rule)),
    overall,
    missed,
    fixOutputs: { judged: fixtures.length, broken: brokenFixes },
    falseFindings,
  };
}

const percent = (row: RulePrecision) => (row.true + row.false === 0 ? 'n/a' : `${((100 * row.true) / (row.true + row.false)).toFixed(1)}%`);
const severities = (row: RulePrecision) => Object.entries(row.falseBySeverity).sort().map(([s, n]) => `${n} ${s}`).join(', ');

/** Goal of the precision report: ≥ 97% overall, no false error, no false warning from GD001–GD006. */
export function precisionGoals(result: PrecisionResult): { goal: string; met: boolean; detail: string }[] {
  const overall = result.overall.true + result.overall.false === 0 ? NaN : result.overall.true / (result.overall.true + result.overall.false);
  const falseErrors = result.falseFindings.filter((f) => f.severity === 'error');
  const cacheWarnings = result.falseFindings.filter((f) => f.severity === 'warning' && /^GD00[1-6]$/.test(f.rule));
  return [
    { goal: 'precision ≥ 97% overall', met: overall >= 0.97, detail: `${(overall * 100).toFixed(1)}%` },
    { goal: 'no false error', met: falseErrors.length === 0, detail: `${falseErrors.length} false errors` },
    { goal: 'no false warning from GD001–GD006', met: cacheWarnings.length === 0, detail: `${cacheWarnings.length} false warnings from GD001–GD006` },
  ];
}

export function precisionTable(result: PrecisionResult): string {
  const lines = ['| Rule | Findings | True | False (by severity) | Precision |', '|---|---|---|---|---|'];
  for (const row of [...result.rules, result.overall]) {
    const name = row.rule === 'overall' ? '**overall**' : row.rule;
    const unjudged = row.unjudged > 0 ? ` (${row.unjudged} not judged yet)` : '';
    lines.push(`| ${name} | ${row.findings}${unjudged} | ${row.true} | ${row.false}${row.false > 0 ? ` (${severities(row)})` : ''} | ${percent(row)} |`);
  }
  const goals = precisionGoals(result).map((g) => `${g.goal}: ${g.met ? 'met' : '**not met**'} (${g.detail})`).join('; ');
  return [
    lines.join('\n'),
    '',
    `${result.fixtures} fixtures; ${result.missed} real costs no finding names (missed); \`fix\` output judged broken or changing the program on ${result.fixOutputs.broken} of ${result.fixOutputs.judged}. Goals: ${goals}.`,
  ].join('\n');
}

export const PRECISION_START = '<!-- bench:precision:start -->';
export const PRECISION_END = '<!-- bench:precision:end -->';

/** Puts the precision table between the precision markers of each file that has them. */
export function updatePrecisionSection(files: readonly string[], table: string, measuredAt: string): string[] {
  const footer = `Judged ${measuredAt.slice(0, 10)}; each judgement and its reason is in the fixture's \`expected.json\`.`;
  return updateReadmes(files, table, footer, { start: PRECISION_START, end: PRECISION_END });
}
