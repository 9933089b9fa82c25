// The docker command line and the messages around it: argv only, secrets kept out of sight.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { allBuildArgs, dockerInvocation, explainStartFailure, lastErrorLine, secretRedactor } from '../../../server/src/profile/docker';

describe('docker invocation', () => {
  it('builds an argv with plain progress and BuildKit switched on', () => {
    const run = dockerInvocation({ dockerPath: '/opt/docker', dockerfile: '/w/app/Dockerfile', target: 'build', tag: 'app:dev', buildArgs: { VERSION: '1 2; rm -rf /' }, extraArgs: ['--network=host'] }, 'plain');
    assert.equal(run.command, '/opt/docker');
    assert.deepEqual(run.args, ['build', '--progress=plain', '--file', '/w/app/Dockerfile', '--target', 'build', '--build-arg', 'VERSION=1 2; rm -rf /', '--tag', 'app:dev', '--network=host', '/w/app']);
    assert.equal(run.env.DOCKER_BUILDKIT, '1');
  });

  it('uses buildx with rawjson when asked, and an explicit context', () => {
    const run = dockerInvocation({ dockerfile: '/w/app/build/Dockerfile', context: '/w/app' }, 'rawjson');
    assert.deepEqual(run.args.slice(0, 3), ['buildx', 'build', '--progress=rawjson']);
    assert.equal(run.args.at(-1), '/w/app');
  });

  it('passes secret-looking build args through the environment, never on the command line', () => {
    const run = dockerInvocation({ dockerfile: '/w/Dockerfile', buildArgs: { NPM_TOKEN: 'tok-123456', GIT_AUTH: 'x-oauth', PLAIN: 'visible' }, env: { PATH: '/bin' } }, 'plain');
    assert.ok(!run.args.join(' ').includes('tok-123456'));
    assert.ok(run.args.includes('NPM_TOKEN'));
    assert.equal(run.env.NPM_TOKEN, 'tok-123456');
    assert.equal(run.env.GIT_AUTH, 'x-oauth');
    assert.ok(run.args.includes('PLAIN=visible'));
    assert.equal(run.env.PATH, '/bin');
  });

  it('redacts secret values wherever they show up', () => {
    const args = allBuildArgs({ buildArgs: { API_KEY: 'k3y-value' }, extraArgs: ['--build-arg', 'DB_PASSWORD=hunter22', '--build-arg=NETRC=machine x', '--build-arg', 'VERSION=1.0'] });
    assert.deepEqual(args, { API_KEY: 'k3y-value', DB_PASSWORD: 'hunter22', NETRC: 'machine x', VERSION: '1.0' });
    const redact = secretRedactor(args);
    assert.equal(redact('#7 [build 3/4] RUN echo k3y-value hunter22 machine x 1.0'), '#7 [build 3/4] RUN echo *** *** *** 1.0');
    assert.equal(secretRedactor({ VERSION: '1.0' })('1.0'), '1.0');
  });

  it('says in words when the daemon or BuildKit is missing', () => {
    assert.equal(explainStartFailure(['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'])?.unavailable, 'daemon');
    assert.equal(explainStartFailure(['ERROR: BuildKit is enabled but the buildx component is missing or broken.'])?.unavailable, 'buildkit');
    assert.equal(explainStartFailure(['unknown flag: --progress'])?.unavailable, 'buildkit');
    assert.equal(explainStartFailure(['failed to solve: dockerfile parse error line 3: unknown instruction: RUNN']), undefined);
    assert.equal(lastErrorLine(['------', 'ERROR: failed to solve: exit code: 1', '', '------']), 'failed to solve: exit code: 1');
  });
});
