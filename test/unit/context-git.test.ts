// GD013 speaks of the .git a build context holds: a context that is the repository's root sends it,
// one that is a folder of the repository (a service of a monorepo, an example) has none to send.
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
