// Real builds on every engine (test/engine/engine.ts): what the profile says about a cached and an
// uncached build, a failing RUN, a cancelled build, parallel stages, a cross build for another
// platform, BuildKit's warnings and, on current BuildKit, a heredoc RUN and an image loaded from
// the remote builder.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runProfileCommand } from '../../server/src/profile/profile-cli';
import {
  build, changeOneSourceLine, copyExample, CURRENT_RAWJSON, DOCKER, ENGINES, engineSkip, eventually, fixedDockerfile, IMAGE, LEGACY_PLAIN,
  processesInGroup, processesRunning, profile, project, stepWith, unique, type Engine,
} from './engine';
import { tempDir } from '../unit/profile/temp';

/** A copy of examples/<name> with the Dockerfile `fix` writes: cache mounts keep its Go builds quick. */
function fixedExample(name: string): string {
  const dir = copyExample(name);
  fs.writeFileSync(path.join(dir, 'Dockerfile'), fixedDockerfile(dir));
  return dir;
}

/**
 * Gives the project's `WORKDIR /src` a name no other build has: a step that a concurrent build on
 * the same builder runs at that moment (a --no-cache build of another project, say) is reported
 * as run, not cached, by both builds.
 */
function ownWorkdir(dir: string): void {
  const dockerfile = path.join(dir, 'Dockerfile');
  fs.writeFileSync(dockerfile, fs.readFileSync(dockerfile, 'utf8').replace('WORKDIR /src', `WORKDIR /src-${unique()}`));
}

function lineOf(dir: string, text: string): number {
  return fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8').split('\n').findIndex((l) => l.includes(text));
}

