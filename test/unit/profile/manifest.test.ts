// The per-Dockerfile manifest on disk: what it keeps, what it never keeps, and that a broken
// one is treated as absent.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createManifest, defaultManifestDir, loadManifest, manifestPath, saveManifest, snapshotContext } from '../../../server/src/profile/manifest';
import { planSteps } from '../../../server/src/profile/steps';
import { tempDir } from './temp';

describe('build manifest', () => {
  it('round-trips through the cache folder and never stores build arg values', async () => {
    const context = tempDir('gdc-manifest-ctx-');
    fs.writeFileSync(path.join(context, 'main.go'), 'package main\n');
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM golang:1.19\nARG GITHUB_TOKEN\nCOPY . .\n');
    const dir = path.join(tempDir('gdc-manifest-'), 'nested', 'cache');
    const plan = planSteps(fs.readFileSync(path.join(context, 'Dockerfile'), 'utf8'));
    const manifest = createManifest(plan, { dockerfile: path.join(context, 'Dockerfile'), context }, await snapshotContext(context), { GITHUB_TOKEN: 'ghp_supersecretvalue', VERSION: '1.2.3' }, 'salt', []);
    assert.equal(await saveManifest(dir, manifest), true);
    const stored = fs.readFileSync(manifestPath(dir, path.join(context, 'Dockerfile'), context), 'utf8');
    assert.ok(!stored.includes('ghp_supersecretvalue'));
    assert.ok(!stored.includes('1.2.3'));
    const loaded = await loadManifest(dir, path.join(context, 'Dockerfile'), context);
    assert.deepEqual(loaded, manifest);
    assert.deepEqual(Object.keys(loaded!.files).sort(), ['Dockerfile', 'main.go']);
  });

  it('treats a missing, corrupt or foreign file as no earlier build', async () => {
    const dir = tempDir('gdc-manifest-bad-');
    assert.equal(await loadManifest(dir, '/x/Dockerfile', '/x'), undefined);
    for (const content of ['{', '[]', '{"version":2}', 'null', '{"version":1,"files":null,"steps":[],"buildArgs":{},"salt":"s"}']) {
      fs.writeFileSync(manifestPath(dir, '/x/Dockerfile', '/x'), content);
      assert.equal(await loadManifest(dir, '/x/Dockerfile', '/x'), undefined, content);
    }
  });

  it('reports a cache folder it cannot write instead of throwing', async () => {
    const file = path.join(tempDir('gdc-manifest-file-'), 'not-a-folder');
    fs.writeFileSync(file, '');
    const manifest = createManifest(planSteps('FROM scratch\n'), { dockerfile: '/x/Dockerfile', context: '/x' }, { files: {}, truncated: false }, {}, 's', []);
    assert.equal(await saveManifest(path.join(file, 'cache'), manifest), false);
  });

  it('snapshots symlinks by target and stops at the file limit', async () => {
    const context = tempDir('gdc-manifest-limit-');
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(context, `f${i}.go`), String(i));
    fs.symlinkSync('f0.go', path.join(context, 'link.go'));
    const all = await snapshotContext(context);
    assert.equal(all.files['link.go'], 'symlink:f0.go');
    assert.equal(all.truncated, false);
    const few = await snapshotContext(context, undefined, 3);
    assert.equal(Object.keys(few.files).length, 3);
    assert.equal(few.truncated, true);
    assert.deepEqual(await snapshotContext(path.join(context, 'missing')), { files: {}, truncated: false });
  });

  it('lives under XDG_CACHE_HOME, else ~/.cache', () => {
    assert.equal(defaultManifestDir({ XDG_CACHE_HOME: '/var/tmp/xdg' }), '/var/tmp/xdg/go-dockerfile-cache');
    assert.equal(defaultManifestDir({ XDG_CACHE_HOME: 'relative' }), path.join(os.homedir(), '.cache', 'go-dockerfile-cache'));
    assert.equal(defaultManifestDir({}), path.join(os.homedir(), '.cache', 'go-dockerfile-cache'));
  });
});
