// `npm run demo`: check the naive Go Dockerfile shipped in examples/, fix a copy, check it again.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'server', 'out', 'cli.js');
const example = path.join(root, 'examples', 'naive');
const say = (text) => process.stdout.write(`\n\x1b[1m${text}\x1b[0m\n`);
const run = (args) => spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' }).status;

say(`$ go-dockerfile-cache check examples/naive/Dockerfile`);
run(['check', path.relative(process.cwd(), path.join(example, 'Dockerfile'))]);

// Fix a copy so the example stays naive for the next run.
const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'go-dockerfile-cache-demo-'));
fs.cpSync(example, copy, { recursive: true });
say(`$ go-dockerfile-cache fix Dockerfile   (in a copy: ${copy})`);
run(['fix', path.join(copy, 'Dockerfile')]);
// GD020's USER changes who runs the image: a suggestion `fix` applies only when asked.
say(`$ go-dockerfile-cache fix --unsafe-fixes Dockerfile`);
run(['fix', '--unsafe-fixes', path.join(copy, 'Dockerfile')]);
say('The fixed Dockerfile:');
process.stdout.write(fs.readFileSync(path.join(copy, 'Dockerfile'), 'utf8'));
if (fs.existsSync(path.join(copy, '.dockerignore'))) {
  say('The .dockerignore it created:');
  process.stdout.write(fs.readFileSync(path.join(copy, '.dockerignore'), 'utf8'));
}
say('$ go-dockerfile-cache check Dockerfile   (after the fix)');
const status = run(['check', '--fail-on', 'warning', path.join(copy, 'Dockerfile')]);
process.exitCode = status;
