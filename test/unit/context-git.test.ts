// GD013 and GD009 speak of the .git a build context holds: a context that is the repository's root
// sends it, one that is a folder of the repository (a service of a monorepo, an example) has none
// to send. GD001 speaks of the module the context holds: Go files of no go.mod are not its source.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../../server/src/analysis/analyze';
import { memoryContext } from '../../server/src/analysis/model/context';

const MODULE = { 'go.mod': 'module example.com/app\n\ngo 1.22\n', 'go.sum': '', 'main.go': 'package main\n\nfunc main() {}\n' };
const DOCKERFILE = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n';

describe('the .git of the build context (GD013)', () => {
  it('is reported where the context is the repository root', () => {
    const context = memoryContext({ ...MODULE, '.git/HEAD': 'ref: refs/heads/main\n' }, '/work/app');
    const found = analyze(DOCKERFILE, { context, only: ['GD013'] }).findings;
    assert.deepEqual(found.map((f) => [f.rule, f.range.start.line]), [['GD013', 2]]);
  });
  it('is not reported where the context has no .git of its own', () => {
    const context = memoryContext(MODULE, '/work/monorepo/services/app');
    assert.deepEqual(analyze(DOCKERFILE, { context, only: ['GD013'] }).findings, []);
  });
});

describe('a context folder that is not the module (GD009, GD001)', () => {
  const STAMPED = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -ldflags "-X main.commit=$(git rev-parse --short HEAD)" -o /out/app .\n';

  it('a git stamp reads the context\'s .git where it has one, and no .git of the context where it has none', () => {
    const root = memoryContext({ ...MODULE, '.git/HEAD': 'ref: refs/heads/main\n' }, '/work/app');
    assert.deepEqual(analyze(STAMPED, { context: root, only: ['GD009'] }).findings.map((f) => f.rule), ['GD009']);
    const folder = memoryContext(MODULE, '/work/repo/docker');
    assert.deepEqual(analyze(STAMPED, { context: folder, only: ['GD009'] }).findings, []);
  });

  it('copying a folder of scripts and stray Go files is no module source to copy go.mod ahead of', () => {
    // The source comes with a clone when the context lacks it (`if [ ! -d cmd ]`): the context is a folder of tooling.
    const dockerfile = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN if [ ! -d cmd ]; then git clone https://example.com/app.git /tmp/app && cp -a /tmp/app/. .; fi && cd cmd/app && go install .\n';
    const tools = memoryContext({ 'build.sh': '#!/bin/sh\n', 'hack/gen.go': 'package main\n' }, '/work/repo/docker');
    assert.deepEqual(analyze(dockerfile, { context: tools, only: ['GD001'] }).findings, []);
    const module = memoryContext({ ...MODULE, 'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n' }, '/work/app');
    assert.deepEqual(analyze(dockerfile, { context: module, only: ['GD001'] }).findings.map((f) => f.rule), ['GD001']);
  });
});

describe('a Dockerfile the classic builder also builds (a Go test program through Docker\'s API)', () => {
  // The program imports the module go.mod requires: building it downloads that module.
  const context = memoryContext({ ...MODULE, 'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', 'main.go': 'package main\n\nimport _ "github.com/google/uuid"\n\nfunc main() {}\n' }, '/work/app');
  const dockerfile = 'FROM golang:1.22-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n\nFROM alpine:3.20\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n';
  const classic = { file: 'integration/run.go', line: 7, system: 'script' as const, cacheTo: [], cacheToUnknown: false, cacheFrom: [], restoresCacheMounts: false, selfHosted: false, local: true, classic: true };

  it('asks for no cache mount, which that builder rejects, and moves the download without one', () => {
    const plain = analyze(dockerfile, { context, only: ['GD001', 'GD003'] }).findings;
    assert.deepEqual(plain.map((f) => f.rule).sort(), ['GD001', 'GD003']);
    assert.match(plain.find((f) => f.rule === 'GD001')!.fixes[0].edits.map((e) => e.newText).join(''), /--mount=type=cache/);
    const built = analyze(dockerfile, { context, only: ['GD001', 'GD003'], buildsIn: { where: 'local', source: 'no-ci-files', classicBuilder: classic } }).findings;
    assert.deepEqual(built.map((f) => f.rule), ['GD001']);
    const edits = built[0].fixes[0].edits.map((e) => e.newText).join('');
    assert.match(edits, /RUN go mod download/);
    assert.doesNotMatch(edits, /--mount/);
  });
});
