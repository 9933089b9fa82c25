// The `.dockerbuild` reader on archives the real buildx wrote (test/fixtures/records, see its
// README) and on damaged copies of them: what the editor and `history` would show, or refuse.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRecordArchive, MEDIA } from '../../../../server/src/profile/records/archive';
import { loadArchiveBuild, RecordError } from '../../../../server/src/profile/records/load';
import { looksLikeCi, recordInfo } from '../../../../server/src/profile/records/record';
import { recordCostOrigin, recordLabel } from '../../../../server/src/profile/records/history';
import { decodeStatusStream } from '../../../../server/src/profile/records/status';
import { ArchiveError, readGzipTar } from '../../../../server/src/profile/records/tar';

const RECORDS = path.join(__dirname, '..', '..', '..', 'fixtures', 'records');
const archive = (name: string) => path.join(RECORDS, name);
const read = (name: string) => fs.readFileSync(archive(name));
const APP = path.join(RECORDS, 'app', 'Dockerfile');
const FAILING = path.join(RECORDS, 'failing', 'Dockerfile');
const appText = () => fs.readFileSync(APP, 'utf8');

/** [1-based line, state] of every annotated line. */
const states = (steps: { line: number; state: string }[]) => steps.map((s) => [s.line + 1, s.state]);

describe('.dockerbuild reader', () => {
  it('finds the history record, its status stream, trace and provenance', async () => {
    const [record, ...more] = await readRecordArchive(read('app-edited.dockerbuild'));
    assert.equal(more.length, 0);
    // The trace layer (application/vnd.buildkit.otlp.json.v0) is there only when the builder traced the build.
    assert.deepEqual(record.mediaTypes.filter((t) => t !== 'application/vnd.buildkit.otlp.json.v0'), [MEDIA.record, MEDIA.status, 'application/vnd.in-toto+json']);
    const info = recordInfo(record.record);
    assert.match(info.ref, /^[a-z0-9]{25}$/);
    assert.equal(info.dockerfileName, 'Dockerfile');
    assert.equal(info.contextPath, '/tmp/go-dockerfile-cache-records/app');
    assert.equal(info.dockerfilePath, '/tmp/go-dockerfile-cache-records/app/Dockerfile');
    assert.match(info.createdAt!, /^2026-12-06T/);
    assert.ok(Date.parse(info.completedAt!) > Date.parse(info.createdAt!));
    assert.equal(info.error, undefined);
  });

  it('decodes every length-prefixed StatusResponse of the stream', async () => {
    const [record] = await readRecordArchive(read('app-edited.dockerbuild'));
    const messages = decodeStatusStream(record.status[0]);
    assert.ok(messages.length >= 1);
    // Two streams back to back are twice the messages; one cut inside a length prefix is refused.
    assert.equal(decodeStatusStream(Buffer.concat([record.status[0], record.status[0]])).length, 2 * messages.length);
    assert.throws(() => decodeStatusStream(Buffer.concat([record.status[0], Buffer.from([1, 0])])), /ends inside a length prefix/);
    assert.throws(() => decodeStatusStream(record.status[0].subarray(0, record.status[0].length - 1)), /ends inside a message/);
    const names = new Set(messages.flatMap((m) => m.vertexes.map((v) => v.name)));
    assert.ok(names.has('[build 6/6] RUN go build -o /out/app .'));
    assert.ok(names.has('[stage-1 1/1] COPY --from=build /out/app /app'));
  });

  it('annotates the Dockerfile from the record of the second build: go.mod steps cached, the build after the source change ran', async () => {
    const build = await loadArchiveBuild(archive('app-edited.dockerbuild'), APP, appText());
    assert.deepEqual(states(build.steps), [[1, 'done'], [2, 'cached'], [3, 'cached'], [4, 'cached'], [5, 'done'], [6, 'done'], [9, 'done']]);
    const goBuild = build.steps.find((s) => s.line === 5)!;
    assert.ok(goBuild.durationMs! > 1000, `go build took ${goBuild.durationMs} ms in the record`);
    assert.equal(build.summary.cached, 3);
    assert.equal(build.summary.total, 6);
    assert.equal(build.summary.exitCode, 0);
    assert.ok(build.summary.totalMs >= goBuild.durationMs!);
    assert.equal(build.unplaced, 0);
    assert.deepEqual(build.origin, { source: 'archive', file: archive('app-edited.dockerbuild') });
  });

  it('annotates the first, uncached build: every step ran except the shared WORKDIR', async () => {
    const build = await loadArchiveBuild(archive('app-first.dockerbuild'), APP, appText());
    assert.deepEqual(states(build.steps), [[1, 'done'], [2, 'cached'], [3, 'done'], [4, 'done'], [5, 'done'], [6, 'done'], [9, 'done']]);
    assert.equal(build.unplaced, 0);
  });

  it("marks a failing build's failing line with its error and output", async () => {
    const build = await loadArchiveBuild(archive('failing.dockerbuild'), FAILING, fs.readFileSync(FAILING, 'utf8'));
    const failed = build.steps.find((s) => s.state === 'error')!;
    assert.equal(failed.line + 1, 6);
    assert.equal(failed.instruction, 'RUN go test ./...');
    assert.match(failed.error!, /"\/bin\/sh -c go test \.\/\.\.\." did not complete successfully: exit code: 1/);
    assert.ok(failed.logs.some((l) => l.includes('want "goodbye"')), failed.logs.join('\n'));
    assert.equal(build.summary.exitCode, 1);
    assert.match(build.summary.error!, /go test/);
    assert.equal(build.info.error, build.summary.error);
    // The record lists the steps after the failure but never started them: nothing to show there
    // (they did not run, they were not cancelled).
    assert.deepEqual(states(build.steps.filter((s) => s.line > 5)), []);
  });

  it('places only the instructions that still read the same after an edit, and counts the rest', async () => {
    const edited = appText().replace('RUN go build -o /out/app .', 'RUN go build -trimpath -o /out/app .');
    const build = await loadArchiveBuild(archive('app-edited.dockerbuild'), APP, edited);
    assert.deepEqual(states(build.steps), [[1, 'done'], [2, 'cached'], [3, 'cached'], [4, 'cached'], [5, 'done'], [9, 'done']]);
    assert.equal(build.unplaced, 1);
    assert.equal(build.recordedSteps, 7);
  });

  it('follows instructions that moved to other lines', async () => {
    const moved = appText().replace('WORKDIR /src\n', 'WORKDIR /src\nENV CGO_ENABLED=0\n\n');
    const build = await loadArchiveBuild(archive('app-edited.dockerbuild'), APP, moved);
    assert.deepEqual(states(build.steps), [[1, 'done'], [2, 'cached'], [5, 'cached'], [6, 'cached'], [7, 'done'], [8, 'done'], [11, 'done']]);
  });

  it("refuses a record of another Dockerfile, naming the record's file", async () => {
    const other = path.join(RECORDS, '..', 'progress', 'multistage.Dockerfile');
    await assert.rejects(loadArchiveBuild(archive('app-edited.dockerbuild'), other, fs.readFileSync(other, 'utf8')),
      (error: Error) => error instanceof RecordError && /the record is of \/tmp\/go-dockerfile-cache-records\/app\/Dockerfile/.test(error.message));
  });
});

