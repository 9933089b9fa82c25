// What a newcomer and the package rely on: ARCHITECTURE.md names every source folder, no source
// sits in a folder whose name means generated output, and the bundles need nothing at run time.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function sourceFolders(dir: string): string[] {
  const entries = fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  const own = entries.some((e) => e.isFile() && e.name.endsWith('.ts')) ? [dir] : [];
  return [...own, ...entries.filter((e) => e.isDirectory()).flatMap((e) => sourceFolders(path.posix.join(dir, e.name)))];
}

describe('layout', () => {
  const folders = [...sourceFolders('server/src'), ...sourceFolders('client/src')];

  it('ARCHITECTURE.md names every source folder', () => {
    const architecture = fs.readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    const missing = folders.filter((dir) => !architecture.includes(`${dir}/`) && !architecture.includes(`\`${dir}\``) && dir !== 'server/src' && dir !== 'client/src');
    assert.deepEqual(missing, [], 'add a line for these folders to ARCHITECTURE.md');
  });

  it('no source folder is named like generated output', () => {
    const generated = /(^|\/)(build|out|dist|lib|gen|generated|target|bin|tmp)(\/|$)/;
    assert.deepEqual(folders.filter((dir) => generated.test(dir)), []);
  });

  it('the package has no run-time dependencies: esbuild bundles them all, so it installs offline', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), [], 'add it with npm install --save-dev instead');
  });
});
