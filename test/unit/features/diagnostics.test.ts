// Findings become diagnostics an editor can show and link: code, doc link, severity, ranges, tags.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { toDiagnostic, diagnostics } from '../../../server/src/features/diagnostics';
import type { Finding } from '../../../server/src/analysis/model/types';

const finding: Finding = {
  rule: 'GD016',
  name: 'build-without-trimpath',
  severity: 'info',
  message: 'built without -trimpath',
  range: { start: { line: 4, character: 4 }, end: { line: 4, character: 12 } },
  related: [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } }, message: 'the stage' }],
  fixes: [],
  tags: [1],
};

describe('diagnostics', () => {
  it('maps every part of a finding', () => {
    assert.deepEqual(toDiagnostic(finding, 'file:///d/Dockerfile'), {
      range: finding.range,
      severity: 3,
      code: 'GD016',
      codeDescription: { href: 'https://github.com/go-dockerfile-cache/go-dockerfile-cache/blob/main/docs/rules/GD016.md' },
      source: 'go-dockerfile-cache',
      message: 'built without -trimpath',
      relatedInformation: [{ location: { uri: 'file:///d/Dockerfile', range: finding.related![0].range }, message: 'the stage' }],
      tags: [1],
    });
  });

  it('maps error and warning severities', () => {
    assert.equal(toDiagnostic({ ...finding, severity: 'error' }, 'file:///x').severity, 1);
    assert.equal(toDiagnostic({ ...finding, severity: 'warning' }, 'file:///x').severity, 2);
  });

  it('reports nothing for a Dockerfile that builds no Go', () => {
    assert.deepEqual(diagnostics('FROM node:20\nCOPY . .\nRUN npm ci\n', { uri: 'file:///x' }), []);
  });

  it('honours rule settings', () => {
    const text = 'FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n';
    const all = diagnostics(text, { uri: 'file:///x' }).map((d) => d.code);
    assert.ok(all.includes('GD003'));
    assert.ok(!diagnostics(text, { uri: 'file:///x', rules: { GD003: 'off' } }).some((d) => d.code === 'GD003'));
  });
});
