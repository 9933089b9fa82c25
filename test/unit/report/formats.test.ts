// The CI report formats on findings whose text needs escaping: what GitHub, a checkstyle reader
// and GitLab will read back.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { analyze } from '../../../server/src/analysis/analyze';
import { toFileFinding, type FileFinding } from '../../../server/src/report/findings';
import { formatCheckstyle } from '../../../server/src/report/checkstyle';
import { formatGithub } from '../../../server/src/report/github';
import { formatGitlab, instructionText } from '../../../server/src/report/gitlab';
import { parseWorkflowCommand } from '../../helpers/workflowCommands';

const ROOT = path.join(__dirname, '..', '..', '..');

function finding(overrides: Partial<FileFinding> = {}): FileFinding {
  return { file: 'Dockerfile', rule: 'GD001', name: 'source-before-module-download', severity: 'warning', message: 'm', line: 3, column: 6, endLine: 3, endColumn: 7, fixable: true, ...overrides };
}

describe('--format github', () => {
  it('writes one workflow command per finding with the position and the rule as title', () => {
    const out = formatGithub([finding({ message: '`COPY .` copies the module source' })], '/repo');
    assert.equal(out, '::warning file=Dockerfile,line=3,col=6,endLine=3,endColumn=7,title=GD001::`COPY .` copies the module source\n');
  });

  it('maps error and info to the error and notice commands', () => {
    const out = formatGithub([finding({ severity: 'error', rule: 'GD002' }), finding({ severity: 'info', rule: 'GD016' })], '/repo').split('\n');
    assert.match(out[0], /^::error file=Dockerfile,.*title=GD002::m$/);
    assert.match(out[1], /^::notice file=Dockerfile,.*title=GD016::m$/);
  });

  it('escapes what the runner would otherwise cut: %, newlines in the message; also : and , in properties', () => {
    const message = '50% of the time: a, b\r\nnext line';
    const out = formatGithub([finding({ file: '/repo/svc,a/x:y.Dockerfile', message })], '/repo').trimEnd();
    assert.equal(out.split('\n').length, 1, 'one line per command');
    assert.equal(out, '::warning file=svc%2Ca/x%3Ay.Dockerfile,line=3,col=6,endLine=3,endColumn=7,title=GD001::50%25 of the time: a, b%0D%0Anext line');
    const parsed = parseWorkflowCommand(out);
    assert.equal(parsed.message, message);
    assert.equal(parsed.properties.file, 'svc,a/x:y.Dockerfile');
  });

  it('prints nothing for a clean file', () => {
    assert.equal(formatGithub([], '/repo'), '');
  });
});

describe('--format checkstyle', () => {
  const parser = new XMLParser({ ignoreAttributes: false, htmlEntities: true, attributeNamePrefix: '', isArray: (name) => name === 'file' || name === 'error' });

  it('is well-formed XML that reads back to the same findings, clean files listed', () => {
    const nasty = 'A "quoted" <tag> & \'apostrophe\'\nsecond line\u0007 with a bell';
    const xml = formatCheckstyle(['a/Dockerfile', 'clean/Dockerfile'], [finding({ file: 'a/Dockerfile', message: nasty }), finding({ file: 'a/Dockerfile', rule: 'GD015', severity: 'error', line: 9, column: 1 })]);
    assert.equal(XMLValidator.validate(xml), true);
    const doc = parser.parse(xml);
    const files = doc.checkstyle.file;
    assert.deepEqual(files.map((f: { name: string }) => f.name), ['a/Dockerfile', 'clean/Dockerfile']);
    assert.equal(files[1].error, undefined);
    const [first, second] = files[0].error;
    assert.deepEqual({ ...first }, { line: '3', column: '6', severity: 'warning', message: 'A "quoted" <tag> & \'apostrophe\'\nsecond line with a bell', source: 'go-dockerfile-cache.GD001' });
    assert.equal(second.severity, 'error');
    assert.equal(second.source, 'go-dockerfile-cache.GD015');
  });
});

describe('--format gitlab', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'schemas', 'gitlab-code-quality.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true }).compile(schema);
  const naive = ['FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY . .', 'RUN go mod download', 'RUN go build \\', '    -o /out/app .', ''].join('\n');

  function report(text: string, file = '/repo/svc/Dockerfile') {
    const result = analyze(text);
    const located = result.findings.map((f) => {
      const fileFinding = toFileFinding(file, f);
      return { finding: fileFinding, instruction: instructionText(result.model, fileFinding.line) };
    });
    return JSON.parse(formatGitlab(located, '/repo')) as { check_name: string; fingerprint: string; severity: string; description: string; location: { path: string; lines: { begin: number } } }[];
  }

  it('matches the documented Code Quality schema, with a repository-relative path and severities mapped', () => {
    const issues = report(naive);
    assert.ok(issues.length >= 3);
    assert.ok(validate(issues), JSON.stringify(validate.errors));
    assert.ok(issues.every((i) => i.location.path === 'svc/Dockerfile'));
    const gd001 = issues.find((i) => i.check_name === 'GD001')!;
    assert.equal(gd001.location.lines.begin, 3);
    assert.equal(gd001.severity, 'major');
    const severities = formatGitlab([{ finding: finding({ severity: 'error' }), instruction: 'x' }, { finding: finding({ severity: 'info' }), instruction: 'y' }], '/');
    assert.deepEqual(JSON.parse(severities).map((i: { severity: string }) => i.severity), ['critical', 'info']);
  });

  it('joins a continued instruction into one line of text', () => {
    assert.equal(instructionText(analyze(naive).model, 6), 'RUN go build -o /out/app .');
  });

  it('keeps each fingerprint when lines above move, and gives identical instructions different ones', () => {
    const before = report(naive);
    const moved = report(`# syntax=docker/dockerfile:1\n\n${naive.replace('WORKDIR /src', 'WORKDIR /src\nLABEL org.opencontainers.image.title=svc')}`);
    assert.deepEqual(moved.map((i) => [i.check_name, i.fingerprint]), before.map((i) => [i.check_name, i.fingerprint]));
    assert.notDeepEqual(moved.map((i) => i.location.lines.begin), before.map((i) => i.location.lines.begin));
    const twice = report(`${naive}\nFROM golang:1.22 AS other\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /out/app .\n`);
    const fingerprints = twice.map((i) => i.fingerprint);
    assert.equal(new Set(fingerprints).size, fingerprints.length, 'fingerprints are unique');
    assert.ok(twice.filter((i) => i.check_name === 'GD001').length >= 2);
    const elsewhere = report(naive, '/repo/other/Dockerfile');
    assert.ok(elsewhere.every((i) => !before.some((b) => b.fingerprint === i.fingerprint)), 'another file, other fingerprints');
  });
});
