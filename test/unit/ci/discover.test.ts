// CI discovery: which step of which CI file builds a Dockerfile, and what cache it exports.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { contextOfBuilds, discoverBuilds, discoverCiBuilds, resolveBuildSite } from '../../../server/src/analysis/ci/discover';
import { memoryWorkspace } from '../../../server/src/analysis/ci/workspace';
import { parseCacheExport, shellCommandWords } from '../../../server/src/analysis/ci/buildCommand';

const where = (files: Record<string, string>, dockerfile = 'Dockerfile') =>
  discoverCiBuilds(memoryWorkspace(files), dockerfile).map((b) => ({ at: `${b.file}:${b.line}`, system: b.system, cache: b.cacheTo.map((c) => `${c.type}/${c.mode}`).join(' '), unknown: b.cacheToUnknown }));

const PUSH_ACTION = `name: image
on: push
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/setup-buildx-action@v3
      - name: Build
        uses: docker/build-push-action@v6
        with:
          context: .
          file: build/Dockerfile
          push: true
          cache-from: type=gha
          cache-to: type=gha,mode=max
`;

describe('CI discovery', () => {
  it('finds docker/build-push-action with its file, line and cache export', () => {
    assert.deepEqual(where({ '.github/workflows/image.yml': PUSH_ACTION }, 'build/Dockerfile'),
      [{ at: '.github/workflows/image.yml:10', system: 'github-actions', cache: 'gha/max', unknown: false }]);
    assert.deepEqual(where({ '.github/workflows/image.yml': PUSH_ACTION }, 'Dockerfile'), [], 'another Dockerfile is not built there');
  });

  it('takes the context\'s Dockerfile when the action names no file, and mode=min by default', () => {
    const text = PUSH_ACTION.replace('          file: build/Dockerfile\n', '').replace('context: .', 'context: ./svc').replace('mode=max', 'scope=svc');
    assert.deepEqual(where({ '.github/workflows/image.yaml': text }, 'svc/Dockerfile'),
      [{ at: '.github/workflows/image.yaml:10', system: 'github-actions', cache: 'gha/min', unknown: false }]);
  });

  it('reads docker buildx build in a run: step, at the line of the command inside the block', () => {
    const workflow = `jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo start
          docker buildx build \\
            --cache-to type=registry,ref=ghcr.io/x/app:cache,mode=max \\
            --cache-from type=registry,ref=ghcr.io/x/app:cache \\
            -f deploy/Dockerfile --push -t \${{ env.IMAGE }} .
`;
    assert.deepEqual(where({ '.github/workflows/ci.yml': workflow }, 'deploy/Dockerfile'),
      [{ at: '.github/workflows/ci.yml:7', system: 'github-actions', cache: 'registry/max', unknown: false }]);
  });

  it('honours working-directory and leaves a Dockerfile known only at run time unmatched', () => {
    const workflow = `jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - working-directory: svc
        run: docker build --cache-to type=gha .
      - run: docker build -f \${{ matrix.dockerfile }} --cache-to type=gha .
`;
    assert.deepEqual(where({ '.github/workflows/ci.yml': workflow }, 'svc/Dockerfile').map((b) => b.at), ['.github/workflows/ci.yml:6']);
    assert.deepEqual(where({ '.github/workflows/ci.yml': workflow }, 'Dockerfile'), []);
  });

  it('reads .gitlab-ci.yml script lines', () => {
    const gitlab = `build:
  image: docker:27
  services: [docker:27-dind]
  script:
    - docker buildx create --use
    - docker buildx build --cache-to type=registry,ref=$CI_REGISTRY_IMAGE:cache,mode=max --push .
`;
    assert.deepEqual(where({ '.gitlab-ci.yml': gitlab }), [{ at: '.gitlab-ci.yml:6', system: 'gitlab-ci', cache: 'registry/max', unknown: false }]);
  });

  it('reads docker-bake.hcl targets with inheritance, and bake runs from a workflow with --set', () => {
    const bake = `group "default" {
  targets = ["app"]
}

target "base" {
  context = "."
  cache-to = ["type=gha,mode=max"]
}

target "app" {
  inherits = ["base"]
  dockerfile = "build/Dockerfile"
  tags = ["app:\${TAG}"]
}
`;
    assert.deepEqual(where({ 'docker-bake.hcl': bake }, 'build/Dockerfile'), [{ at: 'docker-bake.hcl:10', system: 'bake', cache: 'gha/max', unknown: false }]);
    const workflow = `jobs:
  bake:
    runs-on: ubuntu-latest
    steps:
      - run: docker buildx bake --set '*.cache-to=type=gha' --push
`;
    assert.deepEqual(where({ 'docker-bake.hcl': bake, '.github/workflows/bake.yml': workflow }, 'build/Dockerfile'), [
      { at: 'docker-bake.hcl:10', system: 'bake', cache: 'gha/max', unknown: false },
      { at: '.github/workflows/bake.yml:5', system: 'github-actions', cache: 'gha/min', unknown: false },
    ]);
  });

  it('reads docker-bake.json with lines, and an interpolated cache-to as unknown', () => {
    const json = `{
  "target": {
    "app": {
      "dockerfile": "Dockerfile",
      "cache-to": ["type=registry,ref=\${REGISTRY}/cache,mode=\${MODE}"]
    }
  }
}
`;
    assert.deepEqual(where({ 'docker-bake.json': json }), [{ at: 'docker-bake.json:3', system: 'bake', cache: '', unknown: true }]);
  });

  it('reads Makefile recipes and scripts only when they export a cache', () => {
    const makefile = 'IMAGE ?= app\n\nimage:\n\tdocker build -t $(IMAGE) .\n\nci-image:\n\t@docker buildx build \\\n\t\t--cache-to type=local,dest=/tmp/cache,mode=max \\\n\t\t-t $(IMAGE) .\n';
    assert.deepEqual(where({ Makefile: makefile }), [{ at: 'Makefile:7', system: 'script', cache: 'local/max', unknown: false }]);
    assert.deepEqual(where({ 'scripts/build.sh': '#!/bin/sh\nset -e\ndocker buildx build --cache-to=type=gha,mode=max .\n' }).map((b) => b.at), ['scripts/build.sh:3']);
  });

  it('notes cache mounts restored by buildkit-cache-dance and self-hosted runners', () => {
    const workflow = PUSH_ACTION.replace('runs-on: ubuntu-latest', 'runs-on: [self-hosted, linux]')
      .replace('      - uses: docker/setup-buildx-action@v3\n', '      - uses: docker/setup-buildx-action@v3\n      - uses: reproducible-containers/buildkit-cache-dance@v3\n');
    const [build] = discoverCiBuilds(memoryWorkspace({ '.github/workflows/image.yml': workflow }), 'build/Dockerfile');
    assert.equal(build.restoresCacheMounts, true);
    assert.equal(build.selfHosted, true);
  });

  it('reads the platforms a build targets and whether its job sets up QEMU', () => {
    const qemu = PUSH_ACTION.replace('      - uses: docker/setup-buildx-action@v3\n', '      - uses: docker/setup-qemu-action@v3\n      - uses: docker/setup-buildx-action@v3\n')
      .replace('          push: true\n', '          platforms: |\n            linux/amd64\n            linux/arm64,linux/arm/v7\n          push: true\n');
    const [build] = discoverCiBuilds(memoryWorkspace({ '.github/workflows/image.yml': qemu }), 'build/Dockerfile');
    assert.deepEqual(build.platforms, ['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    assert.equal(build.emulates, true);
    assert.equal(resolveBuildSite('auto', [build]).emulated, build, 'several architectures under QEMU');
    const shell = 'name: i\non: push\njobs:\n  i:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker run --privileged --rm tonistiigi/binfmt --install all\n      - run: docker buildx build --platform=linux/amd64,linux/riscv64 -f build/Dockerfile .\n';
    const [fromShell] = discoverCiBuilds(memoryWorkspace({ '.github/workflows/i.yml': shell }), 'build/Dockerfile');
    assert.deepEqual([fromShell.platforms, fromShell.emulates], [['linux/amd64', 'linux/riscv64'], true]);
    // One architecture, or no QEMU in the job (a builder with a native node per architecture): nothing runs emulated.
    const oneArch = discoverCiBuilds(memoryWorkspace({ '.github/workflows/image.yml': qemu.replace(/platforms: \|\n[^]*?push/, 'platforms: linux/arm/v6,linux/arm/v7\n          push') }), 'build/Dockerfile');
    assert.equal(resolveBuildSite('auto', oneArch).emulated, undefined);
    const native = discoverCiBuilds(memoryWorkspace({ '.github/workflows/image.yml': qemu.replace('      - uses: docker/setup-qemu-action@v3\n', '') }), 'build/Dockerfile');
    assert.equal(resolveBuildSite('auto', native).emulated, undefined);
    assert.equal(resolveBuildSite('local', [build]).emulated, undefined, 'the user says it is built locally');
    // A bake target's platforms, inherited, and replaced by `--set *.platform=…`.
    const bake = 'target "base" {\n  platforms = ["linux/amd64", "linux/arm64"]\n}\ntarget "default" {\n  inherits = ["base"]\n  dockerfile = "build/Dockerfile"\n}\n';
    const bakeJob = (step: string) => `jobs:\n  i:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/setup-qemu-action@v3\n${step}`;
    const [baked] = discoverCiBuilds(memoryWorkspace({ 'docker-bake.hcl': bake, '.github/workflows/i.yml': bakeJob('      - uses: docker/bake-action@v5\n') }), 'build/Dockerfile');
    assert.deepEqual([baked.platforms, resolveBuildSite('auto', [baked]).emulated === baked], [['linux/amd64', 'linux/arm64'], true]);
    const [set] = discoverCiBuilds(memoryWorkspace({ 'docker-bake.hcl': bake, '.github/workflows/i.yml': bakeJob("      - run: docker buildx bake --set '*.platform=linux/arm64'\n") }), 'build/Dockerfile');
    assert.deepEqual(set.platforms, ['linux/arm64']);
  });

  it('reads the Dockerfiles a matrix, an earlier step\'s output or an env value names', () => {
    const matrixJob = (matrix: string, file: string) => `jobs:\n  image:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n${matrix}    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          file: ${file}\n          platforms: linux/\${{ matrix.arch }}\n          cache-to: type=gha,mode=max\n`;
    // Each build as the line of its step and its platforms.
    const built = (files: Record<string, string>, dockerfile: string) => discoverCiBuilds(memoryWorkspace(files), dockerfile).map((b) => {
      const text = Object.values(files)[0].split('\n')[b.line - 1].trim();
      return `${text.startsWith('- run:') ? 'run' : text.startsWith('- uses:') ? 'action' : text} ${b.platforms}`;
    });
    // Every product of the listed values, less an exclude, with an include added where it fits and on its own where it fits none.
    const workflow = { '.github/workflows/i.yml': matrixJob('        base: [alpine, debian]\n        arch: [amd64, arm64]\n        exclude:\n          - base: debian\n            arch: arm64\n        include:\n          - base: alpine\n            tag: edge\n          - base: distroless\n            arch: s390x\n', 'Dockerfile.${{ matrix.base }}') };
    assert.deepEqual(built(workflow, 'Dockerfile.alpine'), ['action linux/amd64', 'action linux/arm64']);
    assert.deepEqual(built(workflow, 'Dockerfile.debian'), ['action linux/amd64'], 'the excluded combination is not built');
    assert.deepEqual(built(workflow, 'Dockerfile.distroless'), ['action linux/s390x'], 'an include that fits no combination runs on its own');
    assert.deepEqual(built(workflow, 'Dockerfile'), []);
    // A key computed at run time stays unknown; the keys listed still count.
    const computed = { '.github/workflows/i.yml': matrixJob('        variant: ${{ fromJSON(needs.setup.outputs.variants) }}\n        arch: [amd64, arm64]\n', 'docker/${{ matrix.variant }}.Dockerfile') };
    assert.deepEqual(discoverCiBuilds(memoryWorkspace(computed), 'docker/.Dockerfile'), []);
    const known = { '.github/workflows/i.yml': matrixJob('        variant: ${{ fromJSON(needs.setup.outputs.variants) }}\n        arch: [amd64, arm64]\n', 'Dockerfile') };
    assert.deepEqual(built(known, 'Dockerfile'), ['action linux/amd64', 'action linux/arm64']);
    // An output written by an earlier step from a variable with literal values, an env value, and a shell build.
    const outputs = 'env:\n  IMAGE_DIR: build\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - id: info\n        run: |\n          DOCKERFILE=Dockerfile\n          if [ "${{ matrix.pkg }}" = alpine ]; then\n            DOCKERFILE="Dockerfile.alpine"\n          fi\n          echo "dockerfile=${DOCKERFILE}" >> $GITHUB_OUTPUT\n          echo "created=$(date)" >> "$GITHUB_OUTPUT"\n      - uses: docker/build-push-action@v6\n        with:\n          file: ./${{ steps.info.outputs.dockerfile }}\n      - uses: docker/build-push-action@v6\n        with:\n          file: ${{ steps.info.outputs.created }}\n      - run: docker buildx build -f ${{ env.IMAGE_DIR }}/Dockerfile --push .\n';
    assert.deepEqual(built({ '.github/workflows/o.yml': outputs }, 'Dockerfile'), ['action ']);
    assert.deepEqual(built({ '.github/workflows/o.yml': outputs }, 'Dockerfile.alpine'), ['action ']);
    assert.deepEqual(built({ '.github/workflows/o.yml': outputs }, 'build/Dockerfile'), ['run ']);
    assert.deepEqual(where({ '.github/workflows/o.yml': outputs.replace('DOCKERFILE="Dockerfile.alpine"', 'DOCKERFILE="$1"') }, 'Dockerfile'), [], 'a value only the run knows');
  });

  it('does not take a build from a context folder the CI run makes for this Dockerfile\'s build', () => {
    const workflow = PUSH_ACTION.replace('context: .', 'context: ctx');
    assert.deepEqual(where({ '.github/workflows/image.yml': workflow }, 'build/Dockerfile'), [], 'ctx is made by the run (prebuilt binaries moved into it)');
    assert.deepEqual(where({ '.github/workflows/image.yml': workflow, 'ctx/README': '' }, 'build/Dockerfile').map((b) => b.at), ['.github/workflows/image.yml:10']);
    const shell = 'jobs:\n  i:\n    runs-on: ubuntu-latest\n    steps:\n      - run: mkdir out && cp bin/* out && docker buildx build -f build/Dockerfile --cache-to type=gha out\n';
    assert.deepEqual(where({ '.github/workflows/i.yml': shell }, 'build/Dockerfile'), []);
  });

  it('reads how Makefiles build the image, as make runs them, and whether every build passes --no-cache', () => {
    const makefile = [
      'IMAGE ?= example/app',
      'DOCKERFILE := Dockerfile.local',
      'local: dev-env',
      '\tcd .. ; docker build --no-cache -t $(IMAGE) -f docker/$(DOCKERFILE) .',
      'dev-env:',
      '\tdocker build -t example/dev -f Dockerfile.dev .',
      'other:',
      '\tcd $(SOMEWHERE) && docker build --no-cache -f docker/Dockerfile.dev .',
    ].join('\n');
    const files = { 'docker/Makefile': makefile, 'docker/Dockerfile.local': '', 'docker/Dockerfile.dev': '' };
    const local = discoverBuilds(memoryWorkspace(files), 'docker/Dockerfile.local');
    assert.deepEqual(local.map((b) => [`${b.file}:${b.line}`, b.noCache, b.local]), [['docker/Makefile:4', true, true]], 'make runs the recipe in docker/, and `cd ..` moves it to the root');
    assert.equal(discoverCiBuilds(memoryWorkspace(files), 'docker/Dockerfile.local').length, 0, 'a Makefile build without a cache export is no CI build');
    const site = resolveBuildSite('auto', local);
    assert.deepEqual([site.where, site.noCache?.line], ['local', 4], 'built locally, every build without the layer cache');
    // The dev image is built with the cache by one target; the `cd $(SOMEWHERE)` build is not placed.
    const dev = discoverBuilds(memoryWorkspace(files), 'docker/Dockerfile.dev');
    assert.deepEqual(dev.map((b) => [b.line, b.noCache]), [[6, false]]);
    assert.equal(resolveBuildSite('auto', dev).noCache, undefined);
    // A CI build that keeps the cache beside a Makefile that does not: some build reuses layers.
    const withCi = { ...files, '.github/workflows/i.yml': 'jobs:\n  i:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker buildx build -f docker/Dockerfile.local --cache-to type=gha,mode=max .\n' };
    const both = discoverBuilds(memoryWorkspace(withCi), 'docker/Dockerfile.local');
    assert.deepEqual(both.map((b) => [b.file, !!b.noCache]), [['.github/workflows/i.yml', false], ['docker/Makefile', true]]);
    assert.deepEqual([resolveBuildSite('auto', both).where, resolveBuildSite('auto', both).noCache], ['ci', undefined]);
  });

  it('follows a build script called with arguments, into the branches they take, and places its builds in the script', () => {
    const script = [
      '#!/usr/bin/env bash',
      'if [[ $3 == "local" ]]; then',
      '  docker build -f docker/${1/-//}$2/Dockerfile .',
      'else',
      '  docker buildx build --no-cache --platform linux/amd64,linux/arm64 \\',
      '    -f docker/${1/-//}$2/Dockerfile -t example/$1 $4 --push .',
      'fi',
    ].join('\n');
    const makefile = 'docker-dev:\n\tscripts/buildx.sh dev-tools /bookworm release "-t example/dev:latest"\nlocal-dev:\n\tbash scripts/buildx.sh dev-tools /bookworm local\n';
    const files = { Makefile: makefile, 'scripts/buildx.sh': script, 'docker/dev/tools/bookworm/Dockerfile': '' };
    const builds = discoverBuilds(memoryWorkspace(files), 'docker/dev/tools/bookworm/Dockerfile');
    assert.deepEqual(builds.map((b) => [`${b.file}:${b.line}`, b.noCache, b.platforms]), [
      ['scripts/buildx.sh:5', true, ['linux/amd64', 'linux/arm64']],
      ['scripts/buildx.sh:3', false, []],
    ], '`${1/-//}` turns dev-tools into dev/tools; `local` takes the first branch, `release` the second');
    assert.equal(resolveBuildSite('auto', builds).noCache, undefined, 'one build keeps the cache');
    // An argument known only at run time keeps both branches; a path it makes is not matched.
    const unknown = { ...files, Makefile: 'image:\n\tscripts/buildx.sh dev-tools /bookworm $(MODE)\n' };
    assert.deepEqual(discoverBuilds(memoryWorkspace(unknown), 'docker/dev/tools/bookworm/Dockerfile').map((b) => b.line), [3, 5]);
    const opaque = { ...files, Makefile: 'image:\n\tscripts/buildx.sh $(NAME) /bookworm release\n' };
    assert.deepEqual(discoverBuilds(memoryWorkspace(opaque), 'docker/dev/tools/bookworm/Dockerfile'), []);
  });

  it('reads the builds compose files declare beside the Dockerfile and above it', () => {
    const compose = [
      'services:',
      '  api:',
      '    build: ./api',
      '  worker:',
      '    build:',
      '      context: .',
      '      dockerfile: worker/Dockerfile.worker',
      '      no_cache: true',
      '  remote:',
      '    build: https://github.com/example/tool.git',
      '  templated:',
      '    build: ${TOOL_DIR}',
    ].join('\n');
    const files = { 'compose.yaml': compose, 'api/Dockerfile': '', 'worker/Dockerfile.worker': '' };
    assert.deepEqual(discoverBuilds(memoryWorkspace(files), 'api/Dockerfile').map((b) => [b.system, `${b.file}:${b.line}`, b.noCache, b.local]), [['compose', 'compose.yaml:3', false, true]]);
    const worker = discoverBuilds(memoryWorkspace(files), 'worker/Dockerfile.worker');
    assert.deepEqual(worker.map((b) => [`${b.file}:${b.line}`, b.noCache, b.noCacheSetting]), [['compose.yaml:6', true, 'no_cache: true']]);
    assert.equal(resolveBuildSite('auto', worker).where, 'local', 'compose says how the image is built, not that CI builds it');
  });

  it('takes the context the builds agree on, and none when they disagree', () => {
    const files = {
      'compose.yaml': 'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n',
      Makefile: 'image:\n\tdocker build -f docker/Dockerfile .\n', 'docker/Dockerfile': '',
    };
    const agreed = contextOfBuilds(discoverBuilds(memoryWorkspace(files), 'docker/Dockerfile'));
    assert.deepEqual([agreed?.context, agreed && `${agreed.file}:${agreed.line}`], ['.', 'Makefile:2']);
    const split = { ...files, Makefile: 'image:\n\tcd docker && docker build -t app .\n' };
    assert.equal(contextOfBuilds(discoverBuilds(memoryWorkspace(split), 'docker/Dockerfile')), undefined, 'the Makefile builds with docker/, compose with the root');
    assert.equal(contextOfBuilds([]), undefined);
  });

  it('finds a Dockerfile a Go test program builds through Docker\'s API, with the classic builder', () => {
    const program = [
      'package integration',
      '',
      'import (',
      '\t"github.com/ory/dockertest/v3"',
      ')',
      '',
      'const dockerfileName = "Dockerfile.integration"',
      '',
      'func build(pool *dockertest.Pool) {',
      '\t_, _ = pool.BuildAndRunWithBuildOptions(&dockertest.BuildOptions{Dockerfile: dockerfileName, ContextDir: ".."}, nil)',
      '}',
      '',
    ].join('\n');
    const files = { 'integration/hsic/hsic.go': program, 'vendor/x/y.go': program.replace('Dockerfile.integration', 'Dockerfile.other'), 'Dockerfile.integration': '', 'Dockerfile.other': '' };
    const builds = discoverBuilds(memoryWorkspace(files), 'Dockerfile.integration');
    assert.deepEqual(builds.map((b) => [`${b.file}:${b.line}`, b.classic, b.local]), [['integration/hsic/hsic.go:7', true, true]]);
    const site = resolveBuildSite('auto', builds);
    assert.deepEqual([site.where, site.classicBuilder?.file], ['local', 'integration/hsic/hsic.go']);
    assert.deepEqual(discoverBuilds(memoryWorkspace(files), 'Dockerfile.other'), [], 'vendor/ is not the repository\'s own code');
    const otherLibrary = { ...files, 'integration/hsic/hsic.go': program.replace('github.com/ory/dockertest/v3', 'github.com/docker/docker/client') };
    assert.deepEqual(discoverBuilds(memoryWorkspace(otherLibrary), 'Dockerfile.integration'), [], 'the Docker client itself may build with BuildKit');
  });

  it('survives broken CI files', () => {
    assert.deepEqual(where({ '.github/workflows/a.yml': 'jobs: [\n  - {', '.gitlab-ci.yml': ':\n\t-', 'docker-bake.hcl': 'target "x" {', 'docker-bake.json': '{"target": 3' }), []);
  });
});

describe('cache exports and shell words', () => {
  it('reads type and mode, with min as the default and inline as min only', () => {
    assert.deepEqual(parseCacheExport('type=gha,mode=max,scope=x'), { type: 'gha', mode: 'max', text: 'type=gha,mode=max,scope=x' });
    assert.equal(parseCacheExport('type=registry,ref=r/x:cache')?.mode, 'min');
    assert.equal(parseCacheExport('user/app:cache')?.type, 'registry');
    assert.equal(parseCacheExport('type=inline,mode=max')?.mode, 'min');
    assert.equal(parseCacheExport('type=gha,mode=$MODE'), undefined);
  });

  it('joins continuation lines and keeps each command\'s first line', () => {
    assert.deepEqual(shellCommandWords('a \\\n  b\nc && d'), [{ line: 0, words: ['a', 'b'] }, { line: 2, words: ['c'] }, { line: 2, words: ['d'] }]);
  });
});

describe('where the build runs', () => {
  const ci = { system: 'github-actions' as const, file: 'f.yml', line: 3, cacheTo: [], cacheToUnknown: false, cacheFrom: [], restoresCacheMounts: false, selfHosted: false };
  it('follows the setting, then CI files, then the CI variable', () => {
    assert.deepEqual(resolveBuildSite('local', [ci]), { where: 'local', source: 'setting' });
    assert.deepEqual(resolveBuildSite('ci', []), { where: 'ci', source: 'setting', ci: undefined });
    assert.deepEqual(resolveBuildSite('auto', [ci]), { where: 'ci', source: 'ci-files', ci });
    assert.deepEqual(resolveBuildSite('auto', [], 'true'), { where: 'ci', source: 'ci-variable' });
    assert.deepEqual(resolveBuildSite('auto', []), { where: 'local', source: 'no-ci-files' });
  });
});
