// The entry point every client of the core calls: the language server, the CLI and the tests.
import type { BuildContext } from './model/context';
import { contextWarnings } from './model/contextWarnings';
import { buildsGo } from './go/gofacts';
import { explainDelegatedFindings } from './go/delegated';
import { parseDockerfile, type DockerfileModel, type Stage } from './model/model';
import { toFinding, type Rule } from './rules/api';
import { rules as allRules, ruleById } from './rules/index';
import { isSuppressed, readSuppressions } from './suppress';
import type { Finding, RuleSettings, Severity } from './model/types';
import type { BuildSite, BuildsIn } from './ci/types';
import { reusableFor, reuseKey, reuseScope, type Found, type ReusableAnalysis, type ReuseScope } from './reuse';

export interface AnalyzeOptions {
  /** The build context; without it, context-dependent rules assume the common layout. */
  context?: BuildContext;
  /** Per-rule severity or 'off'. */
  rules?: RuleSettings;
  /** Run only these rule ids. */
  only?: readonly string[];
  /**
   * Where the Dockerfile is built: `local` or `ci`, or the site CI discovery found (with the CI
   * step that builds it). Without it the advice is for a local builder and the hover says so.
   */
  buildsIn?: BuildsIn | BuildSite;
  /**
   * The last analysis of the same document with the same options (the editor's previous
   * version), while the build context holds the same files: the findings of stages the edit
   * cannot have changed are taken from it.
   */
  previous?: AnalysisResult;
  /**
   * The Dockerfile's path relative to the context root, when it is inside the context: BuildKit
   * reads `<path>.dockerignore` beside it in place of the context's .dockerignore.
   */
  dockerfile?: string;
}

export interface AnalysisResult {
  model: DockerfileModel;
  findings: Finding[];
  /** Problems with the configuration or the analysis itself, for a log or a warning. */
  warnings: string[];
  /** Where the analysis took the Dockerfile to be built; undefined when nobody said. */
  site?: BuildSite;
}

function siteOf(buildsIn: AnalyzeOptions['buildsIn']): BuildSite | undefined {
  if (buildsIn === undefined) return undefined;
  return typeof buildsIn === 'string' ? { where: buildsIn, source: 'setting' } : buildsIn;
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

/** Code-unit order: the same on every machine, and far cheaper than a locale's. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPosition(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || byText(a.rule, b.rule) || byText(a.message, b.message);
}

/** What each analysis leaves for the next analysis of the same document. */
const reusable = new WeakMap<AnalysisResult, ReusableAnalysis>();

export function analyze(text: string, options: AnalyzeOptions = {}): AnalysisResult {
  const warnings: string[] = [];
  const settings = options.rules ?? {};
  for (const [id, value] of Object.entries(settings)) {
    if (!ruleById(id)) warnings.push(`Unknown rule id "${id}" in the rule settings; known rules are GD001–${allRules[allRules.length - 1].id}.`);
    else if (!SEVERITIES.has(String(value))) warnings.push(`Rule ${id}: "${String(value)}" is not one of off, info, warning, error.`);
  }
  const site = siteOf(options.buildsIn);
  const only = options.only?.map((id) => id.toUpperCase());
  const key = reuseKey(options.context, { settings, only }, site);
  const prior = reusableFor(options.previous && reusable.get(options.previous), key);
  const model = parseDockerfile(text, options.context, prior?.model, options.dockerfile);
  const findings: Finding[] = [];
  // A Dockerfile that builds no Go is none of our business.
  if (!buildsGo(model)) return { model, findings, warnings, site };
  warnings.push(...contextWarnings(model));
  const scope = reuseScope(prior, model);
  const byRule = new Map<string, Found[]>();
  const suppressions = readSuppressions(model);
  for (const rule of allRules) {
    const setting = settings[rule.id] ?? settings[rule.id.toLowerCase()];
    if (setting === 'off' || (only && !only.includes(rule.id))) continue;
    const configured: Severity | undefined = setting && SEVERITIES.has(setting) ? setting : undefined;
    const found = runScoped(rule, model, site, configured, warnings, scope);
    if (!found) continue;
    byRule.set(rule.id, found);
    for (const f of found) findings.push(f.finding);
  }
  const result = { model, findings: explainDelegatedFindings(model, findings).filter((f) => !isSuppressed(model, suppressions, f)).sort(byPosition), warnings, site };
  reusable.set(result, { key, model, byRule });
  return result;
}

/**
 * A rule's findings: for a scoped rule with a reuse scope, those it finds looking at the stages
 * the scope names, and the previous analysis' for the others. Undefined when the rule failed.
 */
function runScoped(rule: Rule, model: DockerfileModel, site: BuildSite | undefined, configured: Severity | undefined, warnings: string[], scope: ReuseScope | undefined): Found[] | undefined {
  const before = rule.scoped ? scope?.previous.byRule.get(rule.id) : undefined;
  const fresh = runRule(rule, model, site, configured, warnings, before && scope!.stages);
  if (!fresh || !before) return fresh;
  return [...before.filter((f) => f.origin >= 0 && !scope!.stages.has(f.origin)), ...fresh];
}

const ANYWHERE = -1;

function runRule(rule: Rule, model: DockerfileModel, site: BuildSite | undefined, configured: Severity | undefined, warnings: string[], scope?: ReadonlySet<number>): Found[] | undefined {
  const found: Found[] = [];
  // The stage the rule last said it looks at: what it reports from then on was found there.
  let origin = ANYWHERE;
  const inScope = (stage: Stage | undefined) => {
    if (!stage) origin = ANYWHERE;
    else if (!scope || scope.has(stage.index)) origin = stage.index;
    else return false;
    return true;
  };
  if ((rule.needsCache && site?.noCache) || (rule.needsBuildKit && site?.classicBuilder)) return found;
  try {
    rule.check({ model, site, inScope, report: (r) => found.push({ finding: toFinding(rule, r, configured ?? r.severity ?? rule.severity), origin }) });
    return found;
  } catch (error) {
    // One broken rule must not take the others (or the editor) down with it.
    warnings.push(`${rule.id} failed on this Dockerfile: ${(error as Error).stack ?? String(error)}`);
    if (process.env.GO_DOCKERFILE_CACHE_STRICT === '1') throw error;
    return undefined;
  }
}
