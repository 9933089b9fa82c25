// Every way Build and Profile can fail, with real processes: docker missing, its daemon down, a
// failing RUN, a Dockerfile syntax error, a cancel mid-build, a context path with spaces and
// quotes, a megabyte log line, a secret build arg. Each gets a clear message, leaves no process
// behind, and no step reads "cached" unless BuildKit said CACHED for it.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildOptions } from '../../server/src/profile/docker';
import { MAX_LINE_CHARS } from '../../server/src/profile/events';
import type { BuildResult } from '../../server/src/profile/model';
import { startBuild } from '../../server/src/profile/runner';
import { DOCKER, engineSkip, EXAMPLES, LEGACY_PLAIN, processesInGroup, processesRunning } from '../engine/engine';
import { eventually } from '../helpers/eventually';
import { tempDir } from '../unit/profile/temp';
import { CLI, freshBundle } from './bundle';
import { controller } from './fakeVscode';
import { childrenOf, commandLinesWith, noNewChildren, processesExactly } from './processes';

/** A build on the shared daemon may queue behind others; a hang still fails the test. */
const BUILD_MS = 180_000;
const dockerBinarySkip = fs.existsSync(DOCKER) || process.env.CI === 'true' ? false : `${DOCKER} is not installed`;
if (dockerBinarySkip) process.stderr.write(`daemon-down cases skipped: ${dockerBinarySkip}\n`);

/** A folder holding `dockerfile` and the naive example's Go module. */
function project(dockerfile?: string, dir = tempDir('gdc-fail-')): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(EXAMPLES, 'naive'), dir, { recursive: true });
  if (dockerfile !== undefined) fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

/** A profiled build with plain progress, so BuildKit's own words are in the captured lines. */
async function profiled(dir: string, options: Partial<BuildOptions> = {}): Promise<{ result: BuildResult; lines: string[] }> {
  const lines: string[] = [];
  const handle = startBuild({
    dockerPath: DOCKER, dockerfile: path.join(dir, 'Dockerfile'), progress: 'plain', manifestDir: tempDir('gdc-manifests-'),
    ...options, extraArgs: ['--network=host', ...(options.extraArgs ?? [])],
  }, (update) => lines.push(...update.lines));
  return { result: await handle.done, lines };
}

/**
 * Every step shown as cached is one BuildKit reported CACHED, matched by its text only: a
 * concurrent build on the same daemon may have named the very same vertex after its own stage.
 */
function assertCachedOnlyWhenBuildKitSaidSo(result: BuildResult, lines: readonly string[]): void {
  const names = new Map<string, string>();
  const cached: string[] = [];
  for (const line of lines) {
    const header = /^#(\d+) (\[.*)$/.exec(line);
    if (header && !names.has(header[1])) names.set(header[1], header[2]);
    const said = /^#(\d+) CACHED$/.exec(line);
    if (said && names.has(said[1])) cached.push(names.get(said[1])!);
  }
  // BuildKit names a FROM by the image's full reference (docker.io/library/golang:1.26).
  const reportedAs = (name: string, instruction: string) => {
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(instruction);
    return from ? new RegExp(`\\] FROM (\\S+/)?${from[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(name) : name.endsWith(`] ${instruction}`);
  };
  for (const step of result.steps.filter((s) => s.state === 'cached')) {
    assert.ok(
      cached.some((name) => reportedAs(name, step.instruction)),
      `line ${step.line + 1} "${step.instruction}" is shown cached, but BuildKit said CACHED only for ${JSON.stringify(cached)}`,
    );
  }
}

function states(result: BuildResult): string {
  return JSON.stringify(result.steps.map((s) => [s.line + 1, s.state]));
}

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  freshBundle();
  const run = spawnSync(process.execPath, [CLI, 'profile', '--no-color', ...args], {
    encoding: 'utf8', timeout: BUILD_MS, env: { ...process.env, XDG_CACHE_HOME: tempDir('gdc-xdg-'), ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('docker cannot be used', () => {
  it('docker missing: "not installed" with the path, no process, nothing cached', async () => {
    const dir = project();
    const before = childrenOf();
    const handle = startBuild({ dockerPath: '/nonexistent/docker', dockerfile: path.join(dir, 'Dockerfile') });
    const { steps, summary } = await handle.done;
    assert.equal(summary.unavailable, 'docker');
    assert.equal(summary.error, 'Docker is not installed: "/nonexistent/docker" was not found. Install Docker (on Debian: apt-get install docker.io) or set the docker path.');
    assert.equal(handle.pid, undefined, 'no process was started');
    assert.ok(steps.every((s) => s.state === 'not-run'), states({ steps, summary }));
    assert.deepEqual(await noNewChildren(before), []);

    const cli = runCli(['--docker', '/nonexistent/docker', path.join(dir, 'Dockerfile')]);
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /^profile: Docker is not installed: "\/nonexistent\/docker" was not found\./m);
  });

  it('daemon not running: says so, no process left, nothing cached', { skip: dockerBinarySkip }, async () => {
    const dir = project();
    const socket = `unix://${path.join(tempDir('gdc-no-daemon-'), 'docker.sock')}`;
    const before = childrenOf();
    const { result } = await profiled(dir, { env: { ...process.env, DOCKER_HOST: socket } });
    assert.equal(result.summary.unavailable, 'daemon');
    assert.match(result.summary.error ?? '', /^The Docker daemon is not running\. Start it/);
    assert.ok(result.steps.every((s) => s.state === 'not-run'), states(result));
    assert.deepEqual(await noNewChildren(before), []);

    const cli = runCli([path.join(dir, 'Dockerfile')], { DOCKER_HOST: socket });
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /^profile: The Docker daemon is not running\./m);
  });
});

