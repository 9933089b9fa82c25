// Build records of real builds on the current engine (BuildKit and buildx, the `gdc-buildkit`
// builder): builds run with plain `docker buildx build`, not through the product, and `history`
// puts them on the Dockerfile's lines, from the builder and from an exported `.dockerbuild`.
import { describe, it, after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runHistoryCommand } from '../../server/src/profile/records/history-cli';
import type { HistoryJson } from '../../server/src/profile/records/history-json';
import { captureIo } from '../unit/profile/io';
import { tempDir } from '../unit/profile/temp';
import { changeOneSourceLine, copyExample, ROOT } from './engine';

/**
 * The Dockerfile and module the recorded fixtures come from (test/fixtures/records/app): a module
 * with no requirements builds offline, which examples/naive (it requires a module) does not on
 * this engine, whose golang image has no module proxy configured.
 */
function copyRecordedApp(): string {
  const dir = tempDir('gdc-engine-records-app-');
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'records', 'app'), dir, { recursive: true });
  return dir;
}

const BUILDER = 'gdc-buildkit';
const DOCKER = 'docker';

function docker(args: string[], timeoutMs = 15 * 60_000) {
  return spawnSync(DOCKER, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

/** What is missing for these tests, in words; undefined when the builder answers. */
function missingBuilder(): string | undefined {
  const inspect = docker(['buildx', 'inspect', BUILDER], 60_000);
  if (inspect.status !== 0) return `the buildx builder ${BUILDER} does not answer (run scripts/engine/setup.sh as root): ${(inspect.stderr || inspect.error?.message || '').trim().split('\n').pop()}`;
  return undefined;
}

const missing = missingBuilder();
const skip: string | false = missing === undefined || process.env.CI === 'true' ? false : `build record tests skipped: ${missing}`;
if (missing !== undefined && process.env.CI === 'true') {
  test('the current engine is available in CI', () => {
    throw new Error(`CI=true but ${missing}`);
  });
}
if (skip) process.stderr.write(`${skip}\n`);

/** A plain buildx build, as a user runs it in a terminal; returns its exit status and output. */
function buildxBuild(dir: string): { status: number | null; output: string } {
  const run = docker(['buildx', 'build', '--builder', BUILDER, '--progress=plain', dir]);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

async function history(...argv: string[]) {
  // buildx finds its builders under the real HOME's docker configuration.
  const io = captureIo({ HOME: process.env.HOME, DOCKER_CONFIG: process.env.DOCKER_CONFIG });
  const code = await runHistoryCommand(['--builder', BUILDER, ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

async function historyJson(...argv: string[]): Promise<HistoryJson> {
  const { code, out, err } = await history('--format', 'json', ...argv);
  assert.equal(code, 0, err);
  return JSON.parse(out) as HistoryJson;
}

/** 1-based line of the first line starting with `prefix`. */
function lineOf(dir: string, prefix: string): number {
  return fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8').split('\n').findIndex((l) => l.startsWith(prefix)) + 1;
}

const stateOn = (json: HistoryJson, line: number) => json.steps.find((s) => s.line === line)?.state;

describe('build records of builds run outside the editor', { skip }, () => {
  const refs: string[] = [];
  after(() => {
    // Only this run's own records; the builder is shared.
    if (refs.length > 0) docker(['buildx', 'history', 'rm', '--builder', BUILDER, ...refs], 60_000);
  });

  it('history shows the second of two terminal builds, cached steps on their lines; an exported record gives the same annotation with the records gone', async () => {
    const dir = copyRecordedApp();
    // Source nobody built before, so the first build runs its steps and the second finds them cached.
    changeOneSourceLine(dir);
    const first = buildxBuild(dir);
    assert.equal(first.status, 0, first.output);
    const firstJson = await historyJson(path.join(dir, 'Dockerfile'));
    refs.push(firstJson.record.ref);
    assert.equal(stateOn(firstJson, lineOf(dir, 'RUN go build')), 'done', 'the first build compiled the changed source');

    const second = buildxBuild(dir);
    assert.equal(second.status, 0, second.output);
    const json = await historyJson(path.join(dir, 'Dockerfile'));
    refs.push(json.record.ref);
    assert.notEqual(json.record.ref, firstJson.record.ref, 'the newest record is the second build');
    assert.equal(json.record.source, 'builder');
    assert.equal(json.record.builder, BUILDER);
    assert.equal(json.record.dockerfile, path.join(dir, 'Dockerfile'));
    // WORKDIR is left out: when another build on the shared builder runs the same WORKDIR at the
    // same time, BuildKit reports it to that build only, and the record has nothing to say of it.
    for (const prefix of ['COPY go.mod', 'RUN go mod download', 'COPY . .', 'RUN go build', 'COPY --from=build']) {
      assert.equal(stateOn(json, lineOf(dir, prefix)), 'cached', `line ${lineOf(dir, prefix)} (${prefix}) is cached in the second build`);
    }
    assert.equal(json.summary.cached, json.summary.total);
    assert.equal(json.summary.exitCode, 0);
    assert.equal(json.record.unplaced, 0);

    // The text output says so on the same lines.
    const text = await history(path.join(dir, 'Dockerfile'));
    assert.equal(text.code, 0, text.err);
    assert.match(text.out.split('\n').find((l) => l.includes('RUN go build'))!, /✓ cached$/);
    assert.match(text.out, new RegExp(`^# build on ${BUILDER}, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC.*: ${json.summary.cached} of ${json.summary.total} steps cached$`, 'm'));

    const archive = path.join(tempDir('gdc-engine-records-'), 'second.dockerbuild');
    const exported = docker(['buildx', 'history', 'export', '--builder', BUILDER, '-o', archive, json.record.ref], 120_000);
    assert.equal(exported.status, 0, exported.stderr);
    const removed = docker(['buildx', 'history', 'rm', '--builder', BUILDER, ...refs.splice(0)], 60_000);
    assert.equal(removed.status, 0, removed.stderr);
    const gone = await history(path.join(dir, 'Dockerfile'));
    assert.equal(gone.code, 2, 'with its records removed, the builder has none of this Dockerfile');
    assert.match(gone.err, /no build record of/);

    const fromArchive = await historyJson('--record', archive, path.join(dir, 'Dockerfile'));
    assert.deepEqual(fromArchive.steps, json.steps);
    assert.deepEqual(fromArchive.summary, json.summary);
    assert.equal(fromArchive.record.source, 'archive');
    assert.equal(fromArchive.record.file, archive);
    assert.equal(fromArchive.record.ref, json.record.ref);
  });

  it("a failing build's record marks the failing line with its error", async () => {
    const dir = copyExample('failing');
    const failed = buildxBuild(dir);
    assert.notEqual(failed.status, 0, 'the failing example fails');
    const json = await historyJson(path.join(dir, 'Dockerfile'));
    refs.push(json.record.ref);
    const failing = json.steps.find((s) => s.state === 'error');
    assert.ok(failing, `one step failed: ${JSON.stringify(json.steps.map((s) => [s.line, s.state]))}`);
    assert.equal(failing.line, lineOf(dir, 'RUN go test'));
    assert.match(failing.error ?? '', /exit code: 1/);
    assert.ok(failing.logs.some((l) => /FAIL/.test(l)), failing.logs.join('\n'));
    assert.equal(json.summary.exitCode, 1);
    assert.match(json.summary.error ?? '', /go test/);
  });
});
