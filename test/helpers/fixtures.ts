// Loads rule fixtures: test/fixtures/rules/<ID>/{invalid*.Dockerfile, invalid*.findings.json,
// invalid*.fixed.Dockerfile, valid*.Dockerfile, context/, <case>.context/}. Set UPDATE_FIXTURES=1 to rewrite the
// expected files from the current behaviour, then review the diff.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diskContext, memoryContext, normalizeContextPath, type BuildContext } from '../../server/src/analysis/model/context';
import type { Finding } from '../../server/src/analysis/model/types';
import { toFileFinding } from '../../server/src/report/findings';
import { discoverBuilds, resolveBuildSite } from '../../server/src/analysis/ci/discover';
import type { BuildSite } from '../../server/src/analysis/ci/types';
import { diskWorkspace } from '../../server/src/analysis/ci/workspace';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'rules');
export const UPDATE = process.env.UPDATE_FIXTURES === '1';

/** The module every fixture without a context of its own builds: it requires one module, so there is something to download. */
export const DEFAULT_MODULE = {
  'go.mod': 'module example.com/app\n\ngo 1.19\n\nrequire github.com/google/uuid v1.6.0\n',
  'go.sum': 'github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=\ngithub.com/google/uuid v1.6.0/go.mod h1:TIyPZe4MgqvfeYDBFedMoGGpEw/LqOeaOT+nhxU+yHo=\n',
  'main.go': 'package main\n\nimport _ "github.com/google/uuid"\n\nfunc main() {}\n',
};

/**
 * The context a fixture runs against: the case's own `<case>.context/` folder, else the rule's
 * `context/` folder, else a minimal Go module.
 */
export function fixtureContext(ruleDir: string, caseBase?: string): BuildContext {
  const own = caseBase === undefined ? undefined : path.join(ruleDir, `${caseBase}.context`);
  if (own && fs.existsSync(own)) return repositoryRoot(diskContext(own));
  const dir = path.join(ruleDir, 'context');
  if (fs.existsSync(dir)) return repositoryRoot(diskContext(dir));
  return repositoryRoot(memoryContext(DEFAULT_MODULE));
}

/**
 * A fixture's context stands for a repository's root, whose `.git` a fixture cannot hold (git
 * tracks no folder of that name): it is there, with nothing in it the analysis reads.
 */
export function repositoryRoot(context: BuildContext): BuildContext {
  return {
    root: context.root,
    exists: (p) => normalizeContextPath(p) === '.git' || context.exists(p),
    isDirectory: (p) => normalizeContextPath(p) === '.git' || context.isDirectory(p),
    readText: (p) => context.readText(p),
    listFiles: (dir, limit) => context.listFiles(dir, limit),
  };
}

/**
 * Where a fixture is built: its `<case>.ci/` folder is the repository it lives in (its CI files:
 * .github/workflows, .gitlab-ci.yml, docker-bake files), with the fixture as `Dockerfile` at the
 * root; without one, no CI file builds it, so it is built locally.
 */
export function fixtureSite(ruleDir: string, dockerfileName: string): BuildSite {
  const dir = path.join(ruleDir, `${dockerfileName.replace(/\.Dockerfile$/, '')}.ci`);
  return resolveBuildSite('auto', fs.existsSync(dir) ? discoverBuilds(diskWorkspace(dir), 'Dockerfile') : []);
}

export interface ExpectedFinding {
  rule: string;
  severity: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fixable: boolean;
}

/** The CLI's JSON view of a finding, without the file and the rule name the folder already gives. */
export function toExpected(f: Finding): ExpectedFinding {
  const { file: _file, name: _name, ...expected } = toFileFinding('', f);
  return expected;
}

export function ruleDirs(): string[] {
  if (!fs.existsSync(FIXTURES)) return [];
  return fs.readdirSync(FIXTURES).filter((d) => /^GD\d{3}$/.test(d)).sort();
}

export function casesIn(ruleDir: string, prefix: 'invalid' | 'valid'): string[] {
  return fs.readdirSync(ruleDir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.Dockerfile') && !f.endsWith('.fixed.Dockerfile'))
    .sort();
}

/** Compare with an expected file, or write it when updating. */
export function expectedText(file: string, actual: string): string {
  if (UPDATE) fs.writeFileSync(file, actual);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `<missing ${path.basename(file)}>`;
}

/** Instruction lines of a Dockerfile, trimmed, for "no instruction lost" checks. */
export function instructionTexts(text: string, parse: (t: string) => { getInstructions(): { getRange(): { start: { line: number }; end: { line: number } } }[] }): string[] {
  const lines = text.split(/\r?\n/);
  return parse(text).getInstructions().map((i) => {
    const r = i.getRange();
    return lines.slice(r.start.line, r.end.line + 1).map((l) => l.trim()).join('\n');
  });
}
