// `profile --format json` and `profile --summary-file`: recorded BuildKit transcripts through the
// same code the CLI runs, from the command line (a stand-in docker that replays the transcript)
// down to the JSON and the Markdown table.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runProfileCommand } from '../../../server/src/profile/profile-cli';
import { profileJson } from '../../../server/src/profile/report-json';
import { markdownCode, markdownText, profileMarkdown } from '../../../server/src/profile/summary-markdown';
import { PROGRESS_FIXTURES, fixture, replay } from './transcripts';
import { tempDir } from './temp';
import { captureIo } from './io';

/** A docker that answers the rawjson probe with no, and replays `transcript` as `docker build`. */
function replayingDocker(transcript: string, exitCode: number): string {
  const dir = tempDir('gdc-fake-docker-');
  const script = path.join(dir, 'docker');
  fs.writeFileSync(script, `#!/bin/sh\ncase " $* " in\n  *" build "*--progress=plain*) cat '${path.join(PROGRESS_FIXTURES, transcript)}' >&2; exit ${exitCode} ;;\n  *) exit 1 ;;\nesac\n`);
  fs.chmodSync(script, 0o755);
  return script;
}

function project(dockerfile: string): string {
  const dir = tempDir('gdc-profile-report-');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), fixture(dockerfile));
  return path.join(dir, 'Dockerfile');
}

describe('profile --format json', () => {
  it('prints the version 1 shape: every step with 1-based lines, state, time, and the summary', async () => {
    const io = captureIo();
    const file = project('failing.Dockerfile');
    const code = await runProfileCommand(['--format', 'json', '--docker', replayingDocker('failing-run.txt', 1), file], io);
    assert.equal(code, 1, io.err());
    const report = JSON.parse(io.out());
    assert.deepEqual(Object.keys(report), ['version', 'file', 'steps', 'summary']);
    assert.equal(report.version, 1);
    assert.equal(report.file, file);
    assert.deepEqual(Object.keys(report.steps[0]), ['line', 'endLine', 'instruction', 'stage', 'state', 'durationMs', 'share', 'cached', 'error', 'missReason', 'logs']);
    const byLine = new Map(report.steps.map((s: { line: number }) => [s.line, s]));
    assert.deepEqual(byLine.get(2), { line: 2, endLine: 2, instruction: 'WORKDIR /src', stage: 'build', state: 'cached', durationMs: null, share: null, cached: true, error: null, missReason: null, logs: [] });
    const test = byLine.get(6) as { state: string; error: string; durationMs: number; logs: string[] };
    assert.equal(test.state, 'error');
    assert.match(test.error, /go test \.\/\.\.\..*exit code: 1/);
    assert.ok(test.durationMs > 0);
    assert.ok(test.logs.some((l) => l.includes('add(2, 2) = 0, want 4')));
    assert.equal((byLine.get(7) as { state: string }).state, 'not-run');
    assert.deepEqual(Object.keys(report.summary), ['totalMs', 'cached', 'total', 'exitCode', 'canceled', 'error', 'slowest']);
    assert.deepEqual([report.summary.cached, report.summary.total, report.summary.exitCode, report.summary.canceled], [1, 7, 1, false]);
    assert.equal(report.summary.slowest[0].line, 6);
    assert.ok(!io.out().includes('WORKDIR /src   '), 'no annotated Dockerfile in JSON mode');
  });

  it('says cached for every step of a fully cached build, and exits 0', async () => {
    const io = captureIo();
    const code = await runProfileCommand(['--format=json', '--docker', replayingDocker('naive-cached.txt', 0), project('naive.Dockerfile')], io);
    assert.equal(code, 0, io.err());
    const report = JSON.parse(io.out());
    const cacheable = report.steps.filter((s: { instruction: string }) => !s.instruction.startsWith('FROM'));
    assert.ok(cacheable.length >= 4);
    assert.ok(cacheable.every((s: { state: string; cached: boolean }) => s.state === 'cached' && s.cached));
    assert.equal(report.summary.cached, report.summary.total);
  });

  it('rejects a format it does not know', async () => {
    const io = captureIo();
    assert.equal(await runProfileCommand(['--format', 'yaml', 'Dockerfile'], io), 2);
    assert.match(io.err(), /--format must be text or json, not "yaml"/);
  });

  it('keeps the same facts as the terminal text for parallel stages', () => {
    const build = replay('multistage-parallel.txt', 'multistage.Dockerfile');
    const report = profileJson('Dockerfile', build);
    assert.equal(report.steps.length, build.steps.length);
    for (const [i, step] of build.steps.entries()) {
      assert.equal(report.steps[i].line, step.line + 1);
      assert.equal(report.steps[i].state, step.state);
      assert.equal(report.steps[i].stage, step.stage ?? null);
    }
    assert.ok(new Set(report.steps.map((s) => s.stage)).size >= 2, 'steps of more than one stage');
  });
});

