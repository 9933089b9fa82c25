// A measured build sent to the server puts its seconds on the cache-miss findings it explains.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { FINDING_COSTS_NOTIFICATION, MEASURED_BUILD_NOTIFICATION, type FindingCostsParams, type MeasuredBuildParams } from '../../server/src/features/measuredCost';
import { goProject, NAIVE_DOCKERFILE, TestClient } from './harness';

describe('language server: findings carry their measured cost', () => {
  let client: TestClient;
  const project = goProject();
  const costs: FindingCostsParams[] = [];
  before(async () => {
    client = await TestClient.start();
    client.connection.onNotification(FINDING_COSTS_NOTIFICATION, (params: FindingCostsParams) => { costs.push(params); });
    await client.open(project.uri, NAIVE_DOCKERFILE);
  });
  after(() => client.stop());

  const gd001 = (diagnostics: Diagnostic[]) => diagnostics.find((d) => d.code === 'GD001');
  const text = (d: Diagnostic | undefined) => (typeof d?.message === 'string' ? d.message : d?.message.value ?? '');

  it('after a build, GD001 says how long its step and the ones after it took; the costliest is sent back', async () => {
    await client.diagnosticsFor(project.uri, (d) => gd001(d) !== undefined);
    const lines = NAIVE_DOCKERFILE.split('\n');
    const steps = [1, 2, 3, 4, 6].map((line) => ({ line, endLine: line, instruction: lines[line], cached: line === 1, seconds: line === 1 ? undefined : line === 4 ? 30.5 : 1.5 }));
    const params: MeasuredBuildParams = { uri: project.uri, build: { origin: 'the last build', steps } };
    await client.connection.sendNotification(MEASURED_BUILD_NOTIFICATION, params);
    const diagnostics = await client.diagnosticsFor(project.uri, (d) => /In the last build/.test(text(gd001(d))), 'GD001 with its cost');
    assert.match(text(gd001(diagnostics)), /In the last build this step and the 2 after it rebuilt: 33\.5 s\.$/);
    const deadline = Date.now() + 5000;
    while (!costs.some((c) => c.uri === project.uri && c.costs.length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const sent = costs.findLast((c) => c.uri === project.uri)!;
    assert.deepEqual(sent.costs[0], { rule: 'GD001', line: 2, seconds: 33.5, origin: 'the last build' });
  });

  it('the hover on that finding lists each step that rebuilt with it, its line and seconds', async () => {
    const finding = gd001(await client.diagnosticsFor(project.uri, (d) => /In the last build/.test(text(gd001(d)))))!;
    const hover = await client.hover(project.uri, finding.range.start);
    const markdown = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    const lines = NAIVE_DOCKERFILE.split('\n');
    assert.match(markdown, /\*\*Measured in the last build\*\*: 33\.5 s rebuilt with this finding's step/);
    for (const [line, seconds] of [[2, '1.5'], [3, '1.5'], [4, '30.5']] as const) {
      assert.ok(markdown.includes(`| ${line + 1} | \`${lines[line]}\` | ${seconds} s |`), `line ${line + 1} with ${seconds} s in:\n${markdown}`);
    }
    assert.ok(!markdown.includes('| 2 | `'), 'the cached WORKDIR is not listed');
    assert.ok(!markdown.includes('| 7 | `'), 'nor a step of the next stage');
  });

  it('forgetting the build takes the numbers off', async () => {
    await client.connection.sendNotification(MEASURED_BUILD_NOTIFICATION, { uri: project.uri, build: null } satisfies MeasuredBuildParams);
    const diagnostics = await client.diagnosticsFor(project.uri, (d) => gd001(d) !== undefined && !/In the last build/.test(text(gd001(d))), 'GD001 without a cost');
    assert.ok(gd001(diagnostics));
  });
});

describe('language server: "Measure the fix" beside the quick fixes', () => {
  it('is offered for a fixable cache-miss finding when the client has the command, and not otherwise', async () => {
    for (const measureCommand of ['goDockerfileCache.measureFix', undefined]) {
      const client = await TestClient.start({ initializationOptions: measureCommand ? { measureCommand } : {} });
      const project = goProject();
      try {
        await client.open(project.uri, NAIVE_DOCKERFILE);
        const diagnostics = await client.diagnosticsFor(project.uri, (d) => d.some((x) => x.code === 'GD001'));
        const gd001 = diagnostics.find((d) => d.code === 'GD001')!;
        const actions = await client.codeActions(project.uri, gd001.range, [gd001]);
        const measure = actions.find((a) => a.command?.command === 'goDockerfileCache.measureFix');
        if (measureCommand) {
          assert.ok(measure, JSON.stringify(actions.map((a) => a.title)));
          assert.deepEqual(measure.command?.arguments, [project.uri]);
          assert.ok(measure.diagnostics?.some((d) => d.code === 'GD001'));
        } else {
          assert.equal(measure, undefined, 'an editor without the command gets no action it cannot run');
        }
      } finally {
        await client.stop();
      }
    }
  });
});