describe('.dockerbuild reader on damaged archives', () => {
  const refuses = (name: string, message: RegExp) => assert.rejects(loadArchiveBuild(archive(`damaged/${name}`), APP, appText()),
    (error: Error) => error instanceof RecordError && message.test(error.message));

  it('a truncated archive', () => refuses('truncated.dockerbuild', /damaged archive: .*(ends early|truncated)/));
  it('a blob that does not match its digest', () => refuses('wrong-digest.dockerbuild', /the status stream does not match its sha256 digest/));
  it('an entry whose name leaves the archive', () => refuses('path-escape.dockerbuild', /refused: .*"\.\.\/\.\.\/etc\/cron\.d\/evil", which points outside it/));
  it('an unknown media type', () => refuses('unknown-media-type.dockerbuild', /unknown media type "application\/vnd\.example\.unknown\.v1"/));
  it('a record with no status stream', () => refuses('no-status.dockerbuild', /has no status stream/));
  it('a file that is no archive at all', () => refuses('../app/Dockerfile', /not gzip-compressed/));

  it('a decompression bomb, at the byte cap, with memory bounded by it', async () => {
    const bomb = read('damaged/bomb.dockerbuild');
    const limits = { maxArchiveBytes: 1 << 20, maxTotalBytes: 8 << 20, maxEntries: 100, maxEntryBytes: 128 << 20 };
    const before = process.memoryUsage().rss;
    await assert.rejects(readGzipTar(bomb, () => true, limits), (error: Error) => error instanceof ArchiveError && /inflates to more than 8388608 bytes/.test(error.message));
    assert.ok(process.memoryUsage().rss - before < 64 << 20, 'the reader stopped near its cap');
    // With the default limits its first 100 MiB entry is refused at its header.
    await refuses('bomb.dockerbuild', /refused: the archive entry "blobs\/sha256\/0{64}" is larger than/);
  });

  it('an entry larger than the entry cap, at its header', async () => {
    const limits = { maxArchiveBytes: 1 << 20, maxTotalBytes: 1 << 30, maxEntries: 100, maxEntryBytes: 1 << 20 };
    await assert.rejects(readGzipTar(read('damaged/bomb.dockerbuild'), () => true, limits), /is larger than 1048576 bytes/);
  });

  it('more entries than the entry cap', async () => {
    const limits = { maxArchiveBytes: 1 << 20, maxTotalBytes: 1 << 30, maxEntries: 3, maxEntryBytes: 1 << 30 };
    await assert.rejects(readGzipTar(read('app-edited.dockerbuild'), () => true, limits), /more than 3 entries/);
  });
});

