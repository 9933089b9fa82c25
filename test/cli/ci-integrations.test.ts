// The pre-commit hook and the GitHub Action as teams use them: the hook through the real
// pre-commit tool on a git repository, the action's own shell step with its inputs.
import { before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'server', 'out', 'cli.js');
const NAIVE = fs.readFileSync(path.join(ROOT, 'examples', 'naive', 'Dockerfile'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

interface Hook { id: string; entry: string; language: string; files: string; [key: string]: unknown }
const hooks: Hook[] = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
const hook = hooks.find((h) => h.id === 'go-dockerfile-cache')!;

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** A folder with `go-dockerfile-cache` (the built CLI) and `npx` (recording its arguments, then running the CLI). */
function binDir(): { dir: string; npxCalls: () => string[] } {
  const dir = tempDir('gdc-bin-');
  write(dir, {
    'go-dockerfile-cache': `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`,
    npx: `#!/bin/sh\nprintf '%s\\n' "$*" >> '${path.join(dir, 'npx-calls')}'\n[ "$1" = --yes ] && shift\nshift\nexec '${process.execPath}' '${CLI}' "$@"\n`,
  });
  for (const name of ['go-dockerfile-cache', 'npx']) fs.chmodSync(path.join(dir, name), 0o755);
  return { dir, npxCalls: () => (fs.existsSync(path.join(dir, 'npx-calls')) ? fs.readFileSync(path.join(dir, 'npx-calls'), 'utf8').trim().split('\n') : []) };
}

/** What VS Code does with the extension's `contributes.languages` file names and patterns. */
function extensionTreatsAsDockerfile(file: string): boolean {
  const language = manifest.contributes.languages.find((l: { id: string }) => l.id === 'dockerfile');
  const base = path.posix.basename(file);
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  return language.filenames.includes(base) || language.filenamePatterns.some((p: string) => glob(p).test(base));
}

const MATCHING = ['Dockerfile', 'x.Dockerfile', 'Dockerfile.prod', 'Containerfile', 'svc/api/Dockerfile', 'build.dockerfile', 'app.Containerfile', 'Containerfile.dev', 'deploy/Dockerfile.release'];
const NOT_MATCHING = ['dockerfile.go', 'MyDockerfile', 'Dockerfiles/README.md', 'Dockerfile.d/app.conf', 'docker-compose.yml', 'cmd/dockerfile/main.go', 'Dockerfile-dev'];

describe('pre-commit hook', () => {
  before(() => assert.ok(fs.existsSync(CLI), 'run `npm run build` first'));

  it('runs `go-dockerfile-cache check` on the files the extension treats as Dockerfiles', () => {
    assert.equal(hook.entry, 'go-dockerfile-cache check');
    assert.equal(hook.language, 'node');
    const files = new RegExp(hook.files);
    for (const name of MATCHING) {
      assert.ok(files.test(name), `${name} should match`);
      assert.ok(extensionTreatsAsDockerfile(name), `the extension also takes ${name}`);
    }
    for (const name of NOT_MATCHING) {
      assert.ok(!files.test(name), `${name} should not match`);
      assert.ok(!extensionTreatsAsDockerfile(name), `the extension also leaves ${name}`);
    }
  });

  const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  const missing = preCommit.status === 0 ? false : 'pre-commit is not installed (Debian: apt-get install pre-commit); the hook is checked by its regex and command line only';
  if (missing && process.env.CI === 'true') it('pre-commit is installed in CI', () => assert.fail(missing));

  it('fails a commit with findings in every matching file, and passes a clean one (real pre-commit)', { skip: missing }, () => {
    const repo = tempDir('gdc-precommit-');
    const bin = binDir();
    write(repo, { 'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', 'go.sum': '', 'main.go': 'package main\n\nfunc main() {}\n' });
    write(repo, Object.fromEntries([...MATCHING, ...NOT_MATCHING].map((name) => [name, NAIVE])));
    const local = { ...hook, language: 'system' };
    write(repo, { '.pre-commit-config.yaml': stringify({ repos: [{ repo: 'local', hooks: [local] }] }) });
    const env = { ...process.env, PATH: `${bin.dir}:${path.dirname(process.execPath)}:/usr/bin:/bin`, PRE_COMMIT_HOME: tempDir('gdc-precommit-home-'), NO_COLOR: '1' };
    const git = (...args: string[]) => assert.equal(spawnSync('git', args, { cwd: repo, env }).status, 0, `git ${args.join(' ')}`);
    git('init', '-q');
    git('add', '.');
    const failing = spawnSync('pre-commit', ['run', '--all-files', '--color', 'never'], { cwd: repo, env, encoding: 'utf8' });
    assert.equal(failing.status, 1, failing.stdout + failing.stderr);
    assert.match(failing.stdout, /go-dockerfile-cache\.+Failed/);
    const checked = failing.stdout.split('\n').filter((line) => /^\S/.test(line) && !line.includes('...')).map((line) => line.trim());
    for (const name of MATCHING) assert.ok(checked.includes(name), `${name} was not checked:\n${failing.stdout}`);
    for (const name of NOT_MATCHING) assert.ok(!checked.includes(name), `${name} was checked:\n${failing.stdout}`);
    assert.match(failing.stdout, /GD001/);

    for (const name of [...MATCHING, ...NOT_MATCHING]) fs.rmSync(path.join(repo, name));
    write(repo, { Dockerfile: 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n' });
    git('add', '-A');
    const passing = spawnSync('pre-commit', ['run', '--all-files', '--color', 'never'], { cwd: repo, env, encoding: 'utf8' });
    assert.equal(passing.status, 0, passing.stdout + passing.stderr);
    assert.match(passing.stdout, /go-dockerfile-cache\.+Passed/);
  });
});

describe('GitHub Action (action.yml)', () => {
  const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  const steps: { id?: string; name: string; if?: string; uses?: string; run?: string; shell?: string; env?: Record<string, string>; with?: Record<string, string> }[] = action.runs.steps;
  const check = steps.find((s) => s.id === 'check')!;

  /** Runs the check step as the runner would: its env with the inputs filled in, its script in bash. */
  function runCheck(cwd: string, inputs: Record<string, string>) {
    const values: Record<string, string> = Object.fromEntries(Object.entries(action.inputs as Record<string, { default: string }>).map(([name, input]) => [name, input.default]));
    Object.assign(values, inputs);
    const expression = (text: string) => text.replace(/\$\{\{\s*(inputs\.([\w-]+)|github\.action_path)\s*\}\}/g, (_, __, input?: string) => (input ? values[input] : ROOT));
    const bin = binDir();
    const output = path.join(tempDir('gdc-action-'), 'output');
    fs.writeFileSync(output, '');
    const env = { PATH: `${bin.dir}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: os.tmpdir(), GITHUB_OUTPUT: output, NO_COLOR: '1', ...Object.fromEntries(Object.entries(check.env!).map(([k, v]) => [k, expression(v)])) };
    const result = spawnSync('bash', ['-c', check.run!], { cwd, env, encoding: 'utf8' });
    const outputs = Object.fromEntries(fs.readFileSync(output, 'utf8').trim().split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    return { ...result, outputs, npxCalls: bin.npxCalls() };
  }

  function repository(): string {
    const dir = tempDir('gdc-action-repo-');
    write(dir, { 'svc/go.mod': 'module example.com/svc\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', 'svc/go.sum': '', 'svc/main.go': 'package main\n\nfunc main() {}\n', 'svc/Dockerfile': NAIVE, 'tools/lint.Dockerfile': NAIVE, 'web/Dockerfile': 'FROM nginx:1.27\n' });
    return dir;
  }

  it('declares the inputs files, format, fail-on, sarif, with defaults, as a composite action', () => {
    assert.equal(action.runs.using, 'composite');
    for (const name of ['files', 'format', 'fail-on', 'context', 'rules', 'sarif', 'sarif-file', 'version']) assert.ok(action.inputs[name]?.description, name);
    assert.deepEqual([action.inputs.files.default, action.inputs.format.default, action.inputs['fail-on'].default, action.inputs.sarif.default], ['Dockerfile', 'github', 'warning', 'false']);
    assert.ok(!/\$\{\{/.test(check.run!), 'inputs reach the script through env only');
  });

  it('annotates the findings with this version of the CLI and reports exit code 1 for the failing step', () => {
    const dir = repository();
    const result = runCheck(dir, { files: 'svc/Dockerfile' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.npxCalls, [`--yes go-dockerfile-cache@${manifest.version} check --format github --fail-on warning -- svc/Dockerfile`]);
    assert.match(result.stdout, /^::warning file=svc\/Dockerfile,line=3,col=6,endLine=3,endColumn=7,title=GD001::/m);
    assert.equal(result.outputs['exit-code'], '1');
    const fail = steps.find((s) => s.name === 'Fail on findings')!;
    assert.match(fail.if!, /steps\.check\.outputs\.exit-code != '0'/);
    assert.equal(spawnSync('bash', ['-c', fail.run!], { env: { GDC_EXIT_CODE: result.outputs['exit-code'] } }).status, 1);
  });

  it('expands globs, passes context, rules and fail-on through, and never runs input text as shell', () => {
    const dir = repository();
    const result = runCheck(dir, { files: '**/Dockerfile\n*/*.Dockerfile $(touch pwned)', 'fail-on': 'none', rules: 'GD012=off', format: 'json', version: '9.9.9' });
    assert.equal(fs.existsSync(path.join(dir, 'pwned')), false);
    assert.equal(result.npxCalls.length, 1);
    assert.match(result.npxCalls[0], /^--yes go-dockerfile-cache@9\.9\.9 check --format json --fail-on none --rules GD012=off -- svc\/Dockerfile web\/Dockerfile tools\/lint\.Dockerfile \$\(touch pwned\)$/);
    assert.equal(result.outputs['exit-code'], '2', 'a file that does not exist is a read error');
  });

  it('writes SARIF for the upload step when sarif is true', () => {
    const dir = repository();
    const result = runCheck(dir, { files: 'svc/Dockerfile', sarif: 'true', 'fail-on': 'error' });
    assert.equal(result.outputs['sarif-file'], 'go-dockerfile-cache.sarif');
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'go-dockerfile-cache.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'GD001'));
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    assert.match(upload.if!, /inputs\.sarif == 'true'/);
    assert.equal(upload.with!.sarif_file, '${{ steps.check.outputs.sarif-file }}');
    assert.ok(steps.indexOf(upload) < steps.findIndex((s) => s.name === 'Fail on findings'), 'SARIF is uploaded before the job fails');
    const none = runCheck(dir, { files: 'svc/Dockerfile' });
    assert.equal(none.outputs['sarif-file'], undefined);
  });

  it('says so when no file matches', () => {
    const result = runCheck(repository(), { files: 'nothing/**/Dockerfile' });
    assert.match(result.stdout, /::warning title=go-dockerfile-cache::no file matches nothing\/\*\*\/Dockerfile/);
    assert.match(result.stdout, /::error title=go-dockerfile-cache::no Dockerfile to check/);
    assert.equal(result.outputs['exit-code'], '2');
    assert.deepEqual(result.npxCalls, []);
  });
});