describe('profile --summary-file', () => {
  it('appends a Markdown table of steps with line, instruction, result and time', async () => {
    const io = captureIo();
    const summaryFile = path.join(tempDir('gdc-summary-'), 'summary.md');
    fs.writeFileSync(summaryFile, '## Earlier step\n\n');
    const code = await runProfileCommand(['--summary-file', summaryFile, '--docker', replayingDocker('failing-run.txt', 1), project('failing.Dockerfile')], io);
    assert.equal(code, 1);
    assert.match(io.out(), /RUN go test \.\/\.\.\. +✗/, 'the terminal text is still printed');
    const markdown = fs.readFileSync(summaryFile, 'utf8');
    assert.ok(markdown.startsWith('## Earlier step\n\n### Build profile: `'), 'appended, not overwritten');
    const rows = markdown.split('\n').filter((l) => l.startsWith('| '));
    assert.equal(rows[0], '| Line | Instruction | Result | Time |');
    assert.ok(rows.includes('| 2 | `WORKDIR /src` | ✓ cached |  |'), rows.join('\n'));
    assert.ok(rows.some((r) => /^\| 4 \| `RUN go mod download` \| ran \| 0\.1 s \(\d+%\) \|$/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /^\| 6 \| `RUN go test \.\/\.\.\.` \| ✗ executor failed running \\\[\/bin\/sh -c go test \.\/\.\.\.\\\]: exit code: 1 \| 5\.8 s \(98%\) \|$/.test(r)), rows.join('\n'));
    assert.ok(rows.includes('| 7 | `RUN go build -o /out/app .` | not run |  |'));
    assert.match(markdown, /Build failed after [\d.]+ s · 1 of 7 steps cached/);
    assert.match(markdown, /<details><summary>Output of line 6<\/summary>\n\n```\n[^]*add\(2, 2\) = 0, want 4[^]*\n```\n\n<\/details>/);
  });

  it('every table row has four cells, whatever the instruction or error holds', () => {
    const build = replay('failing-run.txt', 'failing.Dockerfile', { exitCode: 1 });
    const step = build.on('RUN go test');
    step.instruction = 'RUN echo "a|b" `x` && go test ./...';
    step.error = 'failed: <script>|*bold*';
    const markdown = profileMarkdown('svc/Dockerfile', build);
    const row = markdown.split('\n').find((l) => l.startsWith('| 6 |'))!;
    assert.equal(row.split(/(?<!\\)\|/).length - 2, 4, row);
    assert.ok(row.includes('``RUN echo "a\\|b" `x` && go test ./...``'), row);
    assert.ok(row.includes('✗ failed: &lt;script&gt;\\|\\*bold\\*'), row);
    assert.equal(markdownCode('`x`'), '`` `x` ``');
    assert.equal(markdownText('a_b [c](d)'), 'a\\_b \\[c\\]\\(d\\)');
  });

  it('says why when docker is missing, and the command exits 2', async () => {
    const io = captureIo();
    const summaryFile = path.join(tempDir('gdc-summary-'), 'summary.md');
    assert.equal(await runProfileCommand(['--summary-file', summaryFile, '--docker', '/nonexistent/docker', project('naive.Dockerfile')], io), 2);
    assert.match(fs.readFileSync(summaryFile, 'utf8'), /The build could not start: Docker is not installed/);
  });
});
