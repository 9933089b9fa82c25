// Real builds with a real Docker daemon: what the profile says about the naive example, the
// Dockerfile `fix` makes of it, a failing RUN, and a cancelled build.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runProfileCommand } from '../../server/src/profile/profile-cli';
import {
  build, changeOneSourceLine, copyExample, engineSkip, eventually, fixedDockerfile, processesInGroup,
  processesRunning, profile, stepWith,
} from './engine';
import { tempDir } from '../unit/profile/temp';

describe('profiling real builds', { skip: engineSkip }, () => {
  it('naive Dockerfile: after a one-line source change, go mod download is not cached', async () => {
    const dir = copyExample('naive');
    const first = await profile(dir);
    assert.equal(first.summary.exitCode, 0, first.summary.error);
    changeOneSourceLine(dir);
    const second = await profile(dir);
    assert.equal(second.summary.exitCode, 0, second.summary.error);
    const download = stepWith(second, 'go mod download');
    assert.notEqual(download.state, 'cached');
    assert.equal(download.state, 'done');
    const copy = stepWith(second, 'COPY . .');
    assert.equal(copy.missReason, 'cache miss starts here: main.go changed since the last profiled build');
    assert.equal(stepWith(second, 'WORKDIR').state, 'cached');
  });

  it('the Dockerfile fix produces: after the same change, go mod download is cached', async () => {
    const dir = copyExample('naive');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), fixedDockerfile(dir));
    const first = await profile(dir);
    assert.equal(first.summary.exitCode, 0, first.summary.error);
    changeOneSourceLine(dir);
    const second = await profile(dir);
    assert.equal(second.summary.exitCode, 0, second.summary.error);
    assert.equal(stepWith(second, 'go mod download').state, 'cached');
    assert.equal(stepWith(second, 'go build').state, 'done');
    assert.equal(stepWith(second, 'COPY . .').missReason, 'cache miss starts here: main.go changed since the last profiled build');
  });

  it('a failing RUN is annotated with its error on its line; the steps after it did not run', async () => {
    const dir = copyExample('failing');
    const result = await profile(dir);
    const lines = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8').split('\n');
    const failing = result.steps.find((s) => s.state === 'error');
    assert.ok(failing, `one step failed: ${JSON.stringify(result.steps.map((s) => [s.line, s.state]))}`);
    assert.equal(failing.line, lines.findIndex((l) => l.startsWith('RUN go test')));
    assert.match(failing.error ?? '', /exit code: 1/);
    assert.ok(failing.logs.some((l) => l.includes('add(2, 2) = 0, want 4')), 'the failing test output is kept');
    for (const later of result.steps.filter((s) => s.line > failing.line)) assert.equal(later.state, 'not-run', later.instruction);
    assert.notEqual(result.summary.exitCode, 0);
    assert.ok(result.summary.error);
  });

  it('profile in the terminal: the failing line marked, exit status from docker', async () => {
    const dir = copyExample('failing');
    let out = '';
    const io = {
      stdout: { write: (t: string) => (out += t), isTTY: false },
      stderr: { write: () => true, isTTY: false },
      env: { ...process.env, XDG_CACHE_HOME: tempDir('gdc-engine-xdg-') },
    };
    const status = await runProfileCommand([path.join(dir, 'Dockerfile'), '--', '--network=host'], io);
    assert.equal(status, 1);
    const printed = out.split('\n');
    assert.match(printed.find((l) => l.includes('RUN go test')) ?? '', /✗ .*exit code: 1/);
    assert.match(printed.find((l) => l.includes('RUN go build')) ?? '', /not run$/);
    assert.ok(printed.some((l) => /^Build failed after \d+\.\d s$/.test(l)), out);
    assert.ok(!out.includes('\x1b['), 'no colour in a pipe');
  });

  it('never shows the value of a secret build arg', async () => {
    const dir = tempDir('gdc-engine-secret-');
    const secret = `s3cret-${randomBytes(6).toString('hex')}`;
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM golang:1.19\nARG API_TOKEN\nRUN echo "token is $API_TOKEN" && echo "again ${API_TOKEN}"\n');
    const lines: string[] = [];
    const result = await build(dir, { buildArgs: { API_TOKEN: secret } }, (update) => lines.push(...update.lines)).done;
    assert.equal(result.summary.exitCode, 0, result.summary.error);
    assert.ok(lines.some((l) => l.includes('token is ***')), 'the RUN printed the masked value');
    assert.ok(!JSON.stringify({ lines, result }).includes(secret));
  });

  it('cancel stops the build and leaves no docker process behind', async () => {
    const dir = tempDir('gdc-engine-cancel-');
    const marker = `started-${randomBytes(6).toString('hex')}`;
    // The shell execs its last command, so the RUN is found by a sleep length unique to this test.
    const seconds = 300 + (randomBytes(2).readUInt16BE(0) % 5000);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM golang:1.19\nWORKDIR /src\nRUN echo ${marker} && sleep ${seconds}\nRUN echo never\n`);
    let sawRunning!: () => void;
    const running = new Promise<void>((resolve) => (sawRunning = resolve));
    const handle = build(dir, {}, ({ steps }) => {
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
    assert.deepEqual(await eventually(() => processesInGroup(pid), (left) => left.length === 0), [], 'docker client process group is gone');
    assert.deepEqual(await eventually(() => processesRunning(`sleep ${seconds}`), (left) => left.length === 0), [], 'the RUN inside the build is gone');
  });
});
