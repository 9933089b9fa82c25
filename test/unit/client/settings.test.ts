import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describeBuild, readBuildSettings } from '../../../client/src/profile/settings';

const dockerfile = path.resolve('/work/app/build/Dockerfile');
const from = (values: Record<string, unknown>) => (key: string) => values[key];

describe('build settings', () => {
  it('builds in the Dockerfile\'s folder by default, with nothing extra', () => {
    assert.deepEqual(readBuildSettings(from({ 'docker.path': '', buildContext: '' }), dockerfile), {
      dockerPath: undefined,
      builder: undefined,
      dockerfile,
      context: path.dirname(dockerfile),
      target: undefined,
      buildArgs: {},
      extraArgs: [],
      tag: undefined,
    });
  });

  it('resolves the build context against the Dockerfile\'s folder', () => {
    assert.equal(readBuildSettings(from({ buildContext: '..' }), dockerfile).context, path.resolve('/work/app'));
    assert.equal(readBuildSettings(from({ buildContext: '/srv/ctx' }), dockerfile).context, path.resolve('/srv/ctx'));
  });

  it('builds with the context the analysis reads when the setting names none, and says which build uses it', () => {
    const repository = path.resolve('/work/app');
    assert.equal(readBuildSettings(from({ buildContext: '' }), dockerfile, repository).context, repository);
    assert.equal(readBuildSettings(from({ buildContext: '.' }), dockerfile, repository).context, path.dirname(dockerfile), 'the setting decides');
    const described = describeBuild(readBuildSettings(from({}), dockerfile, repository), 'Makefile:12');
    assert.equal(described[1], `context: ${repository} (as Makefile:12 builds it)`);
  });

  it('passes target, tag, args and extra args through as plain strings', () => {
    const settings = readBuildSettings(
      from({ 'build.target': 'final', 'build.tag': 'app:dev', 'build.args': { GO_VERSION: '1.22', CGO: 0, X: null }, 'build.extraArgs': ['--pull', 3, '--no-cache'] }),
      dockerfile,
    );
    assert.equal(settings.target, 'final');
    assert.equal(settings.tag, 'app:dev');
    assert.equal(readBuildSettings(from({ 'build.builder': ' gdc-buildkit ' }), dockerfile).builder, 'gdc-buildkit');
    assert.equal(readBuildSettings(from({ 'build.builder': 5 }), dockerfile).builder, undefined);
    assert.deepEqual(settings.buildArgs, { GO_VERSION: '1.22', CGO: '0' });
    assert.deepEqual(settings.extraArgs, ['--pull', '--no-cache']);
  });

  it('falls back to defaults when a setting has the wrong type', () => {
    const settings = readBuildSettings(from({ 'build.args': ['A=1'], 'build.extraArgs': '--pull', 'build.target': 7 }), dockerfile);
    assert.deepEqual([settings.buildArgs, settings.extraArgs, settings.target], [{}, [], undefined]);
  });

  it('never shows the value of a secret-looking build arg when describing the build', () => {
    const settings = readBuildSettings(
      from({ 'build.args': { GITHUB_TOKEN: 'ghp_abc123', GO_VERSION: '1.22' }, 'build.extraArgs': ['--build-arg', 'NPM_TOKEN=npm_zyx987'] }),
      dockerfile,
    );
    const text = describeBuild(settings).join('\n');
    assert.doesNotMatch(text, /ghp_abc123|npm_zyx987/);
    assert.match(text, /GITHUB_TOKEN=\*\*\*/);
    assert.match(text, /NPM_TOKEN=\*\*\*/);
    assert.match(text, /GO_VERSION=1\.22/);
  });
});
