import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MeasureReport } from '../../../server/src/measure/measure';
import {
  activateExtension, BUILDER, closeAllAndDelete, findRule, openEditor, requireBuilder, ruleOf, scratchCopy, setSetting, useHostNetwork, waitFor, waitForDiagnostics,
} from './helpers';

const measureCommand = 'goDockerfileCache.measureFix';

interface MeasureApi {
  measureFix(uri: string): Promise<MeasureReport | undefined>;
  getMeasureResult(uri: string): MeasureReport | undefined;
  getMeasureRefusal(uri: string): string | undefined;
}

suite('Measure the Fix', () => {
  teardown(async () => {
    await setSetting('build.extraArgs', undefined);
    await setSetting('build.builder', undefined);
    await setSetting('measure.rounds', undefined);
  });

  test('is in the Command Palette', async function () {
    const extension = await activateExtension(this);
    assert.ok((await vscode.commands.getCommands(true)).includes(measureCommand));
    const contributed = (extension.packageJSON as { contributes?: { commands?: { command: string; title: string; category?: string }[] } })
      .contributes?.commands?.find((c) => c.command === measureCommand);
    assert.equal(contributed && `${contributed.category}: ${contributed.title}`, 'Go Dockerfile: Measure the Fix');
  });

  test('on the naive example: both versions built on current BuildKit, the fixed one rebuilds faster, its page opens, the findings carry the seconds', async function () {
    this.timeout(20 * 60_000);
    const extension = await activateExtension(this);
    await requireBuilder(this);
    await useHostNetwork(extension);
    await setSetting('build.builder', BUILDER);
    await setSetting('measure.rounds', 1);
    const uri = await scratchCopy('naive', 'measure');
    await openEditor(uri);
    await waitForDiagnostics(uri, (d) => d.some((x) => ruleOf(x) === 'GD001'), 'GD001 on the naive example');

    const api = extension.exports as MeasureApi;
    const report = await api.measureFix(uri.toString());
    assert.ok(report, `a report, not: ${api.getMeasureRefusal(uri.toString())}`);
    assert.equal(report.version, 1);
    assert.equal(report.engine.builder, BUILDER);
    assert.ok(report.fixed.rebuildSeconds < report.original.rebuildSeconds, `fixed ${report.fixed.rebuildSeconds} s < original ${report.original.rebuildSeconds} s`);
    const download = report.fixed.steps.find((s) => s.instruction.includes('go mod download'));
    assert.equal(download?.cached, true, 'the fix made the download a cache hit');
    assert.deepEqual(api.getMeasureResult(uri.toString()), report, 'the result is kept for the Dockerfile');
    // The workbench tells the extension host about a new tab a moment after the panel is created.
    const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tab.label));
    await waitFor(vscode.window.tabGroups.onDidChangeTabs, () => (tabs().includes('Measured: Dockerfile') ? true : undefined), () => `the result page open beside the Dockerfile (tabs: ${tabs().join(', ')})`);

    const diagnostics = await waitForDiagnostics(uri, (d) => d.some((x) => /In the measured rebuild/.test(x.message)), 'a finding with its measured cost');
    assert.match(findRule(diagnostics, 'GD001').message, /In the measured rebuild \(median of 1\) this step and the \d+ after it rebuilt: \d+\.\d s\.$/);
    await closeAllAndDelete(vscode.Uri.joinPath(uri, '..'));
  });
});
