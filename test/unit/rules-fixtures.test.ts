// Every rule against its fixtures: the findings it reports, the text its fix produces, and that
// the fixed file no longer reports the rule and keeps every instruction the user wrote.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { analyze } from '../../server/src/analysis/analyze';
import { fixAll } from '../../server/src/analysis/fixing/fixer';
import { ruleById } from '../../server/src/analysis/rules/index';
import { FIXTURES, UPDATE, casesIn, expectedText, fixtureContext, fixtureSite, ruleDirs, toExpected } from '../helpers/fixtures';

const toCrlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
/** A fixture's Dockerfile stands at the root of its context: its own ignore file would be `Dockerfile.dockerignore` there. */
const DOCKERFILE = 'Dockerfile';

for (const id of ruleDirs()) {
  const dir = path.join(FIXTURES, id);
  const rule = ruleById(id);
  describe(`${id} fixtures`, () => {
    for (const file of casesIn(dir, 'invalid')) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const base = file.replace(/\.Dockerfile$/, '');
      const buildsIn = fixtureSite(dir, file);
      const context = fixtureContext(dir, base);
      it(`${file}: reports ${id} where expected`, () => {
        const actual = analyze(text, { context, dockerfile: DOCKERFILE, buildsIn, only: [id] }).findings.map(toExpected);
        const expectedFile = path.join(dir, `${base}.findings.json`);
        const expected = JSON.parse(expectedText(expectedFile, `${JSON.stringify(actual, null, 2)}\n`));
        assert.ok(actual.length > 0, `${file} should report ${id}`);
        assert.deepEqual(actual, expected);
      });
      it(`${file}: same findings with CRLF line endings`, () => {
        const lf = analyze(text, { context, dockerfile: DOCKERFILE, buildsIn, only: [id] }).findings.map(toExpected);
        const crlf = analyze(toCrlf(text), { context, dockerfile: DOCKERFILE, buildsIn, only: [id] }).findings.map(toExpected);
        assert.deepEqual(crlf, lf);
      });
      if (!rule?.fixable) continue;
      const fixedFile = path.join(dir, `${base}.fixed.Dockerfile`);
      it(`${file}: the fix produces ${base}.fixed.Dockerfile and ${id} no longer fires`, () => {
        const result = fixAll(text, { context, dockerfile: DOCKERFILE, buildsIn, fixRules: [id], unsafeFixes: true });
        assert.equal(result.text, expectedText(fixedFile, result.text));
        for (const change of result.files) {
          const expectedChange = path.join(dir, `${base}.fixed.${change.path.replace(/^\./, '')}`);
          assert.equal(change.text, expectedText(expectedChange, change.text));
        }
        // Findings the rule could fix are gone; findings it reports without a fix may stay.
        const before = analyze(text, { context, dockerfile: DOCKERFILE, buildsIn, only: [id] }).findings;
        const after = analyze(result.text, { context: overlayFiles(context, result.files), dockerfile: DOCKERFILE, buildsIn, only: [id] }).findings;
        assert.deepEqual(after.filter((f) => f.fixes.length > 0).map(toExpected), []);
        assert.ok(after.length <= before.filter((f) => f.fixes.length === 0).length, `${id} still fires after its fix`);
        assert.deepEqual(fixAll(result.text, { context: overlayFiles(context, result.files), dockerfile: DOCKERFILE, buildsIn, fixRules: [id], unsafeFixes: true }).text, result.text, 'a second fix changes nothing');
      });
      it(`${file}: a fix that changes what the image does at run time waits to be asked for`, () => {
        const findings = analyze(text, { context, dockerfile: DOCKERFILE, buildsIn, only: [id] }).findings;
        const unsafe = findings.filter((f) => f.fixes.length > 0 && f.fixes.every((fix) => fix.unsafe !== undefined));
        const result = fixAll(text, { context, dockerfile: DOCKERFILE, buildsIn, fixRules: [id] });
        assert.deepEqual(result.skipped.map((s) => s.finding.rule), unsafe.map((f) => f.rule));
        if (unsafe.length === findings.filter((f) => f.fixes.length > 0).length) assert.equal(result.text, text, 'nothing applied without unsafeFixes');
        for (const f of unsafe) assert.ok(!f.fixes.some((fix) => fix.preferred), `${f.rule}: a fix that changes run time is never the preferred one`);
      });
      it(`${file}: the fix keeps every instruction and the line endings`, () => {
        const result = fixAll(toCrlf(text), { context, dockerfile: DOCKERFILE, buildsIn, fixRules: [id], unsafeFixes: true });
        assert.ok(!/[^\r]\n/.test(result.text), 'CRLF file stays CRLF');
        if (!UPDATE) assert.equal(result.text, toCrlf(fs.readFileSync(fixedFile, 'utf8')));
        // An instruction may only leave as a comment that still shows it (GD007 retires a COPY that way).
        const retired = result.text.split(/\r?\n/).map((l) => /^\s*#\s*([A-Z]+)\s/.exec(l)?.[1]).filter((k): k is string => k !== undefined);
        const after = [...DockerfileParser.parse(result.text).getInstructions().map((i) => i.getKeyword()), ...retired];
        const before = DockerfileParser.parse(text).getInstructions().map((i) => i.getKeyword());
        for (const keyword of new Set(before)) {
          assert.ok(after.filter((k) => k === keyword).length >= before.filter((k) => k === keyword).length, `no ${keyword} lost`);
        }
        for (const comment of text.split(/\r?\n/).filter((l) => l.trim().startsWith('#'))) {
          assert.ok(result.text.includes(comment.trim()), `comment kept: ${comment}`);
        }
      });
    }
    for (const file of casesIn(dir, 'valid')) {
      it(`${file}: reports no ${id}`, () => {
        const context = fixtureContext(dir, file.replace(/\.Dockerfile$/, ''));
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        assert.deepEqual(analyze(text, { context, dockerfile: DOCKERFILE, buildsIn: fixtureSite(dir, file), only: [id] }).findings.map(toExpected), []);
      });
    }
  });
}

function overlayFiles(context: ReturnType<typeof fixtureContext>, files: { path: string; text: string }[]) {
  if (files.length === 0) return context;
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  return { ...context, exists: (p: string) => byPath.has(p) || context.exists(p), readText: (p: string) => byPath.get(p) ?? context.readText(p) };
}
