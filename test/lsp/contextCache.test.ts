// Build contexts are read from disk once, then again only after a change under them is reported.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BuildContextCache } from '../../server/src/lsp/contextCache';

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gdc-context-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('build context cache', () => {
  it('answers from memory until a change under the folder is reported', () => {
    const dir = folder({ 'go.mod': 'module x\n', 'main.go': '' });
    try {
      const cache = new BuildContextCache();
      const context = cache.get(dir);
      assert.deepEqual(context.listFiles('.', 100), ['go.mod', 'main.go']);
      assert.equal(context.readText('.dockerignore'), undefined);
      fs.writeFileSync(path.join(dir, '.dockerignore'), '.git\n');
      assert.equal(context.readText('.dockerignore'), undefined, 'a keystroke does not read the disk again');
      assert.deepEqual(cache.invalidate(path.join(dir, '.dockerignore')), [path.resolve(dir)]);
      assert.equal(context.readText('.dockerignore'), '.git\n');
      assert.deepEqual(context.listFiles('.', 100), ['.dockerignore', 'go.mod', 'main.go']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps other folders, and folders whose name only starts the same, as they are', () => {
    const a = folder({ 'go.mod': '' });
    const b = `${a}-sibling`;
    fs.mkdirSync(b);
    try {
      const cache = new BuildContextCache();
      assert.equal(cache.get(a).exists('go.sum'), false);
      assert.equal(cache.get(b).exists('go.sum'), false);
      fs.writeFileSync(path.join(a, 'go.sum'), '');
      fs.writeFileSync(path.join(b, 'go.sum'), '');
      assert.deepEqual(cache.invalidate(path.join(b, 'go.sum')), [path.resolve(b)]);
      assert.equal(cache.get(a).exists('go.sum'), false);
      assert.equal(cache.get(b).exists('go.sum'), true);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    }
  });
});
