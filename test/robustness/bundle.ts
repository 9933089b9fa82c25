// The bundled language server and CLI these tests run as processes. Their answers are compared
// with what the sources say when run in the test itself, so a bundle older than any source file
// is rebuilt first (`npm run build`).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'server', 'out', 'server.js');
export const CLI = path.join(ROOT, 'server', 'out', 'cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : fs.statSync(file).mtimeMs);
  }
  return newest;
}

export function freshBundle(): void {
  const built = [SERVER, CLI].map((file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0));
  if (Math.min(...built) > newestSource(path.join(ROOT, 'server', 'src'))) return;
  const bundle = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(bundle.status, 0, `npm run build failed: ${bundle.stderr}`);
}
