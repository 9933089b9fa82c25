// Another editor than VS Code: headless Neovim starts `server.js --stdio` through its own LSP
// client and shows the same diagnostics. Without nvim the test fails in CI and is skipped elsewhere.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goProject, ROOT, SERVER } from './harness';

const SCRIPT = path.join(ROOT, 'test', 'nvim', 'diagnostics.lua');
/** Bounds the whole Neovim run; the script itself gives up on diagnostics well before. */
const RUN_LIMIT_MS = 60_000;

interface NvimDiagnostic {
  code?: string;
  source?: string;
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
}

function nvimMissing(): string | undefined {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `nvim is not installed (${probe.error?.message ?? probe.stderr})`;
  return undefined;
}

describe('Neovim', () => {
  it('shows the server\'s diagnostics for the naive Go Dockerfile', (t) => {
    const missing = nvimMissing();
    if (missing) {
      if (process.env.CI === 'true') assert.fail(missing);
      t.skip(`${missing}; install neovim to run this test`);
      return;
    }
    const project = goProject();
    try {
      const run = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${SCRIPT}`], {
        cwd: project.dir,
        encoding: 'utf8',
        timeout: RUN_LIMIT_MS,
        env: { ...process.env, GDC_DOCKERFILE: project.dockerfile, GDC_SERVER: SERVER, GDC_NODE: process.execPath },
      });
      assert.equal(run.status, 0, `nvim exited with ${run.status} (${run.signal ?? 'no signal'}): ${run.stderr}`);
      const json = run.stdout.trim().split('\n').pop() ?? '';
      const diagnostics = JSON.parse(json) as NvimDiagnostic[];
      const gd001 = diagnostics.find((d) => d.code === 'GD001');
      assert.deepEqual(gd001 && [gd001.lnum, gd001.col, gd001.end_lnum, gd001.end_col, gd001.source], [2, 5, 2, 6, 'go-dockerfile-cache']);
      const gd003 = diagnostics.find((d) => d.code === 'GD003');
      assert.deepEqual(gd003 && [gd003.lnum, gd003.col, gd003.end_col], [4, 4, 12]);
    } finally {
      fs.rmSync(project.dir, { recursive: true, force: true });
    }
  });
});
