// The language server end to end: the bundled server.js as a child process, driven like an editor.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { effectiveGoEnv } from '../../server/src/analysis/go/goenv';
import { mountOnGoCache } from '../../server/src/analysis/go/gofacts';
import { isRun, parseDockerfile } from '../../server/src/analysis/model/model';
import { goProject, hoverText, naiveSession, NAIVE_DOCKERFILE, positionOf, TestClient } from './harness';

const FIX_ALL = 'source.fixAll.go-dockerfile-cache';
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);
const has = (rule: string) => (diagnostics: Diagnostic[]) => codes(diagnostics).includes(rule);
const lacks = (rule: string) => (diagnostics: Diagnostic[]) => !codes(diagnostics).includes(rule);

function only(diagnostics: Diagnostic[], rule: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === rule);
  assert.equal(found.length, 1, `one ${rule} expected, got ${JSON.stringify(codes(diagnostics))}`);
  return found[0];
}

function preferredFix(actions: CodeAction[], rule: string): CodeAction {
  const fix = actions.find((a) => a.kind === 'quickfix' && a.isPreferred && a.diagnostics?.some((d) => d.code === rule));
  assert.ok(fix, `no preferred quick fix for ${rule} in ${JSON.stringify(actions.map((a) => a.title))}`);
  return fix;
}

describe('language server on the naive Go Dockerfile', () => {
  const session = naiveSession();

  it('publishes GD001 on the `.` of COPY and GD003 on `go build`, with code, link, source and related location', async () => {
    const { client, project } = session;
    const diagnostics = await client.diagnosticsFor(project.uri, (d) => has('GD001')(d) && has('GD003')(d));
    const gd001 = only(diagnostics, 'GD001');
    assert.deepEqual(gd001.range, { start: { line: 2, character: 5 }, end: { line: 2, character: 6 } });
    assert.equal(gd001.source, 'go-dockerfile-cache');
    assert.equal(gd001.severity, 2);
    assert.match(gd001.codeDescription?.href ?? '', /docs\/rules\/GD001\.md$/);
    assert.deepEqual(gd001.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]), [[project.uri, 3]]);
    const gd003 = only(diagnostics, 'GD003');
    assert.deepEqual(gd003.range, { start: { line: 4, character: 4 }, end: { line: 4, character: 12 } });
    assert.match(String(gd003.message), /\/root\/\.cache\/go-build/);
  });

  it('hovers `go build` with the GOCACHE Go uses there and where it comes from', async () => {
    const { client, project } = session;
    const text = hoverText(await client.hover(project.uri, positionOf(NAIVE_DOCKERFILE, 'go build', 4)));
    assert.match(text, /\/root\/\.cache\/go-build/);
    assert.match(text, /GOPATH \| `\/go` \| set by the golang image/);
    assert.match(text, /GD003 go-build-without-build-cache/);
  });

  it('hovers COPY with the files it reads from the build context', async () => {
    const { client, project } = session;
    const text = hoverText(await client.hover(project.uri, positionOf(NAIVE_DOCKERFILE, 'COPY . .')));
    assert.match(text, /Reads \*\*4 files\*\*/);
    assert.match(text, /`go\.mod`, `go\.sum`, `main\.go`/);
  });

  it('answers hover with null where there is nothing to say', async () => {
    const { client, project } = session;
    assert.equal(await client.hover(project.uri, positionOf(NAIVE_DOCKERFILE, 'ENTRYPOINT')), null);
  });
});

