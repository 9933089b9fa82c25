// A process that analyses a Dockerfile before the shell grammar has loaded (the extension's build
// profiler reads Dockerfiles without it) must find every Go command in the same text once it has:
// Measure the Fix in the editor, after a Build and Profile, had found nothing to fix.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const script = `
const { analyze } = require(${JSON.stringify(path.resolve(__dirname, '../../server/src/analysis/analyze'))});
const { loadShellParser } = require(${JSON.stringify(path.resolve(__dirname, '../../server/src/analysis/parse/bashGrammar'))});
const { memoryContext } = require(${JSON.stringify(path.resolve(__dirname, '../../server/src/analysis/model/context'))});
const text = 'FROM golang:1.26 AS build\\nWORKDIR /src\\nCOPY . .\\nRUN go mod download\\nRUN go build -o /out/app .\\n';
const context = memoryContext({ 'go.mod': 'module example.com/app\\n\\ngo 1.26\\n\\nrequire github.com/google/uuid v1.3.0\\n', 'go.sum': 'x', 'main.go': 'package main\\nfunc main() {}\\n' });
const rules = (r) => [...new Set(r.findings.map((f) => f.rule))].sort().join(',');
const before = rules(analyze(text, { context }));
loadShellParser().then(() => console.log(JSON.stringify({ before, after: rules(analyze(text, { context })) })));
`;

describe('the shell grammar loading after a first analysis', () => {
  it('an analysis before it reads no RUN; the same text analysed after it gets GD001 and GD003', () => {
    // A fresh process without the test runner's preload of the grammar.
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const { before, after } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { before: string; after: string };
    assert.ok(!before.split(',').includes('GD001'), `no RUN is read before the grammar loads: ${before}`);
    assert.ok(after.split(',').includes('GD001') && after.split(',').includes('GD003'), `the same text, analysed again: ${after}`);
  });
});
