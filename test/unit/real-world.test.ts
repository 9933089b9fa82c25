// The real-world corpus (test/fixtures/real-world/README.md): every finding the product reports on
// a fixture must have been judged by hand in its expected.json, and every finding judged true must
// still be reported. A finding judged false may stay (the benchmark's precision report counts it).
// `fix`'s output must parse, keep every instruction and give each Go command its module files and
// the access setup it ran after.
// REAL_WORLD_DRAFT=1 adds unjudged findings to expected.json as "UNJUDGED" for someone to judge.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { analyze } from '../../server/src/analysis/analyze';
import { fixAll } from '../../server/src/analysis/fixing/fixer';
import { accessSetupProblems, moduleFileProblems } from '../helpers/moduleFiles';
import { findingsOf, matchJudgements, realWorldFixtures, toJudgementDraft, type JudgedFinding } from '../helpers/realWorld';

const DRAFT = process.env.REAL_WORLD_DRAFT === '1';
const fixtures = realWorldFixtures();
const describeFinding = (f: { rule: string; line: number; message: string }) => `${f.rule} line ${f.line}: ${f.message}`;

describe('real-world corpus', () => {
  it('has at least 40 fixtures, each with its note and expectations', () => {
    assert.ok(fixtures.length >= 40, `${fixtures.length} fixtures`);
    for (const f of fixtures) {
      assert.ok(fs.existsSync(path.join(f.dir, 'README.md')), `${f.name}: README.md says what kind of project it stands for`);
      assert.ok(fs.existsSync(path.join(f.dir, 'expected.json')), `${f.name}: expected.json`);
    }
  });
});

for (const fixture of fixtures) {
  describe(`real-world ${fixture.name}`, () => {
    const actual = findingsOf(fixture);
    const matched = matchJudgements(fixture.expected, actual);

    it('every reported finding has been judged', () => {
      if (DRAFT && matched.unjudged.length > 0) {
        // A finding whose message changed keeps its old judgement beside the draft, for whoever re-judges it.
        const drafts = matched.unjudged.map((f) => {
          const draft = toJudgementDraft(f);
          const previous = matched.gone.find((g) => g.rule === draft.rule && g.line === draft.line);
          if (!previous) return draft;
          matched.gone.splice(matched.gone.indexOf(previous), 1);
          fixture.expected.findings.splice(fixture.expected.findings.indexOf(previous), 1);
          return { ...draft, previous: { truth: previous.truth, why: previous.why, message: previous.message } };
        }) as unknown as JudgedFinding[];
        fixture.expected.findings.push(...drafts);
        fixture.expected.findings.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
        fs.writeFileSync(path.join(fixture.dir, 'expected.json'), `${JSON.stringify(fixture.expected, null, 2)}\n`);
      }
      const unjudged = matched.unjudged.map((f) => describeFinding({ rule: f.rule, line: f.range.start.line + 1, message: f.message }));
      assert.deepEqual(unjudged, [], `judge these in ${fixture.name}/expected.json (REAL_WORLD_DRAFT=1 drafts the entries)`);
    });

    it('every judgement says true or false and why', () => {
      for (const j of fixture.expected.findings) {
        assert.ok(j.truth === 'true' || j.truth === 'false', `${describeFinding(j)} is ${j.truth}`);
        assert.ok(j.why.trim().length > 0, `${describeFinding(j)} has no why`);
        assert.ok(!('previous' in j), `${describeFinding(j)}: delete "previous" once judged`);
      }
      for (const m of fixture.expected.missed) assert.ok(m.cost && m.why, `missed cost on line ${m.line} says what and why`);
      assert.ok(fixture.expected.standsFor.trim().length > 0, 'standsFor');
      assert.ok(['true', 'false'].includes(fixture.expected.fix.truth) && fixture.expected.fix.why.trim().length > 0, 'fix judged');
    });

    it('every finding judged true is still reported', () => {
      const lost = matched.gone.filter((j) => j.truth === 'true').map(describeFinding);
      assert.deepEqual(lost, [], 'a true finding is gone: re-judge it, or move it to "missed" with a why');
    });

    it('the judged severity is the reported one', () => {
      const changed = matched.judged.filter(({ finding, judgement }) => finding.severity !== judgement.severity)
        .map(({ finding, judgement }) => `${describeFinding(judgement)}: judged as ${judgement.severity}, reported as ${finding.severity}`);
      assert.deepEqual(changed, []);
    });

    it('fix output parses, keeps every instruction and gives each Go command its module files and access setup', () => {
      const result = fixAll(fixture.text, { context: fixture.context, buildsIn: fixture.site });
      const before = DockerfileParser.parse(fixture.text).getInstructions().map((i) => i.getKeyword());
      const after = DockerfileParser.parse(result.text).getInstructions().map((i) => i.getKeyword());
      for (const keyword of new Set(before)) {
        assert.ok(after.filter((k) => k === keyword).length >= before.filter((k) => k === keyword).length, `no ${keyword} lost`);
      }
      for (const comment of fixture.text.split(/\r?\n/).filter((l) => l.trim().startsWith('#'))) {
        assert.ok(result.text.includes(comment.trim()), `comment kept: ${comment}`);
      }
      assert.doesNotThrow(() => analyze(result.text, { context: fixture.context, buildsIn: fixture.site }));
      // What the original already gets wrong (as far as this check can read it) is not the fix's doing.
      const known = new Set(moduleFileProblems(fixture.text, fixture.dir).map((p) => `${p.command} ${p.missing}`));
      const added = moduleFileProblems(result.text, fixture.dir).filter((p) => !known.has(`${p.command} ${p.missing}`))
        .map((p) => `line ${p.line} \`${p.command}\`: ${p.missing} not copied before it`);
      added.push(...accessSetupProblems(fixture.text, result.text).map((p) => `line ${p.line} \`${p.command}\` runs before the access setup ${p.missing}`));
      if (DRAFT && added.length > 0 && JSON.stringify(added) !== JSON.stringify(fixture.expected.fix.brokenGoSteps ?? [])) {
        fixture.expected.fix.brokenGoSteps = added;
        fs.writeFileSync(path.join(fixture.dir, 'expected.json'), `${JSON.stringify(fixture.expected, null, 2)}\n`);
      }
      // A broken fix output already judged (fix.truth false) is listed in expected.json until it is mended;
      // the list must say exactly what is broken today, so a mended fix updates it.
      assert.deepEqual(added, fixture.expected.fix.brokenGoSteps ?? [], 'fix output vs fix.brokenGoSteps in expected.json');
      if (added.length > 0) assert.equal(fixture.expected.fix.truth, 'false', 'a fix output whose Go steps lose their module files or access setup is judged false');
    });
  });
}
