// Runs node's test runner (with tsx for TypeScript) on every *.test.ts under the given folders.
// Node 20's runner does not expand `**` globs itself. Flags starting with `--` pass through.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const roots = args.filter((a) => !a.startsWith('--'));

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  if (fs.statSync(dir).isFile()) return [dir];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : find(p);
    return entry.name.endsWith('.test.ts') ? [p] : [];
  });
}

const files = roots.flatMap(find).sort();
if (files.length === 0) {
  console.error(`no *.test.ts files under ${roots.join(', ')}`);
  process.exit(1);
}
// The shell parser loads asynchronously, once per process, before any test analyses a Dockerfile.
const preload = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'test', 'helpers', 'load-shell-parser.mts');
const result = spawnSync(process.execPath, ['--import', 'tsx', '--import', preload, '--test', '--test-reporter=spec', ...flags, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
