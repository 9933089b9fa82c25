// Findings → LSP diagnostics: the rule id as the code with a link to its doc page, the finding's
// exact range, its related locations in the same document, and its tags.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticTag } from 'vscode-languageserver-types';
import { ruleDocUrl } from '../analysis/rules/api';
import type { Finding, Severity } from '../analysis/model/types';
import { analysisOf, type FeatureOptions } from './options';

export const DIAGNOSTIC_SOURCE = 'go-dockerfile-cache';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(finding: Finding, uri: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: ruleDocUrl(finding.rule) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  }
  if (finding.tags?.length) diagnostic.tags = finding.tags as DiagnosticTag[];
  return diagnostic;
}

export function diagnostics(content: string, options: FeatureOptions & { uri: string }): Diagnostic[] {
  return analysisOf(content, options).findings.map((f) => toDiagnostic(f, options.uri));
}
