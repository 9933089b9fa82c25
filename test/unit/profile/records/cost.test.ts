// A build record's measured seconds on the findings, labelled with where the build ran: the
// recorded app build (test/fixtures/records) through the language server's cost mechanism.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { measuredBuildFromSteps } from '../../../../client/src/measure/costText';
import { analyze } from '../../../../server/src/analysis/analyze';
import { diskContext } from '../../../../server/src/analysis/model/context';
import { withMeasuredCosts } from '../../../../server/src/features/measuredCost';
import { recordCostOrigin } from '../../../../server/src/profile/records/history';
import { loadArchiveBuild } from '../../../../server/src/profile/records/load';

const RECORDS = path.join(__dirname, '..', '..', '..', 'fixtures', 'records');
const APP = path.join(RECORDS, 'app', 'Dockerfile');

describe("a build record's seconds on the findings", () => {
  it('a cache-miss finding on a step the recorded build ran carries its time, named after the record', async () => {
    const text = fs.readFileSync(APP, 'utf8');
    const build = await loadArchiveBuild(path.join(RECORDS, 'app-edited.dockerbuild'), APP, text);
    const goBuild = build.steps.find((s) => s.instruction.startsWith('RUN go build'))!;
    const { model, findings } = analyze(text, { context: diskContext(path.dirname(APP)) });
    const measured = measuredBuildFromSteps(build.steps, recordCostOrigin(build, false));
    const { findings: costed } = withMeasuredCosts(findings, model, measured);
    const onGoBuild = costed.filter((f) => f.range.start.line === goBuild.line && f.message.includes(' s.'));
    assert.ok(onGoBuild.length > 0, `a finding on line ${goBuild.line + 1} has a cost: ${costed.map((f) => `${f.rule}@${f.range.start.line + 1}`).join(', ')}`);
    const seconds = (goBuild.durationMs! / 1000).toFixed(1);
    for (const finding of onGoBuild) {
      assert.ok(finding.message.endsWith(`In the recorded build of 2026-12-06 (app-edited.dockerbuild) this step rebuilt: ${seconds} s.`), finding.message);
    }
    // Steps the record found cached cost nothing.
    const download = build.steps.find((s) => s.instruction === 'RUN go mod download')!;
    assert.equal(download.state, 'cached');
    assert.ok(costed.filter((f) => f.range.start.line === download.line).every((f) => !/ s\.$/.test(f.message)));
  });
});
