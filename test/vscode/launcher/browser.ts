// Opens the code-server workbench in Debian's chromium, headless, with a fresh
// profile so no state leaks between runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// Everything that would reach out to Google's services is off: the machines
// running this have no route to them and each attempt costs a timeout.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Workbench {
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

export async function openBrowser(executablePath: string, viewport = { width: 1280, height: 800 }): Promise<Workbench> {
  const profile = mkdtempSync(path.join(tmpdir(), 'gdc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: chromiumArgs,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A workbench URL; `payload` holds extension development and test locations, or a file to open. */
export function workbenchUrl(serverUrl: string, folder: string | undefined, payload: [string, string][]): string {
  const query = new URLSearchParams();
  if (folder) query.set('folder', folder);
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return `${serverUrl}/?${query.toString()}`;
}

/**
 * A path on the code-server machine as the workbench names it: its remote
 * authority is the server's host and port. Files opened under any other
 * authority are different resources to VS Code, so they get no diagnostics.
 */
export function remoteUri(serverUrl: string, absolutePath: string): string {
  return `vscode-remote://${new URL(serverUrl).host}${path.resolve(absolutePath)}`;
}
