// The real-world corpus: test/fixtures/real-world/<pattern>/{Dockerfile, build context, README.md,
// expected.json}. expected.json holds every finding the product reported on the fixture with a
// hand judgement (see /work/shared/JUDGING.md in the project's review notes: true when following the advice
// saves real time or removes a real failure in that kind of repository and the message says why
// correctly), the real costs no finding names ("missed"), and the judgement of `fix`'s output.
// The unit test and the benchmark's precision report both read it through this file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis/analyze';
import { diskContext, type BuildContext } from '../../server/src/analysis/model/context';
import type { Finding, Severity } from '../../server/src/analysis/model/types';
import { discoverBuilds, resolveBuildSite } from '../../server/src/analysis/ci/discover';
import { diskWorkspace } from '../../server/src/analysis/ci/workspace';
import type { BuildSite } from '../../server/src/analysis/ci/types';
import { repositoryRoot } from './fixtures';

export const REAL_WORLD = path.join(__dirname, '..', 'fixtures', 'real-world');

export type Truth = 'true' | 'false';

export interface JudgedFinding {
  rule: string;
  severity: Severity;
  line: number;
  /** The start of the message as it was judged; a reworded message is a new finding to judge. */
  message: string;
  truth: Truth;
  why: string;
}

export interface MissedCost {
  line: number;
  cost: string;
  why: string;
}

export interface Expectations {
  /** The kind of repository the fixture stands for (also in its README.md). */
  standsFor: string;
  findings: JudgedFinding[];
  missed: MissedCost[];
  /** `fix`'s output judged as a whole: does it still build and do the same? */
  fix: { truth: Truth; why: string; brokenGoSteps?: string[] };
}

export interface RealWorldFixture {
  name: string;
  dir: string;
  text: string;
  context: BuildContext;
  /** Where it is built: the folder is the repository, its CI files (.github/workflows, .gitlab-ci.yml…) say; none, locally. */
  site: BuildSite;
  expected: Expectations;
}

/** How much of a message is kept: enough to tell two findings of one rule on one line apart. */
export const MESSAGE_EXCERPT = 120;

export function realWorldFixtures(): RealWorldFixture[] {
  if (!fs.existsSync(REAL_WORLD)) return [];
  return fs.readdirSync(REAL_WORLD, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(REAL_WORLD, d.name, 'Dockerfile')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(REAL_WORLD, name);
      const expectedFile = path.join(dir, 'expected.json');
      const expected: Expectations = fs.existsSync(expectedFile)
        ? (JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as Expectations)
        : { standsFor: '', findings: [], missed: [], fix: { truth: 'false', why: '' } };
      const site = resolveBuildSite('auto', discoverBuilds(diskWorkspace(dir), 'Dockerfile'));
      return { name, dir, text: fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), context: repositoryRoot(diskContext(dir)), site, expected };
    });
}

export function findingsOf(fixture: RealWorldFixture): Finding[] {
  return analyze(fixture.text, { context: fixture.context, buildsIn: fixture.site }).findings;
}

function sameFinding(judged: JudgedFinding, actual: Finding): boolean {
  return judged.rule === actual.rule && judged.line === actual.range.start.line + 1 && actual.message.startsWith(judged.message);
}

export interface Matched {
  /** Reported findings with their judgement. */
  judged: { finding: Finding; judgement: JudgedFinding }[];
  /** Reported findings nobody judged yet. */
  unjudged: Finding[];
  /** Judged findings the product no longer reports. */
  gone: JudgedFinding[];
}

export function matchJudgements(expected: Expectations, actual: readonly Finding[]): Matched {
  const judged: Matched['judged'] = [];
  const unjudged: Finding[] = [];
  const used = new Set<JudgedFinding>();
  for (const finding of actual) {
    const judgement = expected.findings.find((j) => !used.has(j) && sameFinding(j, finding));
    if (judgement) {
      used.add(judgement);
      judged.push({ finding, judgement });
    } else {
      unjudged.push(finding);
    }
  }
  return { judged, unjudged, gone: expected.findings.filter((j) => !used.has(j)) };
}

/** The entry a new finding gets in expected.json, for whoever judges it (truth left to them). */
export function toJudgementDraft(f: Finding): Omit<JudgedFinding, 'truth' | 'why'> & { truth: string; why: string } {
  return { rule: f.rule, severity: f.severity, line: f.range.start.line + 1, message: f.message.slice(0, MESSAGE_EXCERPT), truth: 'UNJUDGED', why: '' };
}
