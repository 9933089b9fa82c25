// The build context check and fix read (the one the repository builds the file with), and a
// Dockerfile's own ignore file (`<Dockerfile>.dockerignore`, which BuildKit reads in place of the
// context's .dockerignore): `check` reads it, and `fix` writes one where excluding .git from the
// shared file would take the git stamps of the context's other images away.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.join(__dirname, '..', '..', 'server', 'out', 'cli.js');
const PLAIN = ['FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .', 'RUN CGO_ENABLED=0 go build -o /out/web ./cmd/web', '',
  'FROM gcr.io/distroless/static-debian12', 'COPY --from=build /out/web /web', 'ENTRYPOINT ["/web"]', ''].join('\n');
const STAMPED = ['FROM golang:1.22 AS build', 'WORKDIR /src', 'COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .', 'RUN make agent', ''].join('\n');

function repo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gdc-ignore-'));
  fs.mkdirSync(path.join(dir, '.git'));
  const files: Record<string, string> = {
    'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', 'go.sum': '',
    'cmd/web/main.go': 'package main\n\nfunc main() {}\n', 'cmd/agent/main.go': 'package main\n\nvar version string\n\nfunc main() {}\n',
    Makefile: 'VERSION ?= $(shell git describe --tags --always)\n\nagent:\n\tgo build -ldflags "-X main.version=$(VERSION)" -o /out/agent ./cmd/agent\n',
    '.dockerignore': 'bin/\n', 'cmd/web/Dockerfile': PLAIN, 'cmd/agent/Dockerfile': STAMPED,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function cli(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const gd013 = (dir: string, dockerfile: string) => (JSON.parse(cli(['check', '--context', dir, '--format', 'json', '--fail-on', 'none', path.join(dir, dockerfile)]).stdout).findings as { rule: string; message: string; fixable: boolean }[])
  .filter((f) => f.rule === 'GD013');

describe('ignore files of a Dockerfile', () => {
  it('fix gives the Dockerfile its own ignore file when the shared one serves an image that stamps git; check then reads it', () => {
    const dir = repo();
    const [before] = gd013(dir, 'cmd/web/Dockerfile');
    assert.match(before.message, /also serves `cmd\/agent\/Dockerfile`, whose builds read git: the fix gives this Dockerfile its own `cmd\/web\/Dockerfile.dockerignore`/);
    const fixed = cli(['fix', '--context', dir, '--rule', 'GD013', path.join(dir, 'cmd/web/Dockerfile')]);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stderr, /created .*cmd\/web\/Dockerfile\.dockerignore/);
    assert.equal(fs.readFileSync(path.join(dir, 'cmd/web/Dockerfile.dockerignore'), 'utf8'), 'bin/\n.git\n');
    assert.equal(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), 'bin/\n', 'the shared file is left to the images that read git');
    assert.deepEqual(gd013(dir, 'cmd/web/Dockerfile'), []);
    const [agent] = gd013(dir, 'cmd/agent/Dockerfile');
    assert.deepEqual([agent.fixable, /But this build reads git/.test(agent.message)], [false, true], 'the stamping image is told to pass its version in, with no fix');
  });

  it('fix adds .git to the shared file when no other image reads git', () => {
    const dir = repo();
    fs.rmSync(path.join(dir, 'cmd/agent/Dockerfile'));
    assert.equal(cli(['fix', '--context', dir, '--rule', 'GD013', path.join(dir, 'cmd/web/Dockerfile')]).code, 0);
    assert.equal(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), 'bin/\n.git\n');
    assert.equal(fs.existsSync(path.join(dir, 'cmd/web/Dockerfile.dockerignore')), false);
  });
});

describe('the build context check and fix read with', () => {
  function composeRepo(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gdc-context-'));
    fs.mkdirSync(path.join(dir, '.git'));
    const files: Record<string, string> = {
      'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', 'go.sum': '',
      'main.go': 'package main\n\nimport _ "github.com/google/uuid"\n\nfunc main() {}\n',
      'compose.yaml': 'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n',
      'docker/Dockerfile': PLAIN.replace('./cmd/web', '.'),
    };
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  it('is the one the repository builds the file with when no --context is given, and says so', () => {
    const dir = composeRepo();
    const file = path.join(dir, 'docker/Dockerfile');
    const found = cli(['check', '--format', 'json', '--fail-on', 'none', file]);
    assert.match(found.stderr, new RegExp(`note: .*docker/Dockerfile: analysed with the build context ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, as compose.yaml:4 builds it`));
    const rules = (JSON.parse(found.stdout).findings as { rule: string }[]).map((f) => f.rule);
    assert.ok(rules.includes('GD013'), `the root's .git is what COPY . . copies: ${rules.join(' ')}`);
    // The Dockerfile's own folder holds no .git: --context still chooses.
    const own = cli(['check', '--format', 'json', '--fail-on', 'none', '--context', path.join(dir, 'docker'), file]);
    assert.equal(own.stderr, '');
    assert.deepEqual((JSON.parse(own.stdout).findings as { rule: string }[]).filter((f) => f.rule === 'GD013'), []);
  });

  it('is the one profile, measure and history take too, each saying so before it asks docker', () => {
    const dir = composeRepo();
    // A Makefile recipe, read with the shell parser, builds it instead of the compose file.
    fs.rmSync(path.join(dir, 'compose.yaml'));
    fs.writeFileSync(path.join(dir, 'Makefile'), 'IMAGE ?= app\n\nimage:\n\tdocker build -f docker/Dockerfile -t $(IMAGE) .\n');
    const file = path.join(dir, 'docker/Dockerfile');
    const missing = path.join(dir, 'no-such-docker');
    const note = (doing: string) => new RegExp(`note: .*docker/Dockerfile: ${doing} the build context ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, as Makefile:4 builds it`);
    const profiled = cli(['profile', '--docker', missing, file]);
    assert.match(profiled.stderr, note('built with'));
    assert.equal(profiled.code, 2, profiled.stderr);
    const measured = cli(['measure', '--docker', missing, file]);
    assert.match(measured.stderr, note('measured with'));
    assert.equal(measured.code, 2, measured.stderr);
    const looked = cli(['history', '--docker', missing, file]);
    assert.match(looked.stderr, note('build records looked up for'));
    assert.equal(looked.code, 2, looked.stderr);
    // --context still chooses, and a Dockerfile no build names keeps its folder, without a note.
    assert.doesNotMatch(cli(['profile', '--docker', missing, '--context', path.join(dir, 'docker'), file]).stderr, /note:/);
    fs.writeFileSync(path.join(dir, 'docker', 'other.Dockerfile'), PLAIN);
    assert.doesNotMatch(cli(['profile', '--docker', missing, path.join(dir, 'docker', 'other.Dockerfile')]).stderr, /note:/);
  });
});