describe('real builds that go wrong', { skip: engineSkip(LEGACY_PLAIN), concurrency: 1 }, () => {
  it('a failing RUN: its line marked with the error, later steps not run, nothing falsely cached', async () => {
    const dir = tempDir('gdc-fail-run-');
    fs.cpSync(path.join(EXAMPLES, 'failing'), dir, { recursive: true });
    const before = childrenOf();
    const { result, lines } = await profiled(dir);
    const failed = result.steps.filter((s) => s.state === 'error');
    assert.deepEqual(failed.map((s) => s.instruction), ['RUN go test ./...'], states(result));
    assert.match(failed[0].error ?? '', /exit code: 1/);
    for (const later of result.steps.filter((s) => s.line > failed[0].line)) assert.equal(later.state, 'not-run', later.instruction);
    assert.ok(result.summary.error, 'the summary says why');
    assertCachedOnlyWhenBuildKitSaidSo(result, lines);
    assert.deepEqual(await noNewChildren(before), []);
  });

  it('a syntax error: its line marked with the parse error, every step not run, through startBuild and the CLI', async () => {
    const dir = project('FROM golang:1.26\nWORKDIR /src\nRUNN go build ./...\nRUN echo after\n');
    const before = childrenOf();
    const { result, lines } = await profiled(dir);
    const failed = result.steps.filter((s) => s.state === 'error');
    assert.deepEqual(failed.map((s) => [s.line + 1, s.instruction, s.error]), [[3, 'RUNN go build ./...', 'unknown instruction: RUNN']]);
    assert.ok(result.steps.filter((s) => s.state !== 'error').every((s) => s.state === 'not-run'), states(result));
    assert.match(result.summary.error ?? '', /line 3: unknown instruction: RUNN/);
    assertCachedOnlyWhenBuildKitSaidSo(result, lines);
    assert.deepEqual(await noNewChildren(before), []);

    const cli = runCli([path.join(dir, 'Dockerfile'), '--', '--network=host']);
    assert.equal(cli.status, 1, cli.stderr);
    const printed = cli.stdout.split('\n');
    assert.match(printed.find((l) => l.includes('RUNN go build')) ?? '', /✗ unknown instruction: RUNN$/);
    assert.match(printed.find((l) => l.includes('RUN echo after')) ?? '', /not run$/);
    assert.ok(printed.includes('Failed on line 3: RUNN go build ./...'), cli.stdout);
  });

  it('the CLI interrupted mid-RUN: exit 130, the RUN canceled with the time it ran, no docker process or RUN left', async () => {
    const marker = `interrupted-${randomBytes(6).toString('hex')}`;
    // The second sleep, unique to this run, starts only once the step has run for 2 s. Its length
    // (days, never waited out: the test cancels it) is a number no other `sleep` on the machine has.
    const sleeper = `sleep ${100_000 + randomBytes(3).readUIntBE(0, 3) % 900_000}`;
    const dir = project(`FROM golang:1.26\nWORKDIR /src\nRUN sleep 2 && ${sleeper} && echo ${marker}\nRUN echo never\n`);
    freshBundle();
    const cli = spawn(process.execPath, [CLI, 'profile', '--no-color', path.join(dir, 'Dockerfile'), '--', '--network=host'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CACHE_HOME: tempDir('gdc-xdg-') },
    });
    let stdout = '';
    cli.stdout.on('data', (chunk) => (stdout += String(chunk)));
    const exited = new Promise<number | null>((resolve) => cli.on('close', (code) => resolve(code)));
    let docker: number[] = [];
    try {
      const running = await eventually(() => processesExactly(sleeper), (found) => found.length > 0 || cli.exitCode !== null, BUILD_MS);
      assert.ok(running.length > 0, `the RUN reached its long sleep; the CLI said: ${stdout}`);
      docker = childrenOf(cli.pid).map((line) => Number(line.split(' ')[0]));
      assert.equal(docker.length, 1, 'the CLI runs one docker client');
      cli.kill('SIGINT');
      assert.equal(await exited, 130);
      assert.match(stdout, /^Build canceled after /m);
      const canceled = /canceled after (\d+\.\d) s/.exec(stdout.split('\n').find((l) => l.includes(sleeper)) ?? '');
      assert.ok(canceled && Number(canceled[1]) >= 2, `the RUN ran at least 2 s before the cancel: ${stdout}`);
      assert.match(stdout.split('\n').find((l) => l.includes('echo never')) ?? '', /not run$/);
      assert.deepEqual(await eventually(() => processesInGroup(docker[0]), (left) => left.length === 0, 30_000), [], 'docker client group gone');
      assert.deepEqual(await eventually(() => processesRunning(marker), (left) => left.length === 0, 30_000), [], 'the RUN inside the build is gone');
    } finally {
      // A failed assertion must not leave this test's own build running on the shared daemon.
      if (cli.exitCode === null) cli.kill('SIGKILL');
      for (const pid of docker) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Already gone, as it should be.
        }
      }
    }
  });

  it('a build context path with spaces and quotes builds, through startBuild and the CLI', async () => {
    const parent = tempDir('gdc-ctx-');
    const dir = project(undefined, path.join(parent, 'x y\'"z'));
    const before = childrenOf();
    const { result, lines } = await profiled(dir, { context: dir });
    assert.equal(result.summary.exitCode, 0, result.summary.error);
    assert.ok(result.steps.every((s) => s.state === 'done' || s.state === 'cached'), states(result));
    assertCachedOnlyWhenBuildKitSaidSo(result, lines);
    assert.deepEqual(await noNewChildren(before), []);

    const cli = runCli(['--context', dir, path.join(dir, 'Dockerfile'), '--', '--network=host']);
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /^Built in /m);
  });

  it(`a RUN printing 1 MB on one line: the build goes on, its annotation keeps at most ${MAX_LINE_CHARS} characters a line`, async () => {
    const tag = randomBytes(6).toString('hex');
    const dir = project(`FROM golang:1.26\nRUN head -c 1048576 /dev/zero | tr '\\0' x; echo; echo after-${tag}\nRUN echo next-${tag}\n`);
    const { result, lines } = await profiled(dir);
    assert.equal(result.summary.exitCode, 0, result.summary.error);
    const huge = result.steps.find((s) => s.instruction.includes('head -c'));
    const next = result.steps.find((s) => s.instruction.includes(`next-${tag}`));
    assert.equal(huge?.state, 'done');
    assert.equal(next?.state, 'done');
    assert.ok(next.logs.includes(`next-${tag}`), 'the step after it is read as before');
    assert.ok(huge.logs.some((l) => l.length > 1000 && /more characters\)$/.test(l)), 'the huge line is kept, cut short');
    for (const step of result.steps) for (const log of step.logs) assert.ok(log.length <= MAX_LINE_CHARS + 40, `a ${log.length}-character log line`);
    assert.ok(JSON.stringify(result).length < 64 * 1024, `the whole result is ${JSON.stringify(result).length} characters`);
    assert.ok(lines.some((l) => l.length > 100_000), 'the build output itself still has the long line');
    assertCachedOnlyWhenBuildKitSaidSo(result, lines);
  });

  it('a secret-looking build arg never shows: not in the CLI output, the output channel, annotations, messages or the process list', async () => {
    const secret = `s3cr3t-${randomBytes(8).toString('hex')}`;
    const dir = project('FROM golang:1.26\nARG GITHUB_TOKEN\nARG NPM_TOKEN\nRUN echo "token=$GITHUB_TOKEN npm=$NPM_TOKEN" && echo "again $GITHUB_TOKEN" >&2 && exit 3\n');
    let seenInProcessList: string[] = [];
    const ui = controller((options, onUpdate) => startBuild(options, (update) => {
      seenInProcessList = [...seenInProcessList, ...commandLinesWith(secret)];
      onUpdate?.(update);
    }), tempDir('gdc-manifests-'));
    ui.editor.settings = { 'docker.path': DOCKER, 'build.args': { GITHUB_TOKEN: secret }, 'build.extraArgs': ['--network=host', '--build-arg', `NPM_TOKEN=${secret}-npm`] };
    const summary = await ui.controller.buildAndProfile(ui.target(path.join(dir, 'Dockerfile')));
    assert.ok(summary?.error, 'the build failed as written');
    assert.ok(ui.editor.output.some((l) => l.includes('token=*** npm=***')), 'the RUN printed the masked values');
    const shown = JSON.stringify({ output: ui.editor.output, errors: ui.editor.errors, annotations: ui.store.lines(ui.store.uris()[0]), summary });
    assert.ok(!shown.includes(secret), 'the value shows nowhere in the editor');
    assert.deepEqual(seenInProcessList, [], 'the value is on no command line');

    const cli = runCli(['--build-arg', `GITHUB_TOKEN=${secret}`, path.join(dir, 'Dockerfile'), '--', '--network=host']);
    assert.equal(cli.status, 1, cli.stderr);
    assert.match(cli.stdout, /token=\*\*\*/);
    assert.ok(!`${cli.stdout}${cli.stderr}`.includes(secret), 'the value shows nowhere in the CLI output');
  });
});
