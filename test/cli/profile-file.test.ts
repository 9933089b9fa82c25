// check --profile-file: findings carry what they cost in a saved profiled build.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.join(__dirname, '..', '..', 'server', 'out', 'cli.js');
const DOCKERFILE = ['FROM golang:1.26 AS build', 'WORKDIR /src', 'COPY . .', 'RUN go mod download', 'RUN go build -o /out/app .', '', 'FROM scratch', 'COPY --from=build /out/app /app', ''].join('\n');

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gdc-cli-profile-'));
  const files: Record<string, string> = {
    'go.mod': 'module example.com/app\n\ngo 1.26\n\nrequire github.com/google/uuid v1.6.0\n',
    'go.sum': 'github.com/google/uuid v1.6.0 h1:x\n',
    'main.go': 'package main\n\nfunc main() {}\n',
    Dockerfile: DOCKERFILE,
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  // What `profile --format json` writes after a one-line change to main.go.
  const lines = DOCKERFILE.split('\n');
  const step = (line: number, state: string, durationMs: number | null) => ({ line: line + 1, endLine: line + 1, instruction: lines[line], stage: null, state, durationMs, share: null, cached: state === 'cached', error: null, missReason: null, logs: [] });
  fs.writeFileSync(path.join(dir, 'profile.json'), JSON.stringify({
    version: 1,
    file: 'Dockerfile',
    steps: [step(1, 'cached', null), step(2, 'done', 150), step(3, 'done', 21_300), step(4, 'done', 12_750), step(7, 'done', 100)],
    summary: { totalMs: 35_000, cached: 1, total: 5, exitCode: 0, canceled: false, error: null, slowest: [] },
  }));
  return dir;
}

function check(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, 'check', ...args, path.join(dir, 'Dockerfile')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'false' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('check --profile-file', () => {
  it('JSON: the cache-miss finding gets measuredSeconds and its message the cost; other findings stay as they were', () => {
    const dir = project();
    const { stdout, stderr } = check(dir, '--format', 'json', '--profile-file', path.join(dir, 'profile.json'));
    const { version, findings } = JSON.parse(stdout);
    assert.equal(version, 1, stderr);
    const gd001 = findings.find((f: { rule: string }) => f.rule === 'GD001');
    assert.ok(gd001, stdout);
    assert.equal(gd001.measuredSeconds, 34.2);
    assert.match(gd001.message, /In the profiled build \(profile\.json\) this step and the 2 after it rebuilt: 34\.2 s\.$/);
    const gd012 = findings.find((f: { rule: string }) => f.rule === 'GD012');
    assert.equal(gd012?.measuredSeconds, undefined);
    const plain = JSON.parse(check(dir, '--format', 'json').stdout).findings.find((f: { rule: string }) => f.rule === 'GD001');
    assert.equal('measuredSeconds' in plain, false, 'without a profile the field is absent');
  });

  it('SARIF: the result carries the seconds as a property', () => {
    const dir = project();
    const sarif = JSON.parse(check(dir, '--format', 'sarif', '--profile-file', path.join(dir, 'profile.json')).stdout);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'GD001');
    assert.deepEqual(result.properties, { measuredSeconds: 34.2 });
  });

  it('a file that is not a saved profile is a usage error, exit 2', () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"version":2}');
    const bad = check(dir, '--profile-file', path.join(dir, 'bad.json'));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /is not a profile of version 1/);
    const missing = check(dir, '--profile-file', path.join(dir, 'none.json'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file/);
  });
});
