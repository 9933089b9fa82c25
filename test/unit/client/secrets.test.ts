import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { allBuildArgs, describeBuildArg, describeExtraArgs, looksSecret, maskStep, secretMasker } from '../../../client/src/build/secrets';
import { step } from './steps';

describe('secret build args are never shown', () => {
  it('recognises secret-looking names in any casing style', () => {
    for (const name of ['GITHUB_TOKEN', 'npmAuthToken', 'aws-secret-access-key', 'DB_PASSWORD', 'API_KEY', 'NETRC']) {
      assert.equal(looksSecret(name), true, name);
    }
    for (const name of ['GOPRIVATE', 'GOFLAGS', 'VERSION', 'KEYBOARD', 'TARGETOS']) assert.equal(looksSecret(name), false, name);
  });

  it('masks the values of secret args wherever they appear', () => {
    const mask = secretMasker({ GITHUB_TOKEN: 'ghp_abc123', VERSION: '1.2.3' });
    assert.equal(mask('git clone https://x:ghp_abc123@github.com/o/r (1.2.3)'), 'git clone https://x:***@github.com/o/r (1.2.3)');
    const masked = maskStep(step({ line: 0, state: 'error', instruction: 'RUN echo ghp_abc123', logs: ['token ghp_abc123'], error: 'bad ghp_abc123' }), mask);
    assert.equal(JSON.stringify(masked).includes('ghp_abc123'), false);
  });

  it('masks longer secrets first so one containing another leaves nothing behind', () => {
    const mask = secretMasker({ A_TOKEN: 'abcd', B_TOKEN: 'abcdefgh' });
    assert.equal(mask('abcdefgh abcd'), '*** ***');
  });

  it('echoes a secret arg with its value hidden', () => {
    assert.equal(describeBuildArg('NPM_TOKEN', 's3cr3t'), 'NPM_TOKEN=***');
    assert.equal(describeBuildArg('GO_VERSION', '1.22'), 'GO_VERSION=1.22');
  });
});

describe('secret build args given as extra docker args', () => {
  const extraArgs = ['--pull', '--build-arg', 'NPM_TOKEN=npm_abcdef', '--build-arg=GH_TOKEN=ghp_zyxw', '--build-arg', 'GO_VERSION=1.22'];

  it('are hidden when the extra args are shown', () => {
    assert.deepEqual(describeExtraArgs(extraArgs), ['--pull', '--build-arg', 'NPM_TOKEN=***', '--build-arg=GH_TOKEN=***', '--build-arg', 'GO_VERSION=1.22']);
  });

  it('are masked in logs like those from the build.args setting', () => {
    const mask = secretMasker(allBuildArgs({ DB_PASSWORD: 'hunter22' }, extraArgs));
    assert.equal(mask('npm_abcdef ghp_zyxw hunter22 1.22'), '*** *** *** 1.22');
  });
});
