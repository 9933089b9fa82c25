// Build and Profile in an untrusted workspace starts nothing; in a trusted one, settings that look
// like shell (a docker path with `;`, extra args with `$(…)`) reach docker as plain argv items and
// never run as commands. The real BuildController runs against a recording stand-in for `vscode`.
import { after, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startBuild } from '../../server/src/profile/runner';
import { buildRefusal, UNTRUSTED_MESSAGE } from '../../client/src/profile/trust';
import { tempDir } from '../unit/profile/temp';
import { CLI, freshBundle, ROOT } from './bundle';
import { controller } from './fakeVscode';
import { childrenOf, noNewChildren } from './processes';

const DOCKER = '/usr/bin/docker';

const work = tempDir('gdc-trust-');
const marker = path.join(work, 'pwned');
const dockerfile = path.join(work, 'Dockerfile');
fs.copyFileSync(path.join(ROOT, 'examples', 'naive', 'Dockerfile'), dockerfile);
for (const file of ['go.mod', 'go.sum', 'main.go']) fs.copyFileSync(path.join(ROOT, 'examples', 'naive', file), path.join(work, file));

/** Values a settings.json could hold that a shell would run. */
const SHELL_TEXT = [`docker; touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `docker && touch ${marker}`, `docker | touch ${marker}`];
const EXTRA_ARGS = [`--build-arg=x; touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `--label=a'b"c && touch ${marker}`];

/** A docker that writes its argv and environment to `<itself>.argv` and `.env`, and fails the way docker's own argument check does. */
function recordingDocker(): string {
  const file = path.join(tempDir('gdc-fake-docker-'), 'docker');
  fs.writeFileSync(file, [
    '#!/bin/sh',
    '[ "$1" = buildx ] && exit 1',
    'for arg in "$@"; do printf \'%s\\0\' "$arg"; done > "$0.argv"',
    'env > "$0.env"',
    'echo \'"docker build" requires exactly 1 argument.\' >&2',
    'echo "See \'docker build --help\'." >&2',
    'exit 1',
    '',
  ].join('\n'), { mode: 0o755 });
  return file;
}

describe('workspace trust', () => {
  after(() => assert.equal(fs.existsSync(marker), false, 'no shell ever ran the injected touch'));

  it('an untrusted workspace is refused with a reason; a trusted one is not', () => {
    assert.equal(buildRefusal({ isTrusted: false }), UNTRUSTED_MESSAGE);
    assert.match(UNTRUSTED_MESSAGE, /untrusted workspace/);
    assert.equal(buildRefusal({ isTrusted: true }), undefined);
  });

  it('Build and Profile in an untrusted workspace shows the refusal and starts no build and no process', async () => {
    let starts = 0;
    const counting: typeof startBuild = (options, onUpdate) => { starts++; return startBuild(options, onUpdate); };
    const ui = controller(counting, tempDir('gdc-manifests-'));
    ui.editor.isTrusted = false;
    ui.editor.settings = { 'docker.path': SHELL_TEXT[0], 'build.extraArgs': EXTRA_ARGS };
    const before = childrenOf();
    const summary = await ui.controller.buildAndProfile(ui.target(dockerfile));
    assert.equal(summary, undefined);
    assert.equal(starts, 0, 'startBuild was never called');
    assert.deepEqual(childrenOf().filter((child) => !before.includes(child)), [], 'no process was spawned');
    assert.deepEqual(ui.editor.warnings, [UNTRUSTED_MESSAGE]);
    assert.deepEqual(ui.editor.output, [], 'nothing was written to the build output');
    assert.deepEqual(ui.store.uris(), [], 'no annotations');
  });
});

