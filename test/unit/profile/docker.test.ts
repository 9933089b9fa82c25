// The docker command line and the messages around it: argv only, secrets kept out of sight.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { allBuildArgs, dockerInvocation, explainStartFailure, hasOutputArg, imageDestination, lastErrorLine, readBuilderInspect, resolveDockerPath, secretRedactor } from '../../../server/src/profile/docker';

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

  it('uses docker from PATH unless a path is set', () => {
    assert.equal(resolveDockerPath(undefined), 'docker');
    assert.equal(resolveDockerPath('  '), 'docker');
    assert.equal(dockerInvocation({ dockerfile: '/w/Dockerfile' }, 'plain').command, 'docker');
    assert.equal(resolveDockerPath('/usr/bin/docker'), '/usr/bin/docker');
  });

  it('names the builder through buildx, in either progress format, and adds --load only when asked', () => {
    const rawjson = dockerInvocation({ dockerfile: '/w/Dockerfile', builder: 'gdc-buildkit', tag: 'app:dev' }, 'rawjson', { load: true });
    assert.deepEqual(rawjson.args, ['buildx', 'build', '--builder', 'gdc-buildkit', '--progress=rawjson', '--file', '/w/Dockerfile', '--tag', 'app:dev', '--load', '/w']);
    const plain = dockerInvocation({ dockerfile: '/w/Dockerfile', builder: 'gdc-buildkit' }, 'plain');
    assert.deepEqual(plain.args.slice(0, 5), ['buildx', 'build', '--builder', 'gdc-buildkit', '--progress=plain']);
    assert.equal(plain.env.DOCKER_BUILDKIT, undefined);
    assert.ok(!dockerInvocation({ dockerfile: '/w/Dockerfile', tag: 'app:dev' }, 'rawjson').args.includes('--load'));
  });

  it('passes DOCKER_HOST and DOCKER_CONTEXT through to docker', () => {
    const run = dockerInvocation({ dockerfile: '/w/Dockerfile', env: { DOCKER_HOST: 'ssh://builder', DOCKER_CONTEXT: 'remote' } }, 'rawjson');
    assert.equal(run.env.DOCKER_HOST, 'ssh://builder');
    assert.equal(run.env.DOCKER_CONTEXT, 'remote');
  });

  it('knows when the extra args already say where the image goes', () => {
    for (const args of [['--load'], ['--push'], ['--output', 'type=docker'], ['--output=type=tar,dest=x.tar'], ['-o', 'out'], ['-oout']]) assert.ok(hasOutputArg(args), args.join(' '));
    for (const args of [[], ['--network=host'], ['--build-arg', 'OUTPUT=1'], ['--pull']]) assert.ok(!hasOutputArg(args), args.join(' '));
  });

  it('reads the builder, not its node, and the BuildKit version from `docker buildx inspect` (buildx 0.38, remote driver)', () => {
    const output = [
      'Name:          gdc-buildkit', 'Driver:        remote', 'Last Activity: 2026-12-06 14:34:57 +0000 UTC', '', 'Nodes:',
      'Name:             gdc-buildkit0', 'Endpoint:         unix:///run/gdc-buildkit/buildkitd.sock', 'Status:           running',
      'BuildKit version: v0.34.2', 'Platforms:        linux/amd64, linux/386',
    ].join('\n');
    assert.deepEqual(readBuilderInspect(output), { name: 'gdc-buildkit', driver: 'remote', buildkitVersion: 'v0.34.2' });
    assert.deepEqual(readBuilderInspect('Name:   stopped\nDriver: docker-container\n\nNodes:\nName:   stopped0\nStatus: inactive\n'), { name: 'stopped', driver: 'docker-container', buildkitVersion: undefined });
  });

  it('says where the image went, and nothing when it cannot know', () => {
    const remote = { name: 'gdc-buildkit', driver: 'remote' };
    assert.equal(imageDestination('app:dev', remote, true), 'Image app:dev loaded into docker from builder gdc-buildkit (remote driver)');
    assert.match(imageDestination(undefined, remote, false)!, /^No image: the result stays in the build cache of builder gdc-buildkit \(remote driver\); set a tag/);
    assert.equal(imageDestination('app:dev', { name: 'default', driver: 'docker' }, false), "Image app:dev in docker's image store (builder default)");
    assert.equal(imageDestination(undefined, { name: 'default', driver: 'docker' }, false), undefined);
    assert.equal(imageDestination('app:dev', undefined, false), undefined);
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
    assert.equal(explainStartFailure(['ERROR: failed to connect to the docker API at unix:///tmp/x.sock; check if the path is correct and if the daemon is running: dial unix /tmp/x.sock: connect: no such file or directory'])?.unavailable, 'daemon');
    // docker 28 without the buildx plugin: with DOCKER_BUILDKIT=1, and for `docker buildx`.
    for (const said of [['ERROR: BuildKit is enabled but the buildx component is missing or broken.', '       Install the buildx component to build images with BuildKit:'], ['docker: unknown command: docker buildx', '', "Run 'docker --help' for more information"], ["docker: 'buildx' is not a docker command."]]) {
      const missing = explainStartFailure(said);
      assert.equal(missing?.unavailable, 'buildkit', said[0]);
      assert.match(missing?.message ?? '', /buildx plugin is missing.*fall back to the deprecated legacy builder.*Install buildx/);
    }
    assert.match(explainStartFailure(['ERROR: no builder "nosuch" found'])?.message ?? '', /^no builder "nosuch" found\. Check the builder setting/);
    assert.equal(explainStartFailure(['unknown flag: --progress'])?.unavailable, 'buildkit');
    assert.equal(explainStartFailure(['failed to solve: dockerfile parse error line 3: unknown instruction: RUNN']), undefined);
    assert.equal(lastErrorLine(['------', 'ERROR: failed to solve: exit code: 1', '', '------']), 'failed to solve: exit code: 1');
  });
});
