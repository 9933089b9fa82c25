// Settings arrive as whatever the user typed into settings.json.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildContextDir, DEFAULT_SETTINGS, readSettings } from '../../server/src/lsp/settings';

describe('settings', () => {
  it('keep rule severities and the build context', () => {
    assert.deepEqual(readSettings({ rules: { GD003: 'off', gd016: 'error' }, buildContext: ' .. ' }), { rules: { GD003: 'off', gd016: 'error' }, buildContext: '..', buildsIn: 'auto' });
  });

  it('keep where builds run, auto unless local or ci', () => {
    assert.equal(readSettings({ buildsIn: 'ci' }).buildsIn, 'ci');
    assert.equal(readSettings({ buildsIn: 'local' }).buildsIn, 'local');
    assert.equal(readSettings({ buildsIn: 'CI' }).buildsIn, 'auto');
    assert.equal(readSettings({ buildsIn: 3 }).buildsIn, 'auto');
  });

  it('fall back to the defaults for values of the wrong type', () => {
    assert.deepEqual(readSettings(null), DEFAULT_SETTINGS);
    assert.deepEqual(readSettings({ rules: ['GD003'], buildContext: 42 }), DEFAULT_SETTINGS);
    assert.deepEqual(readSettings({ rules: { GD003: false, GD004: 'warning' } }).rules, { GD004: 'warning' });
  });

  it('resolve the build context from the Dockerfile\'s folder', () => {
    const dockerfile = path.join(path.sep, 'repo', 'docker', 'api.Dockerfile');
    assert.equal(buildContextDir(dockerfile, DEFAULT_SETTINGS), path.join(path.sep, 'repo', 'docker'));
    assert.equal(buildContextDir(dockerfile, { ...DEFAULT_SETTINGS, buildContext: '..' }), path.join(path.sep, 'repo'));
    assert.equal(buildContextDir(dockerfile, { ...DEFAULT_SETTINGS, buildContext: '/elsewhere' }), path.resolve('/elsewhere'));
  });
});
