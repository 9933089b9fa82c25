// The CLI as CI uses it: a real process, its exit code, its stdout contract.
import { describe, it, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'server', 'out', 'cli.js');
const NAIVE = ['FROM golang:1.19 AS build', 'WORKDIR /src', 'COPY . .', 'RUN go mod download', 'RUN go build -o /out/app .', '', 'FROM scratch', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]', ''].join('\n');

function run(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A temp Go module with the naive Dockerfile. */
function project(dockerfile = NAIVE, files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gdc-cli-'));
  const all = { 'go.mod': 'module example.com/app\n\ngo 1.19\n\nrequire github.com/google/uuid v1.6.0\n', 'go.sum': '', 'main.go': 'package main\n\nfunc main() {}\n', Dockerfile: dockerfile, ...files };
  for (const [name, content] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe('go-dockerfile-cache CLI', () => {
  before(() => assert.ok(fs.existsSync(CLI), 'run `npm run build` first'));

  it('check --format json follows the version 1 contract and exits 1 on warnings', () => {
    const dir = project();
    const { code, stdout } = run(['check', '--format', 'json', path.join(dir, 'Dockerfile')]);
    assert.equal(code, 1);
    const report = JSON.parse(stdout);
    assert.equal(report.version, 1);
    const gd001 = report.findings.find((f: { rule: string }) => f.rule === 'GD001');
    assert.deepEqual(Object.keys(gd001).sort(), ['column', 'endColumn', 'endLine', 'file', 'fixable', 'line', 'message', 'name', 'rule', 'severity']);
    assert.deepEqual([gd001.line, gd001.column, gd001.endLine, gd001.endColumn, gd001.severity, gd001.fixable, gd001.name], [3, 6, 3, 7, 'warning', true, 'source-before-module-download']);
    assert.equal(gd001.file, path.join(dir, 'Dockerfile'));
  });

  it('--fail-on decides the exit code', () => {
    const file = path.join(project(), 'Dockerfile');
    assert.equal(run(['check', '--fail-on', 'none', file]).code, 0);
    assert.equal(run(['check', '--fail-on', 'warning', file]).code, 1);
    const infoOnly = path.join(project(NAIVE, {}), 'Dockerfile');
    const onlyInfo = run(['check', '--format', 'json', '--fail-on', 'error', infoOnly]);
    const hasError = JSON.parse(onlyInfo.stdout).findings.some((f: { severity: string }) => f.severity === 'error');
    assert.equal(onlyInfo.code, hasError ? 1 : 0);
  });

  it('a Dockerfile that builds no Go is clean', () => {
    const file = path.join(project('FROM node:20\nCOPY . .\nRUN npm ci\n'), 'Dockerfile');
    const { code, stdout } = run(['check', file]);
    assert.equal(code, 0);
    assert.match(stdout, /No problems found/);
  });

  it('text output names the file, position, rule and message', () => {
    const file = path.join(project(), 'Dockerfile');
    const { stdout } = run(['check', file]);
    assert.match(stdout, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
    assert.match(stdout, /3:6\s+warning\s+GD001\s+`COPY \.` copies the module source/);
    assert.match(stdout, /fixable with `go-dockerfile-cache fix`/);
  });

  it('check --format sarif is valid SARIF 2.1.0 with rule help', () => {
    const dir = project();
    const { stdout } = run(['check', '--format', 'sarif', 'Dockerfile'], dir);
    const log: { runs: { tool: { driver: { rules: { id: string; help: { markdown: string } }[] } }; results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] } = JSON.parse(stdout);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    // The published schema's language-code pattern is not a valid unicode regular expression.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const valid = ajv.validate(schema, structuredClone(log));
    assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 5)));
    const driver = log.runs[0].tool.driver;
    assert.ok(driver.rules.length >= 2);
    const gd001 = driver.rules.find((r: { id: string }) => r.id === 'GD001');
    assert.match(gd001!.help.markdown, /## Why it matters/);
    assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'Dockerfile');
  });

  it('usage and read errors exit 2 with a clear message', () => {
    assert.equal(run([]).code, 2);
    const missing = run(['check', '/nonexistent/Dockerfile']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read \/nonexistent\/Dockerfile: no such file/);
    const badFormat = run(['check', '--format', 'xml', 'Dockerfile']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be text, json, sarif, github, checkstyle or gitlab, not "xml"/);
    assert.match(run(['fix', '--rule', 'GD999', 'Dockerfile']).stderr, /unknown rule "GD999"/);
    assert.equal(run(['check', '--bogus', 'Dockerfile']).code, 2);
  });

  it('--rules turns a rule off or changes its severity', () => {
    const file = path.join(project(), 'Dockerfile');
    const off = JSON.parse(run(['check', '--format', 'json', '--rules', 'GD001=off', file]).stdout).findings;
    assert.ok(!off.some((f: { rule: string }) => f.rule === 'GD001'));
    const error = JSON.parse(run(['check', '--format', 'json', '--rules', 'GD001=error', file]).stdout).findings;
    assert.equal(error.find((f: { rule: string }) => f.rule === 'GD001').severity, 'error');
  });

  it('fix rewrites the file in place so that check no longer reports fixable findings', () => {
    const dir = project();
    const file = path.join(dir, 'Dockerfile');
    const fixed = run(['fix', file]);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stderr, /applied \d+ fix/);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.indexOf('RUN go mod download') < text.indexOf('COPY . .'), text);
    assert.match(text, /COPY go\.mod go\.sum \.\//);
    const after = JSON.parse(run(['check', '--format', 'json', file]).stdout).findings;
    // GD020's USER changes who runs the image: a suggestion that `fix` applies only when asked.
    assert.deepEqual(after.filter((f: { fixable: boolean }) => f.fixable).map((f: { rule: string }) => f.rule), ['GD020']);
  });

  it('fix leaves a fix that changes what the image does at run time out, says so, and applies it with --unsafe-fixes', () => {
    const dir = project();
    const file = path.join(dir, 'Dockerfile');
    const fixed = run(['fix', file]);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /^USER /m);
    // The line is the fixed file's: the FROM of the final image.
    const fromLine = fs.readFileSync(file, 'utf8').split('\n').indexOf('FROM scratch') + 1;
    assert.ok(fixed.stderr.includes(`Dockerfile:${fromLine}: GD020 not fixed`), fixed.stderr);
    assert.match(fixed.stderr, /Dockerfile:\d+: GD020 not fixed: "Run the final image as 65532:65532" changes what the image does at run time \(the image runs as 65532:65532, not root\); --unsafe-fixes applies it/);
    // Run again: the safe fixes are done, the suggestion is still listed, in JSON too.
    const json = run(['fix', '--format', 'json', file]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.version, 1);
    assert.deepEqual(report.applied, []);
    assert.deepEqual(report.skipped, [{ rule: 'GD020', line: fromLine, title: 'Run the final image as 65532:65532', unsafe: 'the image runs as 65532:65532, not root' }]);
    assert.deepEqual(report.remaining, []);
    const unsafe = run(['fix', '--unsafe-fixes', '--format', 'json', file]);
    assert.equal(unsafe.code, 0, unsafe.stderr);
    assert.deepEqual(JSON.parse(unsafe.stdout).applied, [{ rule: 'GD020', title: 'Run the final image as 65532:65532' }]);
    assert.deepEqual(JSON.parse(unsafe.stdout).skipped, []);
    assert.match(fs.readFileSync(file, 'utf8'), /^USER 65532:65532\nENTRYPOINT \["\/app"\]$/m);
    assert.doesNotMatch(unsafe.stderr, /not fixed/);
  });

  it('check --help lists every output format and --fail-on, and exits 0 without reading a file', () => {
    for (const flag of ['--help', '-h']) {
      const help = run(['check', flag]);
      assert.equal(help.code, 0, help.stderr);
      assert.equal(help.stderr, '');
      assert.match(help.stdout, /--format F\s+text \(default\), json, sarif, github \(workflow commands\), checkstyle or gitlab/);
      assert.match(help.stdout, /--fail-on LEVEL\s+error, warning \(default\), info or none/);
    }
  });

  it('fix --help names --unsafe-fixes; --format json with --stdout is a usage error', () => {
    const help = run(['fix', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--unsafe-fixes\s+also apply the fixes that change what the image does at run time/);
    const both = run(['fix', '--format', 'json', '--stdout', path.join(project(), 'Dockerfile')]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--format json and --stdout both write to stdout/);
  });

  it('fix --stdout prints and writes nothing; --rule limits the fixes', () => {
    const dir = project();
    const file = path.join(dir, 'Dockerfile');
    const { stdout, code } = run(['fix', '--stdout', '--rule', 'GD003', file]);
    assert.equal(code, 0);
    assert.equal(fs.readFileSync(file, 'utf8'), NAIVE);
    assert.match(stdout, /RUN --mount=type=cache,target=\/root\/\.cache\/go-build go build/);
    assert.ok(stdout.indexOf('COPY . .') < stdout.indexOf('RUN go mod download'), 'GD001 not applied');
  });

  it('fix keeps CRLF line endings and a byte-order mark', () => {
    const crlf = `\uFEFF${NAIVE.replace(/\n/g, '\r\n')}`;
    const dir = project(crlf);
    const file = path.join(dir, 'Dockerfile');
    assert.equal(run(['fix', file]).code, 0);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.startsWith('\uFEFF'));
    assert.ok(!/[^\r]\n/.test(text), 'every line ends in CRLF');
    // Fixes add mounts and flags to RUN lines; every other line stays as written.
    for (const line of NAIVE.split('\n').filter((l) => l && !l.startsWith('RUN'))) assert.ok(text.includes(`${line}\r\n`), `kept: ${line}`);
    assert.equal(text.match(/^RUN /gm)?.length, 2);
  });
});