describe('where a record was built', () => {
  const info = (contextPath: string) => recordInfo({ Ref: 'r', FrontendAttrs: { filename: 'Dockerfile' }, localState: { LocalPath: contextPath, DockerfilePath: '' } });

  it('calls a record built in a GitHub Actions or GitLab CI workspace a CI record', () => {
    assert.equal(looksLikeCi(info('/home/runner/work/shop/shop')), true);
    assert.equal(looksLikeCi(info('/__w/shop/shop')), true);
    assert.equal(looksLikeCi(info('/builds/team/shop')), true);
    assert.equal(looksLikeCi(info('/home/ann/src/shop')), false);
    assert.equal(looksLikeCi(recordInfo({ Ref: 'r' })), false);
  });

  it("labels the annotations with the record's origin and date", async () => {
    const build = await loadArchiveBuild(archive('app-edited.dockerbuild'), APP, appText());
    assert.match(recordLabel(build, false), /^record app-edited\.dockerbuild, 2026-12-06 \d\d:\d\d UTC$/);
    assert.match(recordLabel(build, true), /^CI record app-edited\.dockerbuild, 2026-12-06 \d\d:\d\d UTC$/);
    assert.match(recordLabel({ ...build, origin: { source: 'builder', builder: 'ci-cache' } }, false), /^build on ci-cache, 2026-12-06/);
    assert.equal(recordCostOrigin(build, true), 'the CI build of 2026-12-06');
    assert.equal(recordCostOrigin(build, false), 'the recorded build of 2026-12-06 (app-edited.dockerbuild)');
    assert.equal(recordCostOrigin({ ...build, origin: { source: 'builder', builder: 'ci-cache' } }, false), 'the build of 2026-12-06 on ci-cache');
  });
});
