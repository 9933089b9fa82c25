// What a user sees, through the real workbench in chromium: the squiggle and
// the Problems entry on the naive example, the quick fix menu, then Build and
// Profile drawing cached and timed results after the lines, a build record
// file (test/fixtures/records) opened through its file dialog, then Measure the
// Fix on the current-BuildKit builder and its result page beside the Dockerfile.
// Uses the packaged .vsix. Screenshots go to test/output/vscode-ui/; with
// GDC_UPDATE_SCREENSHOTS=1 the four shown in the README are refreshed in docs/images/.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { openBrowser, remoteUri, workbenchUrl } from '../launcher/browser';
import { installExtension, readTools, startCodeServer } from '../launcher/codeServer';
import { clientAbsent, prepareWorkspace, removeScratch, root, scratch, vsixPath } from '../project';
import { openFileByName, openProblemsWith, openQuickFixMenu, pickFileInDialog, runCommand, uiWaitMs, waitForAnnotations, waitForBuildEnd, waitForSquiggle } from './workbench';

const outputDir = path.join(root, 'test/output/vscode-ui');
const readmeImages = path.join(root, 'docs/images');
const buildTimeoutMs = 10 * 60_000;
/** The current-BuildKit builder scripts/engine/setup.sh creates; the builds run on it. */
const builder = 'gdc-buildkit';

const userSettings = {
  // The sandbox has no bridge network; builds use the host's.
  'goDockerfileCache.build.extraArgs': ['--network=host'],
  // Builds (Build and Profile, Measure the Fix) on current BuildKit; one measured round keeps it short.
  'goDockerfileCache.build.builder': builder,
  'goDockerfileCache.measure.rounds': 1,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'editor.fontSize': 15,
  'window.zoomLevel': 0,
};

