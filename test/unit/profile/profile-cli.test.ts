// `profile` in the terminal: its arguments, the annotated Dockerfile it prints, and its exit
// status when docker cannot build at all.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseProfileArgs, runProfileCommand } from '../../../server/src/profile/profile-cli';
import { renderAnnotatedDockerfile, renderSummary } from '../../../server/src/profile/render';
import { fixture, replay } from './transcripts';
import { tempDir } from './temp';
import { captureIo } from './io';

function dockerfileInTemp(): string {
  const dir = tempDir('gdc-cli-');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), fixture('naive.Dockerfile'));
  return path.join(dir, 'Dockerfile');
}

describe('profile arguments', () => {
  it('reads options, the Dockerfile and the docker args after --', () => {
    const parsed = parseProfileArgs(['profile', '--context', 'ctx', '--build-arg', 'A=1=2', '--target=build', '-t', 'img', 'Dockerfile', '--', '--network=host', '--no-cache']);
    assert.equal(parsed.file, 'Dockerfile');
    assert.deepEqual(parsed.options, { buildArgs: { A: '1=2' }, extraArgs: ['--network=host', '--no-cache'], context: 'ctx', target: 'build', tag: 'img' });
    assert.equal(parseProfileArgs(['--builder', 'gdc-buildkit', 'Dockerfile']).options.builder, 'gdc-buildkit');
    assert.equal(parseProfileArgs(['--builder=other', 'Dockerfile']).options.builder, 'other');
  });

  it('reads where the image is built, auto by default', () => {
    assert.equal(parseProfileArgs(['Dockerfile']).buildsIn, 'auto');
    assert.equal(parseProfileArgs(['--builds-in', 'ci', 'Dockerfile']).buildsIn, 'ci');
    assert.equal(parseProfileArgs(['--builds-in=local', 'Dockerfile']).buildsIn, 'local');
  });

  it('rejects what it does not understand with usage and status 2', async () => {
    for (const argv of [['--frobnicate', 'Dockerfile'], ['--context'], ['--builds-in', 'cloud', 'Dockerfile'], ['a', 'b'], ['--build-arg', 'NOVALUE', 'Dockerfile'], []]) {
      const io = captureIo();
      assert.equal(await runProfileCommand(argv, io), 2, argv.join(' '));
      assert.match(io.err(), /Usage: go-dockerfile-cache profile/);
    }
    const io = captureIo();
    assert.equal(await runProfileCommand(['/no/such/Dockerfile'], io), 2);
    assert.match(io.err(), /cannot read \/no\/such\/Dockerfile/);
  });
});

describe('profile output', () => {
  it('prints each step outcome after its instruction and the summary, without colour in a pipe', () => {
    const { steps, summary } = replay('failing-run.txt', 'failing.Dockerfile', { exitCode: 1, totalMs: 6700, error: 'executor failed running [/bin/sh -c go test ./...]: exit code: 1' });
    const lines = renderAnnotatedDockerfile(fixture('failing.Dockerfile'), steps, { color: false });
    assert.match(lines[1], /^ 2 {2}WORKDIR \/src +✓ cached$/);
    assert.match(lines[3], /^ 4 {2}RUN go mod download +0\.1 s$/);
    assert.match(lines[5], /^ 6 {2}RUN go test \.\/\.\.\. +✗ executor failed running \[\/bin\/sh -c go test \.\/\.\.\.\]: exit code: 1$/);
    assert.match(lines[6], /^ 7 {2}RUN go build -o \/out\/app \. +not run$/);
    assert.equal(lines[10], '11  ENTRYPOINT ["/app"]');
    assert.ok(!lines.join('\n').includes('\x1b['));
    const report = renderSummary(summary, steps, { color: false });
    assert.deepEqual(report.slice(0, 4), ['Build failed after 6.7 s', 'Steps cached: 1 / 7', 'Slowest steps:', '     5.8 s (98%)  line 6  RUN go test ./...']);
    assert.ok(report.includes('Failed on line 6: RUN go test ./...'));
    assert.ok(report.includes('  │     main_test.go:7: add(2, 2) = 0, want 4'));
  });

  it('says where the image went and lists BuildKit\'s warnings with their line', () => {
    const { steps, summary } = replay('current/warning.txt', 'current/warning.Dockerfile', { totalMs: 2000 });
    const report = renderSummary({ ...summary, image: 'Image app:dev loaded into docker from builder gdc-buildkit (remote driver)', warnings: [{ message: "FromAsCasing: 'as' and 'FROM' keywords' casing do not match", line: 0 }, { message: 'NoLine: somewhere' }] }, steps, { color: false });
    assert.deepEqual(report.slice(0, 2), ['Built in 2.0 s', 'Image app:dev loaded into docker from builder gdc-buildkit (remote driver)']);
    assert.deepEqual(report.slice(-2), ["Warning on line 1: FromAsCasing: 'as' and 'FROM' keywords' casing do not match", 'Warning: NoLine: somewhere']);
  });

  it('puts the annotation of a continued instruction on its last line, with the miss reason', () => {
    const text = 'FROM golang:1.19\nRUN go build \\\n    -o /app .\n';
    const step = { line: 1, endLine: 2, instruction: 'RUN go build -o /app .', state: 'done' as const, durationMs: 12_400, share: 0.9, logs: [], missReason: 'cache miss starts here: main.go changed since the last profiled build' };
    const plain = renderAnnotatedDockerfile(text, [step], { color: false });
    assert.equal(plain[1], '2  RUN go build \\');
    assert.match(plain[2], /^3 {6}-o \/app \. +12\.4 s {2}← cache miss starts here: main\.go changed since the last profiled build$/);
    const coloured = renderAnnotatedDockerfile(text, [step], { color: true }).join('\n');
    assert.ok(coloured.includes('\x1b[31m\x1b[1m12.4 s\x1b[0m'), 'a step with most of the time is red');
  });
});

describe('profile without a usable docker', () => {
  it('says docker is not installed and exits 2', async () => {
    const io = captureIo();
    assert.equal(await runProfileCommand(['--docker', '/nonexistent/bin/docker', dockerfileInTemp()], io), 2);
    assert.match(io.err(), /Docker is not installed: "\/nonexistent\/bin\/docker" was not found/);
    assert.equal(io.out(), '');
  });

  it('says the daemon is not running and exits 2', { skip: fs.existsSync('/usr/bin/docker') ? false : 'no /usr/bin/docker client on this machine to talk to a missing daemon' }, async () => {
    const io = captureIo({ DOCKER_HOST: `unix://${path.join(os.tmpdir(), 'gdc-no-daemon.sock')}` });
    assert.equal(await runProfileCommand([dockerfileInTemp()], io), 2);
    assert.match(io.err(), /The Docker daemon is not running/);
  });
});
