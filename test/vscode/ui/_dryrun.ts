import { mkdirSync, writeFileSync, cpSync, mkdtempSync } from 'node:fs';
import * as path from 'node:path';
import { openBrowser, remoteUri, workbenchUrl } from '../launcher/browser';
import { installExtension, readTools, startCodeServer } from '../launcher/codeServer';
import { clickLine, openProblemsWith, openQuickFixMenu, runCommand, waitForSquiggle } from './workbench';
(async () => {
  const tools = readTools();
  const profile = { userDataDir: mkdtempSync('/tmp/gdc-dry-u-'), extensionsDir: mkdtempSync('/tmp/gdc-dry-e-') };
  mkdirSync(path.join(profile.userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(profile.userDataDir, 'User/settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'chat.disableAIFeatures': true, 'editor.fontSize': 15 }));
  const ws = mkdtempSync('/tmp/gdc-dry-ws-'); cpSync('/work/main/examples', ws, { recursive: true });
  console.log('install', await installExtension(tools, profile, '/tmp/gdc-work/fake.vsix', (t) => process.stdout.write(t)));
  const server = await startCodeServer(tools, profile, { log: () => undefined });
  const b = await openBrowser(tools.chromium, { width: 1280, height: 760 });
  const page = b.page; page.on('console', (m) => { if (/error|gdc|dockerfile/i.test(m.text())) console.log('[page]', m.text().slice(0, 300)); }); page.setDefaultTimeout(60000);
  try {
    await page.goto(workbenchUrl(server.url, ws, [['openFile', remoteUri(server.url, path.join(ws, 'naive/Dockerfile'))]]));
    await waitForSquiggle(page); console.log('squiggle');
    await page.screenshot({ path: '/tmp/gdc-work/ui/1.png' });
    await openProblemsWith(page, 'GD001'); console.log('problems');
    await clickLine(page, 'COPY . .');
    await openQuickFixMenu(page, 'Copy go.mod and go.sum and download modules before the source'); console.log('menu');
    await page.screenshot({ path: '/tmp/gdc-work/ui/2.png' });
  } catch (e) { console.log('ERR', e); await page.screenshot({ path: '/tmp/gdc-work/ui/err.png' }); }
  await b.close(); await server.stop();
})();