function dockerProblem(args = ['info']): string | undefined {
  try {
    execFileSync('docker', args, { stdio: 'ignore', timeout: 20_000 });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

test('the workbench shows the finding, its quick fix, a profiled build and a measured fix', { timeout: 30 * 60_000 }, async (t) => {
  if (clientAbsent) return t.skip('client/src/extension.ts does not exist yet');
  const noDocker = dockerProblem() ?? dockerProblem(['buildx', 'inspect', builder]);
  if (noDocker && process.env.CI !== 'true') return t.skip(`no Docker daemon or no ${builder} builder (${noDocker}); run scripts/engine/setup.sh`);
  assert.equal(noDocker, undefined, `CI promises a Docker daemon and the ${builder} builder for the build parts`);
  assert.ok(existsSync(vsixPath()), `${path.basename(vsixPath())} exists (npm run package makes it)`);

  const log = (text: string): void => void (process.env.GDC_VSCODE_VERBOSE === '1' && process.stderr.write(text));
  const tools = readTools();
  const profile = { userDataDir: scratch('ui-user'), extensionsDir: scratch('ui-extensions') };
  assert.equal(await installExtension(tools, profile, vsixPath(), log), 0, 'the .vsix installs');
  mkdirSync(path.join(profile.userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(profile.userDataDir, 'User/settings.json'), JSON.stringify(userSettings, null, 2));

  const workspace = prepareWorkspace();
  // A source change nobody built before: base layers come from the cache, the rest runs and is timed.
  appendFileSync(path.join(workspace, 'naive/main.go'), `\n// changed at ${new Date().toISOString()}\n`);
  const dockerfile = path.join(workspace, 'naive/Dockerfile');
  // The Dockerfile the recorded build built, next to the examples.
  cpSync(path.join(root, 'test/fixtures/records/app'), path.join(workspace, 'recorded'), { recursive: true });
  const record = path.join(root, 'test/fixtures/records/app-edited.dockerbuild');

  const server = await startCodeServer(tools, profile, { log });
  t.after(() => server.stop());
  const browser = await openBrowser(tools.chromium, { width: 1280, height: 760 });
  t.after(() => browser.close());
  const { page } = browser;
  page.setDefaultTimeout(uiWaitMs);
  mkdirSync(outputDir, { recursive: true });
  const shot = async (name: string): Promise<string> => {
    const file = path.join(outputDir, `${name}.png`);
    await page.screenshot({ path: file });
    return file;
  };

  await page.goto(workbenchUrl(server.url, workspace, [['openFile', remoteUri(server.url, dockerfile)]]));
  try {
    await waitForSquiggle(page);
    await openProblemsWith(page, 'GD001');
    await openQuickFixMenu(page, 'COPY . .', 'Copy go.mod and go.sum and download modules before the source');
    const diagnostics = await shot('diagnostics-quick-fix');
    await page.keyboard.press('Escape');

    // A build that ran elsewhere: its record file, opened through the command's file dialog.
    await openFileByName(page, 'recorded/Dockerfile', 'COPY go.mod ./');
    await runCommand(page, 'Go Dockerfile: Open Build Record…');
    await pickFileInDialog(page, record, 'Annotate');
    await waitForAnnotations(page, [
      { startsWith: 'COPY go.mod ./', matches: 'cached\\s+· record app-edited\\.dockerbuild, 2026-12-06' },
      { startsWith: 'RUN go build', matches: '\\d+(\\.\\d+)? s\\s+· record app-edited\\.dockerbuild' },
    ], 'running', uiWaitMs);
    const recorded = await shot('build-record');

    await openFileByName(page, 'naive/Dockerfile', 'COPY . .');
    await runCommand(page, 'Go Dockerfile: Build and Profile');
    await waitForAnnotations(page, [
      { startsWith: 'WORKDIR /src', matches: 'cached' },
      { startsWith: 'RUN go build', matches: '\\d+(\\.\\d+)? s\\b' },
    ], 'running', buildTimeoutMs);
    await waitForBuildEnd(page);
    const build = await shot('build-profile');

    // Measure the Fix: one round, on the current-BuildKit builder (the settings above).
    await openFileByName(page, 'naive/Dockerfile', 'COPY . .');
    await runCommand(page, 'Go Dockerfile: Measure the Fix');
    await page.locator('.tab', { hasText: 'Measured: Dockerfile' }).first().waitFor({ timeout: buildTimeoutMs });
    const result = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await result.locator('button#apply', { hasText: 'Apply the fix' }).waitFor({ timeout: uiWaitMs });
    const headline = await result.locator('.headline').textContent();
    assert.match(headline ?? '', /^Rebuild after a one-line change: (\d+\.\d s|\d+ m \d+ s) with the fix, (\d+\.\d s|\d+ m \d+ s) without: \d+\.\d× faster$/, 'both rebuild times, the fixed one faster');
    assert.match(await result.locator('body').textContent() ?? '', new RegExp(`Median of 1 round;.*builder ${builder}, BuildKit v\\d`), 'one round on the current-BuildKit builder');
    assert.equal(await result.locator('h2', { hasText: /^With(out)? the fix$/ }).count(), 2, 'bars for each variant');
    assert.ok(await result.locator('td.bar div.ran').count() > 0, 'bars for the steps that ran');
    // Drawn to scale: the slow build step's bar is far wider than the quick COPY's.
    const widths = await result.locator('td.bar div.ran').evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().width));
    assert.ok(Math.max(...widths) > 4 * Math.min(...widths), `bars drawn to scale, widths ${widths.map((w) => w.toFixed(0)).join(', ')} px`);
    await result.locator('pre .add', { hasText: 'go mod download' }).first().waitFor({ timeout: uiWaitMs });
    const measured = await shot('measure-fix');

    if (process.env.GDC_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(readmeImages, { recursive: true });
      copyFileSync(diagnostics, path.join(readmeImages, 'diagnostics-quick-fix.png'));
      copyFileSync(build, path.join(readmeImages, 'build-profile.png'));
      copyFileSync(recorded, path.join(readmeImages, 'build-record.png'));
      copyFileSync(measured, path.join(readmeImages, 'measure-fix.png'));
    }
    t.after(removeScratch);
  } catch (error) {
    await shot('failure').then((file) => console.error(`screenshot of the failure: ${file}`), () => undefined);
    throw error;
  }
});
