// Part of `npm test`: the editor suites in a real VS Code workbench. They run under CI=true (and
// fail there if anything is missing) or when the workbench is already installed; otherwise they
// are skipped with the reason and the command that installs it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const cache = process.env.GDC_VSCODE_CACHE ?? '/var/cache/gdc-vscode';
const installed = fs.existsSync(path.join(cache, 'env'));
if (process.env.CI !== 'true' && !installed) {
  console.log(`# skipped: editor tests in VS Code: no workbench in ${cache}. Run \`bash test/vscode/setup.sh\` (about 3 minutes, 800 MB, needs root for apt) or set CI=true.`);
  process.exit(0);
}
const result = spawnSync('npm', ['run', '--silent', 'test:vscode'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