describe('settings that look like shell commands stay argv', () => {
  after(() => assert.equal(fs.existsSync(marker), false, 'no shell ever ran the injected touch'));

  for (const dockerPath of SHELL_TEXT) {
    it(`docker path ${JSON.stringify(dockerPath.replace(marker, 'MARKER'))}: "not installed", nothing run`, async () => {
      const ui = controller(startBuild, tempDir('gdc-manifests-'));
      const before = childrenOf();
      ui.editor.settings = { 'docker.path': dockerPath };
      const summary = await ui.controller.buildAndProfile(ui.target(dockerfile));
      assert.equal(summary?.unavailable, 'docker');
      assert.equal(ui.editor.errors.length, 1);
      assert.ok(ui.editor.errors[0].includes(`Docker is not installed: "${dockerPath}" was not found`), ui.editor.errors[0]);
      assert.equal(fs.existsSync(marker), false);
      assert.deepEqual(await noNewChildren(before), []);
    });
  }

  it('extra args reach docker one by one, unchanged, and the failure says docker rejected them', async () => {
    const docker = recordingDocker();
    const ui = controller(startBuild, tempDir('gdc-manifests-'));
    const before = childrenOf();
    ui.editor.settings = { 'docker.path': docker, 'build.extraArgs': EXTRA_ARGS, 'build.args': { VERSION: `1; touch ${marker}` } };
    const summary = await ui.controller.buildAndProfile(ui.target(dockerfile));
    const argv = fs.readFileSync(`${docker}.argv`, 'utf8').split('\0').slice(0, -1);
    assert.deepEqual(argv.slice(-EXTRA_ARGS.length - 1, -1), EXTRA_ARGS, 'each extra arg is one argv item, as written');
    assert.ok(argv.includes(`VERSION=1; touch ${marker}`));
    assert.equal(argv.at(-1), work, 'the context is the last argument');
    assert.match(summary?.error ?? '', /^docker rejected its arguments: "docker build" requires exactly 1 argument\. Check the extra build arguments/);
    assert.match(ui.editor.errors[0] ?? '', /docker rejected its arguments/);
    assert.equal(fs.existsSync(marker), false);
    assert.deepEqual(await noNewChildren(before), []);
  });

  it('a secret-looking build arg in the extra args reaches docker by name, its value only in docker\'s environment', async () => {
    const docker = recordingDocker();
    const ui = controller(startBuild, tempDir('gdc-manifests-'));
    ui.editor.settings = { 'docker.path': docker, 'build.extraArgs': ['--build-arg', 'NPM_TOKEN=npm-s3cr3t', '--build-arg=GITHUB_TOKEN=gh-s3cr3t', '--build-arg=VERSION=1.2'] };
    await ui.controller.buildAndProfile(ui.target(dockerfile));
    const argv = fs.readFileSync(`${docker}.argv`, 'utf8').split('\0').slice(0, -1);
    assert.deepEqual(argv.slice(-6, -1), ['--build-arg', 'NPM_TOKEN', '--build-arg', 'GITHUB_TOKEN', '--build-arg=VERSION=1.2']);
    const env = fs.readFileSync(`${docker}.env`, 'utf8').split('\n');
    assert.ok(env.includes('NPM_TOKEN=npm-s3cr3t') && env.includes('GITHUB_TOKEN=gh-s3cr3t'), 'docker gets the values in its environment');
    const { output, warnings, errors } = ui.editor;
    assert.ok(!JSON.stringify({ output, warnings, errors }).includes('s3cr3t'), 'the values show nowhere in the editor');
  });

  it('the real docker client refuses a `$(…)` extra arg as a second context, and runs nothing', { skip: fs.existsSync(DOCKER) ? false : `${DOCKER} is not installed` }, async () => {
    const ui = controller(startBuild, tempDir('gdc-manifests-'));
    const before = childrenOf();
    // docker's own argument check fails before it contacts the daemon: no build starts.
    ui.editor.settings = { 'docker.path': DOCKER, 'build.extraArgs': [`$(touch ${marker})`] };
    const summary = await ui.controller.buildAndProfile(ui.target(dockerfile));
    assert.match(summary?.error ?? '', /^docker rejected its arguments: ("docker build" requires exactly 1 argument|.docker buildx build. requires 1 argument)/);
    assert.equal(fs.existsSync(marker), false);
    assert.deepEqual(await noNewChildren(before), []);
  });

  it('the CLI takes the same values as argv: "not installed", exit 2, nothing run', () => {
    freshBundle();
    for (const dockerPath of SHELL_TEXT) {
      const run = spawnSync(process.execPath, [CLI, 'profile', '--docker', dockerPath, dockerfile, '--', ...EXTRA_ARGS], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.status, 2, run.stderr);
      assert.ok(run.stderr.includes(`profile: Docker is not installed: "${dockerPath}" was not found`), run.stderr);
    }
    assert.equal(fs.existsSync(marker), false);
  });
});
