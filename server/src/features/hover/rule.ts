// Hover on a diagnostic's range: the rule's short doc and a link to its page.
import { ruleById } from '../../analysis/rules/index';
import { ruleDocUrl } from '../../analysis/rules/api';
import type { Finding } from '../../analysis/model/types';

export function ruleHover(finding: Finding): string {
  const rule = ruleById(finding.rule);
  const summary = rule?.summary ?? finding.message;
  return `**${finding.rule} ${finding.name}**: ${summary} [Read more](${ruleDocUrl(finding.rule)})`;
}