describe('quick fixes', () => {
  let client: TestClient;
  const projects: string[] = [];
  before(async () => { client = await TestClient.start(); });
  after(async () => {
    await client.stop();
    for (const dir of projects) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The project is a repository's root: its .git is part of the build context (GD013). */
  const REPOSITORY_ROOT = { '.git/HEAD': 'ref: refs/heads/main\n' };

  async function openProject(dockerfile: string, extra: Record<string, string> = {}) {
    const project = goProject(dockerfile, extra);
    projects.push(project.dir);
    await client.open(project.uri, dockerfile);
    return project;
  }

  it('GD001: copies go.mod and go.sum and downloads modules before the source', async () => {
    const { uri } = await openProject(NAIVE_DOCKERFILE);
    const diagnostics = await client.diagnosticsFor(uri, has('GD001'));
    const gd001 = only(diagnostics, 'GD001');
    const actions = await client.codeActions(uri, gd001.range, [gd001]);
    const fix = preferredFix(actions, 'GD001');
    assert.equal(fix.title, 'Copy go.mod and go.sum and download modules before the source');
    await client.apply(fix.edit!);
    assert.equal(client.text(uri).split('\n').slice(1, 6).join('\n'), 'WORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /out/app .');
    await client.diagnosticsFor(uri, lacks('GD001'), 'diagnostics without GD001');
  });

  it('reads the Makefile a RUN make runs from disk, and again when it changes', async () => {
    const dockerfile = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN make build\n';
    const project = await openProject(dockerfile, { Makefile: 'build:\n\techo nothing to build\n' });
    const before = await client.diagnosticsFor(project.uri);
    assert.ok(!before.some((d) => d.code === 'GD003'), 'a target that runs no Go gets no GD003');
    fs.writeFileSync(path.join(project.dir, 'Makefile'), 'build:\n\tgo build -o /out/app .\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(project.dir, 'Makefile')).href, type: 2 }] });
    const gd003 = only(await client.diagnosticsFor(project.uri, has('GD003'), 'GD003 once the target runs go build'), 'GD003');
    assert.equal(gd003.range.start.line, 3);
    const message = typeof gd003.message === 'string' ? gd003.message : gd003.message.value;
    assert.match(message, /`make build` runs `go build -o \/out\/app \.` \(Makefile:2\)\.$/);
  });

  it('GD003: adds a cache mount on GOCACHE', async () => {
    const { uri } = await openProject(NAIVE_DOCKERFILE);
    const gd003 = only(await client.diagnosticsFor(uri, has('GD003')), 'GD003');
    const fix = preferredFix(await client.codeActions(uri, gd003.range, [gd003]), 'GD003');
    await client.apply(fix.edit!);
    assert.equal(client.text(uri).split('\n')[4], 'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .');
    await client.diagnosticsFor(uri, lacks('GD003'), 'diagnostics without GD003');
  });

  it('GD005: every fix makes GOCACHE and the cache mount agree, and the finding goes away', async () => {
    const dockerfile = [
      'FROM golang:1.22 AS build',
      'WORKDIR /src',
      'COPY go.mod go.sum ./',
      'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
      'COPY . .',
      'ENV GOCACHE=/cache/go',
      'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
      '',
    ].join('\n');
    const probe = await openProject(dockerfile);
    const first = only(await client.diagnosticsFor(probe.uri, has('GD005')), 'GD005');
    assert.deepEqual(first.range.start, positionOf(dockerfile, '/root/.cache/go-build'));
    const fixes = (await client.codeActions(probe.uri, first.range, [first])).filter((a) => !a.title.startsWith('Disable'));
    assert.ok(fixes.some((a) => a.isPreferred), JSON.stringify(fixes.map((a) => a.title)));
    for (const { title } of fixes) {
      const { uri } = await openProject(dockerfile);
      const gd005 = only(await client.diagnosticsFor(uri, has('GD005')), 'GD005');
      const fix = (await client.codeActions(uri, gd005.range, [gd005])).find((a) => a.title === title)!;
      await client.apply(fix.edit!);
      const model = parseDockerfile(client.text(uri));
      const build = model.instructions.filter(isRun).find((r) => r.go.some((g) => g.subcommand === 'build'))!;
      const gocache = effectiveGoEnv(build, build.go[0]).GOCACHE.value;
      assert.ok(mountOnGoCache(build, build.go[0], 'GOCACHE'), `after "${title}" GOCACHE ${gocache} has no cache mount:\n${client.text(uri)}`);
      await client.diagnosticsFor(uri, lacks('GD005'), `diagnostics without GD005 after "${title}"`);
    }
  });

  it('offers "Disable GD003 for this line", which adds the ignore comment', async () => {
    const { uri } = await openProject(NAIVE_DOCKERFILE);
    const gd003 = only(await client.diagnosticsFor(uri, has('GD003')), 'GD003');
    const actions = await client.codeActions(uri, gd003.range, [gd003]);
    const disable = actions.find((a) => a.title === 'Disable GD003 for this line');
    assert.ok(disable, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(disable.kind, 'quickfix');
    await client.apply(disable.edit!);
    assert.equal(client.text(uri).split('\n').slice(4, 6).join('\n'), '# go-dockerfile-cache ignore=GD003\nRUN go build -o /out/app .');
    await client.diagnosticsFor(uri, (d) => lacks('GD003')(d) && has('GD001')(d), 'GD001 without GD003');
  });

  it('GD013: creates .dockerignore next to the Dockerfile with CreateFile + TextDocumentEdit', async () => {
    const { uri, dir } = await openProject(NAIVE_DOCKERFILE, REPOSITORY_ROOT);
    const gd013 = only(await client.diagnosticsFor(uri, has('GD013')), 'GD013');
    const fix = preferredFix(await client.codeActions(uri, gd013.range, [gd013]), 'GD013');
    const changes = fix.edit?.documentChanges ?? [];
    assert.deepEqual(changes.map((c) => ('kind' in c ? c.kind : 'edit')), ['create', 'edit']);
    await client.apply(fix.edit!);
    assert.equal(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), '.git\n');
  });

  it('GD013: replaces the text of an existing .dockerignore', async () => {
    const { uri, dir } = await openProject(NAIVE_DOCKERFILE, { ...REPOSITORY_ROOT, '.dockerignore': 'bin/\n' });
    const gd013 = only(await client.diagnosticsFor(uri, has('GD013')), 'GD013');
    const fix = preferredFix(await client.codeActions(uri, gd013.range, [gd013]), 'GD013');
    await client.apply(fix.edit!);
    assert.equal(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), 'bin/\n.git\n');
  });

  it('source.fixAll applies every safe fix at once', async () => {
    const { uri } = await openProject(NAIVE_DOCKERFILE);
    await client.diagnosticsFor(uri, (d) => has('GD001')(d) && has('GD003')(d));
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = await client.codeActions(uri, whole, [], ['source.fixAll']);
    assert.deepEqual(actions.map((a) => a.kind), [FIX_ALL]);
    await client.apply(actions[0].edit!);
    const text = client.text(uri);
    assert.match(text, /COPY go\.mod go\.sum \.\/\n(RUN .*go mod download\n)COPY \. \.\n/);
    assert.match(text, /RUN [^\n]*--mount=type=cache,target=\/root\/\.cache\/go-build[^\n]* go build/);
    const diagnostics = await client.diagnosticsFor(uri);
    assert.deepEqual(diagnostics.filter((d) => ['GD001', 'GD003', 'GD004'].includes(String(d.code))), []);
  });

  it('GD020: offers USER as a quick fix that is not preferred, and source.fixAll leaves it out', async () => {
    const { uri } = await openProject(NAIVE_DOCKERFILE);
    const gd020 = only(await client.diagnosticsFor(uri, has('GD020')), 'GD020');
    const actions = await client.codeActions(uri, gd020.range, [gd020]);
    const fix = actions.find((a) => a.kind === 'quickfix' && a.title === 'Run the final image as 65532:65532');
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.notEqual(fix.isPreferred, true, 'changing who runs the image is never the preferred fix');
    const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const [all] = await client.codeActions(uri, whole, [], ['source.fixAll']);
    await client.apply(all.edit!);
    assert.doesNotMatch(client.text(uri), /^USER /m);
    const after = only(await client.diagnosticsFor(uri, has('GD020')), 'GD020');
    const again = (await client.codeActions(uri, after.range, [after])).find((a) => a.title === 'Run the final image as 65532:65532')!;
    await client.apply(again.edit!);
    assert.match(client.text(uri), /^USER 65532:65532$/m);
    await client.diagnosticsFor(uri, lacks('GD020'), 'diagnostics without GD020');
  });

  it('does not offer source actions to the automatic lightbulb request', async () => {
    const { uri } = await openProject(NAIVE_DOCKERFILE);
    const gd003 = only(await client.diagnosticsFor(uri, has('GD003')), 'GD003');
    const actions = await client.codeActions(uri, gd003.range, [gd003]);
    assert.ok(actions.length > 0);
    assert.ok(actions.every((a) => a.kind === 'quickfix'), JSON.stringify(actions.map((a) => a.kind)));
  });
});

describe('keeping diagnostics current', () => {
  const session = naiveSession();
  before(() => session.client.diagnosticsFor(session.project.uri, has('GD003')));

  it('re-analyses after an edit and publishes for the new version only', async () => {
    const { client, project } = session;
    await client.edit(project.uri, [{ range: { start: { line: 4, character: 3 }, end: { line: 4, character: 3 } }, newText: ' --mount=type=cache,target=/root/.cache/go-build' }]);
    const diagnostics = await client.diagnosticsFor(project.uri, lacks('GD003'), 'diagnostics without GD003');
    assert.ok(has('GD001')(diagnostics));
  });

  it('publishes only the last of a burst of edits', async () => {
    const { client, project } = session;
    const start = client.diagnostics.seen.length;
    let version = 0;
    for (const ch of 'abc') version = await client.edit(project.uri, [{ range: { start: { line: 7, character: 0 }, end: { line: 7, character: 0 } }, newText: `# ${ch}\n` }]);
    await client.diagnosticsFor(project.uri);
    const published = client.diagnostics.seen.slice(start).filter((p) => p.uri === project.uri);
    // Nothing for an older version may arrive after a newer one.
    const versions = published.map((p) => p.version ?? -1);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b));
    assert.equal(versions[versions.length - 1], version);
  });

  it('answers edits that arrive faster than the analysis with the newest text, each version at most once', async () => {
    const { client, project } = session;
    await client.replaceText(project.uri, NAIVE_DOCKERFILE);
    await client.diagnosticsFor(project.uri, has('GD003'));
    const start = client.diagnostics.seen.length;
    const sent: Promise<number>[] = [];
    // Twenty edits written at once, as a paste or a fast typist on a busy machine sends them.
    for (let i = 0; i < 20; i++) sent.push(client.edit(project.uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: `# ${i}\n` }]));
    const versions = await Promise.all(sent);
    const last = await client.edit(project.uri, [{ range: { start: { line: 24, character: 3 }, end: { line: 24, character: 3 } }, newText: ' --mount=type=cache,target=/root/.cache/go-build' }]);
    assert.ok(client.text(project.uri).includes('RUN --mount=type=cache,target=/root/.cache/go-build go build'), client.text(project.uri));
    const final = await client.diagnosticsFor(project.uri, lacks('GD003'), 'diagnostics of the newest text');
    assert.ok(has('GD001')(final));
    // Longer than the debounce: a second publish of a version already answered would be here by now.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const published = client.diagnostics.seen.slice(start).filter((p) => p.uri === project.uri).map((p) => p.version ?? -1);
    assert.deepEqual(published, [...new Set(published)].sort((a, b) => a - b), 'increasing, none twice');
    assert.equal(published.at(-1), last);
    assert.ok(published.every((v) => v > versions[0] - 1));
  });

  it('drops a rule turned off in the settings and brings it back when turned on', async () => {
    const { client, project } = session;
    await client.replaceText(project.uri, NAIVE_DOCKERFILE);
    await client.diagnosticsFor(project.uri, has('GD003'));
    await client.changeSettings({ rules: { GD003: 'off' } });
    const off = await client.diagnosticsFor(project.uri, lacks('GD003'), 'diagnostics without GD003');
    assert.ok(has('GD001')(off));
    await client.changeSettings({ rules: { GD003: 'error' } });
    const on = await client.diagnosticsFor(project.uri, (d) => d.some((x) => x.code === 'GD003' && x.severity === 1), 'GD003 as an error');
    assert.ok(has('GD001')(on));
  });

  it('warns once about an unknown rule id in the settings', async () => {
    const { client, project } = session;
    const start = client.messages.seen.length;
    await client.changeSettings({ rules: { GD999: 'off' } });
    const message = await client.messages.next((m) => /GD999/.test(m.message), 'a warning about GD999', start);
    assert.equal(message.type, 2);
    await client.edit(project.uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# again\n' }]);
    await client.diagnosticsFor(project.uri);
    assert.equal(client.messages.seen.slice(start).filter((m) => /GD999/.test(m.message)).length, 1);
    await client.changeSettings({});
  });

  it('reads the build context again when .dockerignore changes', async () => {
    const { client, project } = session;
    const copy = positionOf(client.text(project.uri), 'COPY . .');
    assert.match((await client.hover(project.uri, copy).then(hoverText)), /Reads \*\*4 files\*\*/);
    fs.writeFileSync(path.join(project.dir, '.dockerignore'), 'Dockerfile\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(project.dir, '.dockerignore')).href, type: 1 }] });
    const text = hoverText(await client.hover(project.uri, copy));
    assert.match(text, /from the build context `[^`]+` \(after `\.dockerignore`\): `\.dockerignore`, `go\.mod`, `go\.sum`, `main\.go`\./);
    assert.match(text, /`\.dockerignore` keeps 1 more file under these paths out/);
  });

  it('clears the diagnostics of a closed document', async () => {
    const { client, project } = session;
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: project.uri } });
    await client.diagnostics.next((p) => p.uri === project.uri && p.diagnostics.length === 0 && p.version === undefined, 'empty diagnostics after close');
  });
});

describe('typing into a comment or a value nothing reads', () => {
  const text = NAIVE_DOCKERFILE.replace('COPY . .\n', 'COPY . .\nENV BUILD_SERIAL=0000\n# modules, then the binary\n');
  const session = {} as { client: TestClient; project: ReturnType<typeof goProject> };
  before(async () => {
    session.project = goProject(text);
    session.client = await TestClient.start();
    await session.client.open(session.project.uri, text);
  });
  after(async () => {
    await session.client.stop();
    fs.rmSync(session.project.dir, { recursive: true, force: true });
  });

  it('publishes the findings for every keystroke, and a quick fix asked for at once keeps what was typed', async () => {
    const { client, project } = session;
    const first = await client.diagnosticsFor(project.uri, has('GD001'));
    const serial = text.split('\n').findIndex((l) => l.startsWith('ENV BUILD_SERIAL'));
    const start = client.diagnostics.seen.length;
    for (const [line, typed] of [[serial, '4'], [serial, '2'], [serial + 1, ' go'], [serial + 1, ' build']] as const) {
      const end = client.text(project.uri).split('\n')[line].length;
      await client.edit(project.uri, [{ range: { start: { line, character: end }, end: { line, character: end } }, newText: typed }]);
      assert.deepEqual(await client.diagnosticsFor(project.uri), first);
    }
    const gd001 = only(first, 'GD001');
    await client.apply(preferredFix(await client.codeActions(project.uri, gd001.range, [gd001]), 'GD001').edit!);
    assert.equal(
      client.text(project.uri).split('\n').slice(1, 8).join('\n'),
      'WORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nENV BUILD_SERIAL=000042\n# modules, then the binary go build\nRUN go build -o /out/app .',
    );
    await client.diagnosticsFor(project.uri, lacks('GD001'), 'diagnostics without GD001');
    // Well after typing stopped, every version was published once, in order.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const versions = client.diagnostics.seen.slice(start).filter((p) => p.uri === project.uri).map((p) => p.version ?? -1);
    assert.deepEqual(versions, [...new Set(versions)].sort((a, b) => a - b));
  });
});

describe('settings and watchers', () => {
  it('pulls the settings scoped to the document and registers file watchers when the editor allows it', async () => {
    const project = goProject();
    const client = await TestClient.start({
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    try {
      const registration = await client.registrations.next((r) => r.method === 'workspace/didChangeWatchedFiles', 'a file watcher registration');
      const globs = (registration.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern);
      assert.deepEqual(globs.sort(), [
        '**/*.dockerignore', '**/.dockerignore', '**/.github/workflows/*.{yml,yaml}', '**/.gitlab-ci.yml', '**/docker-bake*.{hcl,json}', '**/go.mod', '**/go.sum',
        '**/{Makefile,makefile,GNUmakefile,*.mk,*.sh}', '**/{Taskfile,taskfile}*.{yml,yaml}', '**/{compose,docker-compose}*.{yml,yaml}',
      ]);
      await client.open(project.uri, NAIVE_DOCKERFILE);
      await client.configurationRequests.next((scope) => scope === project.uri, 'a configuration request for the document');
    } finally {
      await client.stop();
      fs.rmSync(project.dir, { recursive: true, force: true });
    }
  });

  it('leaves watching to a client that says it synchronizes itself', async () => {
    const client = await TestClient.start({
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
      initializationOptions: { clientSynchronizes: true },
    });
    try {
      // A request after `initialized` is answered after any registration the server sent for it.
      await client.hover('file:///nowhere/Dockerfile', { line: 0, character: 0 });
      assert.deepEqual(client.registrations.seen, []);
    } finally {
      await client.stop();
    }
  });

  it('analyses with the build context named by goDockerfileCache.buildContext', async () => {
    const project = goProject(NAIVE_DOCKERFILE.replace('COPY . .', 'COPY app .'), {});
    fs.mkdirSync(path.join(project.dir, 'app'));
    for (const f of ['go.mod', 'go.sum', 'main.go']) fs.renameSync(path.join(project.dir, f), path.join(project.dir, 'app', f));
    const docker = path.join(project.dir, 'docker');
    fs.mkdirSync(docker);
    const file = path.join(docker, 'Dockerfile');
    fs.renameSync(project.dockerfile, file);
    const uri = pathToFileURL(file).href;
    const client = await TestClient.start({ settings: { buildContext: '..' } });
    try {
      const text = NAIVE_DOCKERFILE.replace('COPY . .', 'COPY app .');
      await client.open(uri, text);
      const hover = hoverText(await client.hover(uri, positionOf(text, 'COPY app')));
      assert.match(hover, /Reads \*\*3 files\*\*/);
      assert.match(hover, /`app\/go\.mod`/);
    } finally {
      await client.stop();
      fs.rmSync(project.dir, { recursive: true, force: true });
    }
  });
});