for (const engine of ENGINES) {
  describe(`profiling real builds on ${engine.label}`, { skip: engineSkip(engine) }, () => {
    it(`${engine.name}: cached, then uncached after a one-line change; the fixed Dockerfile keeps go mod download cached`, async () => {
      const dir = fixedExample('naive');
      ownWorkdir(dir);
      const first = await profile(engine, dir);
      assert.equal(first.summary.exitCode, 0, first.summary.error);
      const again = await profile(engine, dir);
      assert.equal(again.summary.exitCode, 0, again.summary.error);
      assert.equal(again.summary.cached, again.summary.total, JSON.stringify(again.steps.map((s) => [s.instruction, s.state])));
      assert.ok(again.steps.filter((s) => !s.instruction.startsWith('FROM')).every((s) => s.state === 'cached' && s.missReason === undefined));
      changeOneSourceLine(dir);
      const changed = await profile(engine, dir);
      assert.equal(changed.summary.exitCode, 0, changed.summary.error);
      assert.equal(stepWith(changed, 'go mod download').state, 'cached');
      assert.equal(stepWith(changed, 'go build').state, 'done');
      assert.equal(stepWith(changed, 'COPY . .').missReason, 'cache miss starts here: main.go changed since the last profiled build');
    });

    it(`${engine.name}: naive Dockerfile, after a one-line source change go mod download is not cached`, async () => {
      const dir = copyExample('naive');
      ownWorkdir(dir);
      const first = await profile(engine, dir);
      assert.equal(first.summary.exitCode, 0, first.summary.error);
      changeOneSourceLine(dir);
      const second = await profile(engine, dir);
      assert.equal(second.summary.exitCode, 0, second.summary.error);
      assert.equal(stepWith(second, 'go mod download').state, 'done');
      assert.equal(stepWith(second, 'COPY . .').missReason, 'cache miss starts here: main.go changed since the last profiled build');
      assert.equal(stepWith(second, 'WORKDIR').state, 'cached');
    });

    it(`${engine.name}: a failing RUN is annotated with its error on its line; the steps after it did not run`, async () => {
      const dir = fixedExample('failing');
      const result = await profile(engine, dir);
      const failing = result.steps.find((s) => s.state === 'error');
      assert.ok(failing, `one step failed: ${JSON.stringify(result.steps.map((s) => [s.line, s.state]))}`);
      assert.equal(failing.line, lineOf(dir, 'go test ./...'));
      assert.match(failing.error ?? '', /exit code: 1/);
      assert.ok(failing.logs.some((l) => l.includes('add(2, 2) = 0, want 4')), 'the failing test output is kept');
      for (const later of result.steps.filter((s) => s.line > failing.line)) assert.equal(later.state, 'not-run', later.instruction);
      assert.notEqual(result.summary.exitCode, 0);
      assert.match(result.summary.error ?? '', /go test .*exit code: 1/);
    });

    it(`${engine.name}: never shows the value of a secret build arg`, async () => {
      const dir = project({ Dockerfile: `FROM ${IMAGE}\nARG API_TOKEN\nRUN echo "token is $API_TOKEN" && echo "again \${API_TOKEN}"\n` });
      const secret = `s3cret-${unique()}`;
      const lines: string[] = [];
      const result = await build(engine, dir, { buildArgs: { API_TOKEN: secret } }, (update) => lines.push(...update.lines)).done;
      assert.equal(result.summary.exitCode, 0, result.summary.error);
      assert.ok(lines.some((l) => l.includes('token is ***')), `the RUN printed the masked value: ${JSON.stringify(lines)}`);
      assert.ok(stepWith(result, 'echo "token is').logs.some((l) => l.includes('token is ***')));
      assert.ok(!JSON.stringify({ lines, result }).includes(secret));
    });

    it(`${engine.name}: cancel stops the build and leaves no docker, buildx or BuildKit process behind`, async () => {
      const marker = `started-${unique()}`;
      // The shell execs its last command, so the RUN is found by a sleep length unique to this test
      // (days, never waited out): six digits no other `sleep` on the machine has.
      const seconds = 100_000 + (randomBytes(3).readUIntBE(0, 3) % 900_000);
      const dir = project({ Dockerfile: `FROM ${IMAGE}\nWORKDIR /src\nRUN echo ${marker} && sleep ${seconds}\nRUN echo never\n` });
      let sawRunning!: () => void;
      const running = new Promise<void>((resolve) => (sawRunning = resolve));
      const handle = build(engine, dir, {}, ({ steps }) => {
        if (steps.some((s) => s.state === 'running' && s.logs.includes(marker))) sawRunning();
      });
      await running;
      assert.ok((await eventually(() => processesRunning(`sleep ${seconds}`), (found) => found.length > 0)).length > 0, 'the RUN is running before the cancel');
      const pid = handle.pid;
      assert.ok(pid !== undefined);
      handle.cancel();
      const result = await handle.done;
      assert.equal(result.summary.canceled, true);
      assert.equal(stepWith(result, `sleep ${seconds}`).state, 'canceled');
      assert.equal(stepWith(result, 'echo never').state, 'not-run');
      assert.ok(result.steps.every((s) => s.state !== 'cached' || s.instruction.startsWith('WORKDIR')));
      assert.deepEqual(await eventually(() => processesInGroup(pid), (left) => left.length === 0), [], 'docker client (and buildx plugin) process group is gone');
      assert.deepEqual(await eventually(() => processesRunning(`sleep ${seconds}`), (left) => left.length === 0), [], 'the RUN inside the build is gone');
      assert.deepEqual(await eventually(() => processesRunning(marker), (left) => left.length === 0), [], 'no BuildKit executor of the RUN is left');
    });

    it(`${engine.name}: multi-stage build whose stages run in parallel, each step on its own line`, async () => {
      const word = unique();
      const dir = project({
        Dockerfile: [
          `FROM ${IMAGE} AS server`, `RUN sleep 3 && echo server-${word} > /server`, '',
          `FROM ${IMAGE} AS tools`, `RUN sleep 3 && echo tools-${word} > /tools`, '',
          'FROM scratch', 'COPY --from=server /server /server', 'COPY --from=tools /tools /tools', '',
        ].join('\n'),
      });
      const result = await profile(engine, dir);
      assert.equal(result.summary.exitCode, 0, result.summary.error);
      const [server, tools] = [stepWith(result, `server-${word}`), stepWith(result, `tools-${word}`)];
      assert.deepEqual([server.line, server.stage, server.state], [1, 'server', 'done']);
      assert.deepEqual([tools.line, tools.stage, tools.state], [4, 'tools', 'done']);
      assert.ok(server.durationMs! >= 3000 && tools.durationMs! >= 3000, `${server.durationMs} ms, ${tools.durationMs} ms`);
      // One after the other they would take 6 s or more.
      assert.ok(result.summary.totalMs < server.durationMs! + tools.durationMs!, `the two stages overlapped: ${result.summary.totalMs} ms in all`);
      assert.equal(stepWith(result, 'COPY --from=tools').state, 'done');
    });

    it(`${engine.name}: a --platform cross build (FROM --platform=$BUILDPLATFORM, TARGETARCH) runs natively and builds for arm64`, async () => {
      const word = unique();
      const dir = project({
        Dockerfile: [
          `FROM --platform=$BUILDPLATFORM ${IMAGE} AS build`, 'ARG TARGETARCH', `RUN GOARCH=$TARGETARCH go env GOARCH > /arch && echo built-${word} && cat /arch`, '',
          'FROM scratch', 'COPY --from=build /arch /arch', '',
        ].join('\n'),
      });
      const result = await profile(engine, dir, { extraArgs: ['--platform', 'linux/arm64'] });
      assert.equal(result.summary.exitCode, 0, result.summary.error);
      const run = stepWith(result, `built-${word}`);
      assert.equal(run.line, 2);
      assert.equal(run.state, 'done');
      assert.ok(run.logs.includes('arm64'), JSON.stringify(run.logs));
      // The same bytes as an earlier cross build's may make the COPY a cache hit.
      assert.ok(['done', 'cached'].includes(stepWith(result, 'COPY --from=build').state));
    });

    it(`${engine.name}: BuildKit's Dockerfile warnings ${engine.current ? 'are shown on their line' : 'do not exist (BuildKit v0.8): none is claimed'}`, async () => {
      const dir = project({ Dockerfile: `FROM ${IMAGE} as build\nRUN echo warned-${unique()}\n` });
      const result = await profile(engine, dir);
      assert.equal(result.summary.exitCode, 0, result.summary.error);
      assert.equal(stepWith(result, 'echo warned').state, 'done');
      if (engine.current) {
        assert.deepEqual(result.summary.warnings, [{ message: "FromAsCasing: 'as' and 'FROM' keywords' casing do not match", line: 0 }]);
      } else {
        assert.equal(result.summary.warnings, undefined);
      }
    });

    if (engine.current) {
      it(`${engine.name}: a heredoc RUN is one step, annotated on its first line`, async () => {
        const word = unique();
        const dir = project({ Dockerfile: `FROM ${IMAGE}\nWORKDIR /src\nRUN <<EOT\necho one-${word}\necho two-${word}\nEOT\nRUN go version\n` });
        const result = await profile(engine, dir);
        assert.equal(result.summary.exitCode, 0, result.summary.error);
        const heredoc = result.steps.find((s) => s.line === 2);
        assert.ok(heredoc, JSON.stringify(result.steps.map((s) => [s.line, s.instruction])));
        assert.equal(heredoc.state, 'done');
        assert.ok(heredoc.logs.includes(`one-${word}`) && heredoc.logs.includes(`two-${word}`), JSON.stringify(heredoc.logs));
        assert.equal(stepWith(result, 'go version').line, 6);
      });
    }
  });
}

