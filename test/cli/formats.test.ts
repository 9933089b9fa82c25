// The CI report formats from the real CLI: each says the same findings as `--format json`, in the
// shape its reader expects.
import { describe, it, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseWorkflowCommand } from '../helpers/workflowCommands';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'server', 'out', 'cli.js');
const NAIVE = fs.readFileSync(path.join(ROOT, 'examples', 'naive', 'Dockerfile'), 'utf8');

interface JsonFinding { file: string; rule: string; severity: string; message: string; line: number; column: number; endLine: number; endColumn: number }

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A repository with a Go service in svc/ and a clean Dockerfile in web/. */
function repository(dockerfile = NAIVE): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gdc-formats-'));
  const files = { 'svc/go.mod': 'module example.com/svc\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', 'svc/go.sum': '', 'svc/main.go': 'package main\n\nfunc main() {}\n', 'svc/Dockerfile': dockerfile, 'web/Dockerfile': 'FROM nginx:1.27\nCOPY . /usr/share/nginx/html\n' };
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function jsonFindings(dir: string): JsonFinding[] {
  return JSON.parse(run(['check', '--format', 'json', 'svc/Dockerfile', 'web/Dockerfile'], dir).stdout).findings;
}

describe('check --format github|checkstyle|gitlab', () => {
  before(() => assert.ok(fs.existsSync(CLI), 'run `npm run build` first'));

  it('github: one workflow command per finding, the same findings as JSON, exit code by --fail-on', () => {
    const dir = repository();
    const { code, stdout } = run(['check', '--format', 'github', 'svc/Dockerfile', 'web/Dockerfile'], dir);
    assert.equal(code, 1);
    const expected = jsonFindings(dir);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, expected.length);
    assert.ok(lines.some((l) => /^::warning file=svc\/Dockerfile,line=3,col=6,endLine=3,endColumn=7,title=GD001::`COPY \.` copies/.test(l)), stdout);
    const commands = { error: 'error', warning: 'warning', info: 'notice' } as Record<string, string>;
    lines.forEach((line, i) => {
      const { command, properties, message } = parseWorkflowCommand(line);
      const f = expected[i];
      assert.equal(command, commands[f.severity]);
      assert.deepEqual(properties, { file: f.file, line: String(f.line), col: String(f.column), endLine: String(f.endLine), endColumn: String(f.endColumn), title: f.rule });
      assert.equal(message, f.message);
    });
    assert.equal(run(['check', '--format', 'github', '--fail-on', 'none', 'svc/Dockerfile'], dir).code, 0);
  });

  it('checkstyle: valid XML listing every checked file, its findings with rule and position', () => {
    const dir = repository();
    const { stdout } = run(['check', '--format', 'checkstyle', 'svc/Dockerfile', 'web/Dockerfile'], dir);
    assert.equal(XMLValidator.validate(stdout), true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => name === 'file' || name === 'error' }).parse(stdout);
    const [svc, web] = doc.checkstyle.file;
    assert.equal(svc.name, 'svc/Dockerfile');
    assert.equal(web.name, 'web/Dockerfile');
    assert.equal(web.error, undefined, 'a Dockerfile that builds no Go is clean');
    const expected = jsonFindings(dir);
    assert.deepEqual(svc.error.map((e: Record<string, string>) => [e.source, Number(e.line), Number(e.column), e.severity, e.message]),
      expected.map((f) => [`go-dockerfile-cache.${f.rule}`, f.line, f.column, f.severity, f.message]));
  });

  it('gitlab: a valid Code Quality report whose fingerprints survive a re-run and moved lines', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'schemas', 'gitlab-code-quality.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const dir = repository();
    const first: { fingerprint: string; location: { path: string; lines: { begin: number } } }[] = JSON.parse(run(['check', '--format', 'gitlab', 'svc/Dockerfile', 'web/Dockerfile'], dir).stdout);
    assert.ok(validate(first), JSON.stringify(validate.errors));
    assert.equal(first.length, jsonFindings(dir).length);
    assert.ok(first.every((i) => i.location.path === 'svc/Dockerfile'));
    const again = JSON.parse(run(['check', '--format', 'gitlab', 'svc/Dockerfile', 'web/Dockerfile'], dir).stdout);
    assert.deepEqual(again, first);
    fs.writeFileSync(path.join(dir, 'svc', 'Dockerfile'), `# syntax=docker/dockerfile:1\n# The service image.\n${NAIVE}`);
    const moved = JSON.parse(run(['check', '--format', 'gitlab', 'svc/Dockerfile'], dir).stdout);
    assert.deepEqual(moved.map((i: { fingerprint: string }) => i.fingerprint), first.map((i) => i.fingerprint));
    assert.deepEqual(moved.map((i: { location: { lines: { begin: number } } }) => i.location.lines.begin), first.map((i) => i.location.lines.begin + 2));
  });
});
