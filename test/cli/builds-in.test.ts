// --builds-in on the CLI: the same Dockerfile gets the local advice or the CI advice.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.join(__dirname, '..', '..', 'server', 'out', 'cli.js');
const MOUNTED = [
  'FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY go.mod go.sum ./', 'RUN --mount=type=cache,target=/go/pkg/mod go mod download', 'COPY . .',
  'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /out/app .', '',
  'FROM gcr.io/distroless/static-debian12', 'COPY --from=build /out/app /app', '',
].join('\n');
const GITLAB = 'image:\n  script:\n    - docker buildx build --cache-to type=registry,ref=$CI_REGISTRY_IMAGE:cache,mode=max --push .\n';

function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gdc-builds-in-'));
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [name, text] of Object.entries({ 'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', 'go.sum': '', 'main.go': 'package main\n', Dockerfile: MOUNTED, ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete base.CI;
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...base, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const rules = (stdout: string) => (JSON.parse(stdout).findings as { rule: string; line: number; message: string }[]);

describe('--builds-in', () => {
  it('auto: no CI file builds it, so no GD021; a .gitlab-ci.yml that does brings GD021 at the mount, naming its line', () => {
    const local = repo({});
    assert.deepEqual(rules(cli(['check', '--format', 'json', '--fail-on', 'none', path.join(local, 'Dockerfile')]).stdout).filter((f) => f.rule === 'GD021'), []);
    const ci = repo({ '.gitlab-ci.yml': GITLAB });
    const [gd021] = rules(cli(['check', '--format', 'json', '--fail-on', 'none', path.join(ci, 'Dockerfile')]).stdout).filter((f) => f.rule === 'GD021');
    assert.equal(gd021.line, 4);
    assert.match(gd021.message, /built in CI by \.gitlab-ci\.yml:3 \(cache-to type=registry,ref=\$CI_REGISTRY_IMAGE:cache,mode=max\)/);
  });

  it('CI=true counts as CI for auto, and the flag overrides both ways', () => {
    const dir = repo({});
    const file = path.join(dir, 'Dockerfile');
    assert.ok(rules(cli(['check', '--format', 'json', '--fail-on', 'none', file], { CI: 'true' }).stdout).some((f) => f.rule === 'GD021' && /\(CI=true\)/.test(f.message)));
    assert.ok(!rules(cli(['check', '--format', 'json', '--fail-on', 'none', '--builds-in', 'local', file], { CI: 'true' }).stdout).some((f) => f.rule === 'GD021'));
    assert.ok(rules(cli(['check', '--format', 'json', '--fail-on', 'none', '--builds-in', 'ci', file]).stdout).some((f) => f.rule === 'GD021'));
  });

  it('fix --builds-in ci downloads into the layer and keeps the build-cache mount; local keeps the module mounts', () => {
    const dir = repo({});
    const file = path.join(dir, 'Dockerfile');
    const ci = cli(['fix', '--stdout', '--builds-in', 'ci', '--rule', 'GD021', file]).stdout.split('\n');
    assert.equal(ci[3], 'RUN go mod download');
    assert.equal(ci[5], 'RUN --mount=type=cache,target=/root/.cache/go-build CGO_ENABLED=0 go build -o /out/app .');
    const local = cli(['fix', '--stdout', '--builds-in', 'local', file]).stdout.split('\n');
    assert.equal(local[3], 'RUN --mount=type=cache,target=/go/pkg/mod go mod download');
  });

  it('rejects an unknown place', () => {
    const result = cli(['check', '--builds-in', 'cloud', path.join(repo({}), 'Dockerfile')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--builds-in must be auto, local or ci, not "cloud"/);
  });
});
