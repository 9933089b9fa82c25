// A rule is not done until it has its registry entry, its doc page and its fixtures.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { rules } from '../../server/src/analysis/rules/index';

const ROOT = path.join(__dirname, '..', '..');
const SECTIONS = ['## What it does', '## Why it matters', '## Example', '## Use instead'];

describe('rule catalogue', () => {
  it('registers GD001 to GD022 and every later rule, each once, in order', () => {
    const ids = rules.map((r) => r.id);
    for (const id of ids) assert.match(id, /^GD\d{3}$/);
    assert.deepEqual(ids, [...new Set(ids)].sort(), 'each id once, in order');
    assert.deepEqual(ids.slice(0, 22), Array.from({ length: 22 }, (_, i) => `GD${String(i + 1).padStart(3, '0')}`));
  });
  for (const rule of rules) {
    describe(rule.id, () => {
      it('lives in rules/<ID>-<name>.ts', () => {
        assert.ok(fs.existsSync(path.join(ROOT, 'server/src/analysis/rules', `${rule.id}-${rule.name}.ts`)));
      });
      it('has a doc page with the fixed sections', () => {
        const doc = path.join(ROOT, 'docs/rules', `${rule.id}.md`);
        assert.ok(fs.existsSync(doc), `missing ${doc}`);
        const text = fs.readFileSync(doc, 'utf8');
        assert.match(text, new RegExp(`^# ${rule.id} ${rule.name}`, 'm'));
        for (const section of SECTIONS) assert.ok(text.includes(section), `${rule.id}.md lacks "${section}"`);
      });
      it('has failing, expected, fixed and passing fixtures', () => {
        const dir = path.join(ROOT, 'test/fixtures/rules', rule.id);
        const need = ['invalid.Dockerfile', 'invalid.findings.json', 'valid.Dockerfile', ...(rule.fixable ? ['invalid.fixed.Dockerfile'] : [])];
        for (const file of need) assert.ok(fs.existsSync(path.join(dir, file)), `missing ${rule.id}/${file}`);
      });
    });
  }
});
