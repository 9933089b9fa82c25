// Instruction flags read as BuildKit's Dockerfile frontend reads them: quotes removed, --mount
// split as CSV, values expanded with the instruction's ARG and ENV.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { isCopy, isRun, parseDockerfile } from '../../server/src/analysis/model/model';

const mountsOf = (text: string) => parseDockerfile(text).instructions.filter(isRun)[0].mounts;

describe('flag values as the frontend reads them', () => {
  it('removes the quotes around a mount option or the whole mount', () => {
    const text = 'FROM golang:1.22\nRUN --mount=type=cache,target="/go/pkg/mod" --mount="type=cache,target=/root/.cache/go-build,id=gb" --mount=type=cache,target=\'/tmp/x\' go build\n';
    const [mod, build, tmp] = mountsOf(text);
    assert.deepEqual([mod.type, mod.targetResolved, mod.target], ['cache', '/go/pkg/mod', '/go/pkg/mod']);
    // The target's range is the path inside the quotes, where a fix rewrites it.
    assert.deepEqual(mod.targetRange, { start: { line: 1, character: 31 }, end: { line: 1, character: 42 } });
    assert.deepEqual([build.type, build.targetResolved, build.id], ['cache', '/root/.cache/go-build', 'gb']);
    assert.deepEqual(build.targetRange, { start: { line: 1, character: 71 }, end: { line: 1, character: 92 } });
    assert.equal(tmp.targetResolved, '/tmp/x');
  });

  it('reads CSV-quoted fields and case-insensitive keys and types', () => {
    const [mount] = mountsOf('FROM golang:1.22\nRUN --mount=\'Type=Cache,"target=/a,b",ID=x\' go build\n');
    assert.deepEqual([mount.type, mount.target, mount.id], ['cache', '/a,b', 'x']);
  });

  it('expands every option with the ARG and ENV in scope, and keeps what is only known at build time', () => {
    const text = 'FROM golang:1.22\nARG UID=1000\nARG CACHE_ID\nENV DIR=/cache\nRUN --mount=type=cache,target=${DIR}/go,uid=${UID},gid="$UID",id=${CACHE_ID} go build\n';
    const [mount] = mountsOf(text);
    assert.deepEqual([mount.targetResolved, mount.uid, mount.gid, mount.id], ['/cache/go', '1000', '1000', '${CACHE_ID}']);
  });

  it('gives a mount the frontend refuses no type a rule knows', () => {
    for (const flag of ['--mount=', '--mount=\'type=cache,tar"get=/x\'', '--mount=\'"type=cache\'']) {
      const [mount] = mountsOf(`FROM golang:1.22\nRUN ${flag} go build\n`);
      assert.equal(mount.type, 'invalid', flag);
    }
  });

  it('removes the quotes of COPY --from and FROM --platform', () => {
    const model = parseDockerfile('FROM --platform="$BUILDPLATFORM" golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from="build" /app /app\n');
    assert.equal(model.stages[0].image.platform?.value, '$BUILDPLATFORM');
    const copy = model.instructions.filter(isCopy)[0];
    assert.equal(copy.from?.value, 'build');
    assert.equal(copy.from?.stage, model.stages[0]);
  });
});