describe('the profile command on each engine', () => {
  const cli = (engine: Engine) => (engine.builder ? ['--docker', engine.docker, '--builder', engine.builder] : ['--docker', engine.docker]);
  for (const engine of [CURRENT_RAWJSON, LEGACY_PLAIN]) {
    it(`${engine.name}: the failing line marked, exit status from docker`, { skip: engineSkip(engine) }, async () => {
      const dir = fixedExample('failing');
      let out = '';
      const io = {
        stdout: { write: (t: string) => (out += t), isTTY: false },
        stderr: { write: () => true, isTTY: false },
        env: { ...process.env, XDG_CACHE_HOME: tempDir('gdc-engine-xdg-') },
      };
      const status = await runProfileCommand([...cli(engine), path.join(dir, 'Dockerfile'), '--', '--network=host'], io);
      assert.equal(status, 1, out);
      const printed = out.split('\n');
      assert.match(printed.find((l) => l.includes('go test ./...')) ?? '', /✗ .*exit code: 1/);
      assert.match(printed.find((l) => l.includes('go build')) ?? '', /not run$/);
      assert.ok(printed.some((l) => /^Build failed after (\d+ m )?\d+(\.\d)? s$/.test(l)), out);
      assert.ok(!out.includes('\x1b['), 'no colour in a pipe');
    });
  }

  it('current: without --context, a Dockerfile is built from the context the repository\'s Makefile builds it with', { skip: engineSkip(CURRENT_RAWJSON) }, async () => {
    const dir = project({ 'go.mod': `module example.com/ctx${unique()}\n\ngo 1.22\n`, Makefile: 'image:\n\tdocker build -f docker/Dockerfile .\n' });
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, 'docker'));
    fs.writeFileSync(path.join(dir, 'docker', 'Dockerfile'), `FROM ${IMAGE}\nWORKDIR /src\nCOPY go.mod ./\nRUN grep -q "module example.com/ctx" go.mod\n`);
    let out = '';
    let err = '';
    const io = {
      stdout: { write: (t: string) => (out += t), isTTY: false },
      stderr: { write: (t: string) => (err += t), isTTY: false },
      env: { ...process.env, XDG_CACHE_HOME: tempDir('gdc-engine-xdg-') },
    };
    const status = await runProfileCommand([...cli(CURRENT_RAWJSON), path.join(dir, 'docker', 'Dockerfile'), '--', '--network=host'], io);
    assert.equal(status, 0, `${out}${err}`);
    assert.match(err, new RegExp(`built with the build context ${dir}, as Makefile:2 builds it`));
    // The COPY ran (or was cached): the context held the root's go.mod.
    assert.match(out, /COPY go\.mod \.\/ +(✓ cached|\d+(\.\d)? s)/, out);
  });

  it('current: a tagged build on the remote builder gets --load, and the summary says the image is in docker', { skip: engineSkip(CURRENT_RAWJSON) }, async () => {
    const tag = `gdc-engine-load:${unique()}`;
    const dir = project({ Dockerfile: `FROM ${IMAGE}\nRUN echo loaded > /loaded\n` });
    try {
      const result = await profile(CURRENT_RAWJSON, dir, { tag });
      assert.equal(result.summary.exitCode, 0, result.summary.error);
      assert.equal(result.summary.image, `Image ${tag} loaded into docker from builder gdc-buildkit (remote driver)`);
      assert.equal(spawnSync(DOCKER, ['image', 'inspect', tag]).status, 0, 'docker has the image');
      const untagged = await profile(CURRENT_RAWJSON, dir);
      assert.match(untagged.summary.image ?? '', /^No image: the result stays in the build cache of builder gdc-buildkit \(remote driver\)/);
    } finally {
      spawnSync(DOCKER, ['image', 'rm', '--force', tag]);
    }
  });
});
