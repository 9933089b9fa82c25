// SARIF 2.1.0 output for code-scanning uploads, with each rule's metadata and its doc page as help.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rules } from '../analysis/rules/index';
import { ruleDocUrl } from '../analysis/rules/api';
import type { FileFinding } from './findings';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** docs/rules ships next to the bundle (server/out → ../../docs) and the sources alike. */
function docsDir(): string | undefined {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'docs', 'rules');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

function ruleHelp(id: string): string | undefined {
  const dir = docsDir();
  if (!dir) return undefined;
  try {
    return fs.readFileSync(path.join(dir, `${id}.md`), 'utf8');
  } catch {
    return undefined;
  }
}

export function formatSarif(findings: FileFinding[], version: string, baseDir: string): string {
  const driverRules = rules.map((rule) => {
    const help = ruleHelp(rule.id);
    return {
      id: rule.id,
      name: rule.name,
      shortDescription: { text: rule.summary },
      fullDescription: { text: rule.summary },
      helpUri: ruleDocUrl(rule.id),
      ...(help ? { help: { text: help, markdown: help } } : {}),
      defaultConfiguration: { level: LEVEL[rule.severity] },
      properties: { fixable: rule.fixable },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: rules.findIndex((r) => r.id === f.rule),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: toUri(f.file, baseDir) },
        region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
      },
    }],
    ...(f.measuredSeconds !== undefined ? { properties: { measuredSeconds: f.measuredSeconds } } : {}),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'go-dockerfile-cache', version, informationUri: 'https://github.com/go-dockerfile-cache/go-dockerfile-cache', rules: driverRules } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Relative, forward-slash URIs, as code-scanning services expect. */
function toUri(file: string, baseDir: string): string {
  const rel = path.isAbsolute(file) ? path.relative(baseDir, file) : file;
  return rel.split(path.sep).map(encodeURIComponent).join('/');
}
