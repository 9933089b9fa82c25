// `npm run lint` stays clean: the suites every change runs check it, not only the full `npm test`.
import { it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

it('the project code passes ESLint (npm run lint)', () => {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--cache', '--cache-location', 'node_modules/.cache/eslint/', '.'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});
