// `npm run lint` stays clean: the suites every change runs check it, not only the full `npm test`.
import { it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

it('the project code passes ESLint (npm run lint)', () => {
  const result = spawnSync(process.execPath, [ESLINT, '--cache', '--cache-location', 'node_modules/.cache/eslint/', '.'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});

it('npm run format lays a source file out as the rest of the code is', () => {
  const messy = [
    'export function pick(a: number, b: number)',
    '{',
    '    const chosen = a > b ?',
    '        a :',
    '        b',
    '    return { value: chosen, label: "chosen" }',
    '}',
    '',
  ].join('\n');
  const result = spawnSync(process.execPath, [ESLINT, '--stdin', '--stdin-filename', 'server/src/pick.ts', '--fix-dry-run', '--format', 'json'], { cwd: ROOT, encoding: 'utf8', input: messy });
  const [report] = JSON.parse(result.stdout) as { output?: string; messages: { ruleId: string }[] }[];
  assert.equal(report.output, [
    'export function pick(a: number, b: number) {',
    '  const chosen = a > b',
    '    ? a',
    '    : b;',
    "  return { value: chosen, label: 'chosen' };",
    '}',
    '',
  ].join('\n'), JSON.stringify(report.messages));
});
