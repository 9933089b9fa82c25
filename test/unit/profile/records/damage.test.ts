// Any damage to a real record file ends in a clear error or a result, never a crash: bytes changed
// at random in the compressed file, and in the tar inside it (so the tar reader, the JSON, the
// digests and the protobuf decoder see the damage, not only gzip's checksum).
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readRecordArchive } from '../../../../server/src/profile/records/archive';
import { statusEvents } from '../../../../server/src/profile/records/status';
import { ArchiveError } from '../../../../server/src/profile/records/tar';

const RECORD = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'fixtures', 'records', 'app-edited.dockerbuild'));

/** Deterministic, so a failure names the round that broke. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function damaged(bytes: Buffer, next: () => number): Buffer {
  const copy = Buffer.from(bytes);
  const changes = 1 + Math.floor(next() * 4);
  for (let i = 0; i < changes; i++) copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
  return next() < 0.2 ? copy.subarray(0, Math.floor(next() * copy.length)) : copy;
}

async function outcome(archive: Buffer): Promise<'read' | 'refused'> {
  try {
    for (const record of await readRecordArchive(archive)) statusEvents(record.status);
    return 'read';
  } catch (error) {
    assert.ok(error instanceof ArchiveError, `a clear error, not ${(error as Error).stack}`);
    return 'refused';
  }
}

describe('.dockerbuild reader on randomly damaged archives', () => {
  it('the compressed file: 150 damaged copies', async () => {
    const next = random(19);
    const seen = { read: 0, refused: 0 };
    for (let round = 0; round < 150; round++) seen[await outcome(damaged(RECORD, next))]++;
    assert.ok(seen.refused > 0);
  });

  it('the tar inside: 300 damaged copies, compressed again', async () => {
    const tar = gunzipSync(RECORD);
    const next = random(7);
    const seen = { read: 0, refused: 0 };
    for (let round = 0; round < 300; round++) seen[await outcome(gzipSync(damaged(tar, next)))]++;
    // Most changes hit a blob whose digest then fails; a change in padding is read as before.
    assert.ok(seen.refused > 100, JSON.stringify(seen));
  });
});
