// Broken configuration around a Dockerfile: .dockerignore patterns docker rejects, a go.mod that
// cannot be read, rule settings with unknown ids or levels. The user is told what is wrong, in a
// warning; the analysis goes on, the language server stays up, the CLI's exit code does not change.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goProject, NAIVE_DOCKERFILE, TestClient, type Project } from '../lsp/harness';
import { CLI, freshBundle } from './bundle';

const BAD_PATTERNS = ['[', '!', '**/[z-a]'];
const BROKEN_IGNORE = ['# patterns docker rejects', ...BAD_PATTERNS, '.git', ''].join('\n');
const CLEAN_IGNORE = ['# patterns docker rejects', '.git', ''].join('\n');

type Breakage = (dir: string) => void;
const BREAKAGES: Record<string, Breakage> = {
  'a .dockerignore with invalid patterns': (dir) => fs.writeFileSync(path.join(dir, '.dockerignore'), BROKEN_IGNORE),
  'a go.mod that is a folder': (dir) => {
    fs.rmSync(path.join(dir, 'go.mod'));
    fs.mkdirSync(path.join(dir, 'go.mod'));
  },
  'a go.mod that links to a missing file': (dir) => {
    fs.rmSync(path.join(dir, 'go.mod'));
    fs.symlinkSync(path.join(dir, 'missing', 'go.mod'), path.join(dir, 'go.mod'));
  },
};

/** What the user must be told for each breakage: one warning per problem. */
const WARNINGS: Record<string, RegExp[]> = {
  'a .dockerignore with invalid patterns': [
    /\.dockerignore line 2: "\[" is not a valid pattern \(a "\[" that is never closed\); docker refuses to build with it/,
    /\.dockerignore line 3: "!" is not a valid pattern/,
    /\.dockerignore line 4: "\*\*\/\[z-a\]" is not a valid pattern \(a character range that runs backwards\)/,
  ],
  'a go.mod that is a folder': [/go\.mod cannot be read \(it is a folder\)/],
  'a go.mod that links to a missing file': [/go\.mod cannot be read \(it is unreadable or a link to a missing file\)/],
};

const projects: string[] = [];
function project(breakage?: Breakage): Project {
  const made = goProject(NAIVE_DOCKERFILE, { '.dockerignore': CLEAN_IGNORE });
  breakage?.(made.dir);
  projects.push(made.dir);
  return made;
}

before(freshBundle);
after(() => {
  for (const dir of projects) fs.rmSync(dir, { recursive: true, force: true });
});

describe('malformed configuration in the language server', () => {
  let client: TestClient;
  before(async () => { client = await TestClient.start({ settings: { rules: { GD999: 'warning', GD001: 'loud' } } }); });
  after(async () => { await client.stop(); });

  it('rule settings with an unknown id and an unknown level: a warning for each, diagnostics as if unset', async () => {
    const clean = project();
    await client.open(clean.uri, NAIVE_DOCKERFILE);
    const diagnostics = await client.diagnosticsFor(clean.uri, (d) => d.some((x) => x.code === 'GD001'));
    assert.equal(diagnostics.find((d) => d.code === 'GD001')?.severity, 2, 'GD001 keeps its default level, warning');
    await client.messages.next((m) => m.type === 2 && /Unknown rule id "GD999"/.test(m.message), 'a warning about GD999');
    await client.messages.next((m) => m.type === 2 && /Rule GD001: "loud" is not one of off, info, warning, error/.test(m.message), 'a warning about "loud"');
  });

  for (const [name, breakage] of Object.entries(BREAKAGES)) {
    it(`${name}: a warning naming it, diagnostics still published, the server still answers`, async () => {
      const broken = project(breakage);
      await client.open(broken.uri, NAIVE_DOCKERFILE);
      const diagnostics = await client.diagnosticsFor(broken.uri);
      assert.ok(diagnostics.some((d) => d.code === 'GD001'), `GD001 still reported: ${JSON.stringify(diagnostics.map((d) => d.code))}`);
      for (const warning of WARNINGS[name]) {
        const shown = await client.messages.next((m) => m.type === 2 && m.message.includes(broken.dir) && warning.test(m.message), `a warning matching ${warning}`);
        assert.ok(shown);
      }
      assert.notEqual(await client.hover(broken.uri, { line: 4, character: 6 }), null);
      assert.equal(client.process.exitCode, null, client.stderr);
    });
  }
});

function check(dir: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, 'check', ...args, path.join(dir, 'Dockerfile')], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('malformed configuration in the CLI', () => {
  for (const [name, breakage] of Object.entries(BREAKAGES)) {
    it(`${name}: a warning line each, the same findings and exit code as without it`, () => {
      const clean = project();
      const broken = project(breakage);
      for (const failOn of ['warning', 'none']) {
        const expected = check(clean.dir, '--fail-on', failOn);
        const got = check(broken.dir, '--fail-on', failOn);
        assert.equal(got.status, expected.status, got.stderr);
        assert.equal(got.stdout.replaceAll(broken.dir, 'DIR'), expected.stdout.replaceAll(clean.dir, 'DIR'));
        const warnings = got.stderr.split('\n').filter((line) => line.startsWith('warning: '));
        assert.equal(warnings.length, WARNINGS[name].length, got.stderr);
        for (const warning of WARNINGS[name]) assert.ok(warnings.some((line) => warning.test(line)), `${warning} in ${got.stderr}`);
      }
    });
  }

  it('--rules with an unknown rule or level is a usage error: exit 2 and what is wrong', () => {
    const clean = project();
    const unknown = check(clean.dir, '--rules', 'GD999=warning');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown rule "GD999" in --rules/);
    const loud = check(clean.dir, '--rules', 'GD001=loud');
    assert.equal(loud.status, 2);
    assert.match(loud.stderr, /--rules GD001=loud: the level must be off, info, warning or error/);
  });
});
