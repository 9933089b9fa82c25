// `history` in the terminal on the recorded archives: the annotated Dockerfile, the JSON, the
// note about edited lines, and status 2 with a message for everything it cannot show.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runHistoryCommand } from '../../../../server/src/profile/records/history-cli';
import { tempDir } from '../temp';
import { captureIo } from '../io';

const RECORDS = path.join(__dirname, '..', '..', '..', 'fixtures', 'records');
const APP = path.join(RECORDS, 'app', 'Dockerfile');

async function history(...argv: string[]) {
  const io = captureIo();
  const code = await runHistoryCommand(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('history command on a .dockerbuild file', () => {
  it('prints the Dockerfile with each step of the recorded build after its line, and the summary', async () => {
    const { code, out, err } = await history('--record', path.join(RECORDS, 'app-edited.dockerbuild'), APP);
    assert.equal(code, 0, err);
    const lines = out.split('\n');
    assert.match(lines[0], /^# record app-edited\.dockerbuild, 2026-12-06 \d\d:\d\d UTC, [\d.]+ s: 3 of 6 steps cached$/);
    assert.equal(lines[1], '# it built /tmp/go-dockerfile-cache-records/app/Dockerfile');
    assert.match(lines.find((l) => l.includes('COPY go.mod ./'))!, /✓ cached$/);
    assert.match(lines.find((l) => l.includes('RUN go mod download'))!, /✓ cached$/);
    assert.match(lines.find((l) => l.includes('RUN go build'))!, /\d+\.\d s$/);
    assert.ok(lines.includes('Steps cached: 3 / 6'), out);
    assert.ok(!out.includes('could not be placed'));
  });

  it('says how many recorded steps no longer fit an edited Dockerfile', async () => {
    const dir = tempDir('gdc-history-');
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, fs.readFileSync(APP, 'utf8').replace('COPY . .', 'COPY main.go ./'));
    const { code, out } = await history('--record', path.join(RECORDS, 'app-edited.dockerbuild'), file);
    assert.equal(code, 0);
    assert.doesNotMatch(out.split('\n').find((l) => l.includes('COPY main.go ./'))!, /cached|\d s/);
    assert.match(out, /^1 of the record's 7 steps could not be placed: no instruction reads as they do \(changed since the build\)$/m);
  });

  it('gives profile --format json plus the record', async () => {
    const archive = path.join(RECORDS, 'failing.dockerbuild');
    const failing = path.join(RECORDS, 'failing', 'Dockerfile');
    const { code, out } = await history('--format', 'json', '--record', archive, failing);
    assert.equal(code, 0);
    const json = JSON.parse(out);
    assert.equal(json.version, 1);
    assert.equal(json.file, failing);
    const failed = json.steps.find((s: { state: string }) => s.state === 'error');
    assert.equal(failed.line, 6);
    assert.match(failed.error, /go test/);
    assert.equal(json.summary.exitCode, 1);
    assert.deepEqual(Object.keys(json.record).sort(), ['createdAt', 'dockerfile', 'file', 'ref', 'source', 'unplaced']);
    assert.equal(json.record.source, 'archive');
    assert.equal(json.record.file, archive);
    assert.equal(json.record.dockerfile, '/tmp/go-dockerfile-cache-records/failing/Dockerfile');
    assert.match(json.record.createdAt, /^2026-12-06T/);
  });

  it('exits 2 with a message for a damaged archive, another Dockerfile, or a missing file', async () => {
    const cases: [string[], RegExp][] = [
      [['--record', path.join(RECORDS, 'damaged', 'wrong-digest.dockerbuild'), APP], /^history: damaged archive: the status stream does not match its sha256 digest\n$/],
      [['--record', path.join(RECORDS, 'damaged', 'no-status.dockerbuild'), APP], /has no status stream/],
      [['--record', path.join(RECORDS, 'app-edited.dockerbuild'), path.join(RECORDS, '..', 'progress', 'multistage.Dockerfile')], /the record is of \/tmp\/go-dockerfile-cache-records\/app\/Dockerfile, not/],
      [['--record', path.join(RECORDS, 'nothing.dockerbuild'), APP], /cannot read .*nothing\.dockerbuild: no such file/],
      [['--record', path.join(RECORDS, 'app-edited.dockerbuild'), path.join(RECORDS, 'missing', 'Dockerfile')], /cannot read/],
      [['--format', 'yaml', APP], /--format must be text or json/],
      [[], /which Dockerfile\?/],
    ];
    for (const [argv, message] of cases) {
      const { code, out, err } = await history(...argv);
      assert.equal(code, 2, argv.join(' '));
      assert.equal(out, '');
      assert.match(err, message);
    }
  });
});
