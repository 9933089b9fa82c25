// What the model reads out of a Dockerfile: stages, RUN commands, mounts, COPY sources.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { dockerfileInContext, memoryContext } from '../../server/src/analysis/model/context';
import { isCopy, isRun, parseDockerfile } from '../../server/src/analysis/model/model';
import { dependsOnLinesOnly } from '../../server/src/analysis/model/sources';

const MODULE = memoryContext({ 'go.mod': 'module m\n', 'go.sum': '', 'main.go': 'package main', 'services/api/go.mod': 'module api\n', 'services/api/main.go': '', 'cmd/tool/main.go': '', 'config/app.yaml': '' });

describe('model', () => {
  it('splits RUN into commands across &&, ;, | and continuations, with exact ranges', () => {
    const text = 'FROM golang:1.22\nRUN go mod download && \\\n    CGO_ENABLED=0 go build -o /out/app ./cmd/app; echo done | cat\n';
    const run = parseDockerfile(text).instructions.filter(isRun)[0];
    assert.deepEqual(run.commands.map((c) => c.words.map((w) => w.value).join(' ')), ['go mod download', 'go build -o /out/app ./cmd/app', 'echo done', 'cat']);
    const build = run.go.find((g) => g.subcommand === 'build')!;
    assert.equal(build.output, '/out/app');
    assert.equal(build.inlineEnv.get('CGO_ENABLED'), '0');
    assert.deepEqual(build.nameRange, { start: { line: 2, character: 18 }, end: { line: 2, character: 26 } });
  });
  it('keeps quoted -ldflags as one value', () => {
    const run = parseDockerfile('FROM golang:1.22\nRUN go build -ldflags "-s -w -X main.version=${VERSION}" -o app .\n').instructions.filter(isRun)[0];
    assert.equal(run.go[0].flags.get('ldflags')?.value, '-s -w -X main.version=${VERSION}');
    assert.equal(run.go[0].output, 'app');
  });
  it('reads heredoc RUNs line by line', () => {
    const run = parseDockerfile('FROM golang:1.22\nRUN <<EOF\nset -e\ngo mod download\ngo build -o /app .\nEOF\n').instructions.filter(isRun)[0];
    assert.deepEqual(run.go.map((g) => [g.subcommand, g.nameRange.start.line]), [['mod download', 3], ['build', 4]]);
  });
  it('reads exec-form RUN', () => {
    const run = parseDockerfile('FROM golang:1.22\nRUN ["go", "build", "-o", "/app", "."]\n').instructions.filter(isRun)[0];
    assert.equal(run.execForm, true);
    assert.equal(run.go[0].output, '/app');
  });
  it('reads the Go commands of an exec-form shell script, at their places in the JSON string', () => {
    const text = 'FROM golang:1.22\nRUN ["/bin/sh", "-ec", "echo \\"\\u00e9\\" && go build -o /out/app ."]\n';
    const run = parseDockerfile(text).runs[0];
    assert.equal(run.execForm, true);
    assert.deepEqual(run.go.map((g) => g.subcommand), ['build']);
    const { start, end } = run.go[0].nameRange;
    assert.equal(text.split('\n')[start.line].slice(start.character, end.character), 'go build');
    assert.deepEqual(run.go[0].command.within, ['sh -c']);
  });

  it('parses cache mounts and expands variables in their targets', () => {
    const text = 'FROM golang:1.22\nENV CACHE=/c\nRUN --mount=type=cache,target=${CACHE}/build/,id=gb,uid=1000 --mount=type=secret,id=npmrc go build\n';
    const [cache, secret] = parseDockerfile(text).instructions.filter(isRun)[0].mounts;
    assert.equal(cache.type, 'cache');
    assert.equal(cache.targetResolved, '/c/build');
    assert.equal(cache.id, 'gb');
    assert.equal(cache.uid, '1000');
    assert.equal(secret.type, 'secret');
  });
  it('resolves a relative mount target under the WORKDIR, as BuildKit does', () => {
    const text = 'FROM golang:1.22\nWORKDIR /src\nRUN --mount=type=bind,target=. --mount=type=cache,target=cache/go go build\nWORKDIR /\nRUN --mount=type=bind,target=. go build\n';
    const [inSrc, atRoot] = parseDockerfile(text).instructions.filter(isRun);
    assert.deepEqual(inSrc.mounts.map((m) => m.targetResolved), ['/src', '/src/cache/go']);
    assert.equal(atRoot.mounts[0].targetResolved, undefined, 'BuildKit refuses to mount over the root');
  });
  it('classifies COPY sources: module, manifest, other source, unrelated', () => {
    const text = 'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nCOPY services/api/ ./api/\nCOPY cmd ./cmd\nCOPY config/ /etc/app/\nCOPY . .\n';
    const copies = parseDockerfile(text, MODULE).instructions.filter(isCopy);
    assert.deepEqual(copies.map((c) => c.sources.map((s) => s.kind)), [['manifest', 'manifest'], ['module'], ['source'], ['other'], ['module']]);
    assert.equal(copies[1].sources[0].moduleDir, 'services/api');
    assert.equal(copies[1].destResolved, '/src/api/');
    assert.equal(copies[4].destResolved, '/src/');
  });
  it('knows stages, their references and which feed the final image', () => {
    const text = 'FROM golang:1.22 AS deps\nRUN go mod download\nFROM deps AS build\nRUN go build -o /app\nFROM golang:1.22 AS lint\nRUN go vet ./...\nFROM scratch\nCOPY --from=build /app /app\n';
    const model = parseDockerfile(text);
    assert.deepEqual(model.stages.map((s) => [s.name ?? '', s.feedsFinal, s.isFinal]), [['deps', true, false], ['build', true, false], ['lint', false, false], ['', true, true]]);
    assert.equal(model.stages[1].image.stage, model.stages[0]);
    assert.equal(model.stages[3].facts.family, 'scratch');
  });
  it('honours the escape directive and CRLF', () => {
    const text = '# escape=`\r\nFROM golang:1.22\r\nRUN go mod download && `\r\n    go build -o C:\\out\\app.exe .\r\n';
    const model = parseDockerfile(text);
    assert.equal(model.escape, '`');
    assert.equal(model.eol, '\r\n');
    assert.deepEqual(model.instructions.filter(isRun)[0].go.map((g) => g.subcommand), ['mod download', 'build']);
  });
  it('reads exec-form strings with their spaces, as BuildKit does', () => {
    const model = parseDockerfile('FROM golang:1.22\nCOPY ["my dir/go.mod", "./"]\nRUN ["go", "build", \\\n  "-ldflags", "-s -w", "-o", "/out/app", "."]\n');
    assert.deepEqual(model.instructions.filter(isCopy)[0].sources.map((s) => s.value), ['my dir/go.mod']);
    const run = model.instructions.filter(isRun)[0];
    assert.equal(run.go[0]?.flags.get('ldflags')?.value, '-s -w');
    assert.deepEqual(run.commands[0].words.map((w) => w.value), ['go', 'build', '-ldflags', '-s -w', '-o', '/out/app', '.']);
  });

  it('never throws on malformed input', () => {
    for (const text of ['', '\\', 'RUN <<EOF\ngo build', 'FROM', 'COPY --from= .', 'RUN --mount=type=cache,target go build', '\u0000\u0001\uffff', 'FROM golang\nRUN "unterminated go build']) {
      assert.doesNotThrow(() => parseDockerfile(text), JSON.stringify(text));
    }
  });
});

describe('the ignore file a Dockerfile reads', () => {
  const context = memoryContext({ '.dockerignore': 'bin/\n', 'cmd/api/Dockerfile.dockerignore': '.git\nbin/\n', 'cmd/api/Dockerfile': '', 'cmd/web/Dockerfile': '' });

  it('is the Dockerfile\'s own `<Dockerfile>.dockerignore` where there is one, else the context\'s', () => {
    const own = parseDockerfile('FROM scratch\nCOPY . .\n', context, undefined, 'cmd/api/Dockerfile').dockerignore;
    assert.deepEqual([own.path, own.ignores('.git'), own.ignores('bin/x')], ['cmd/api/Dockerfile.dockerignore', true, true]);
    const shared = parseDockerfile('FROM scratch\nCOPY . .\n', context, undefined, 'cmd/web/Dockerfile').dockerignore;
    assert.deepEqual([shared.path, shared.ignores('.git'), shared.ignores('bin/x')], ['.dockerignore', false, true]);
    assert.equal(parseDockerfile('FROM scratch\n', context).dockerignore.path, '.dockerignore', 'a Dockerfile whose path is not known reads the context\'s');
  });

  it('places a Dockerfile in its context by path, or nowhere when it lies outside', () => {
    assert.equal(dockerfileInContext('/repo', '/repo/cmd/api/Dockerfile'), 'cmd/api/Dockerfile');
    assert.equal(dockerfileInContext('/repo/cmd', '/repo/build/Dockerfile'), undefined);
    assert.equal(dockerfileInContext('', '/repo/Dockerfile'), undefined);
  });
});

describe('a step that depends on the Dockerfile\'s lines only', () => {
  const lastRun = (text: string) => {
    const model = parseDockerfile(text, MODULE);
    const run = model.runs[model.runs.length - 1];
    return dependsOnLinesOnly(model.stages, run.stage!, run.position);
  };
  it('is one with nothing copied or bound before it, in its stage or the stages it starts FROM', () => {
    assert.equal(lastRun('FROM golang:1.22\nRUN go install golang.org/x/tools/cmd/goimports@v0.24.0\n'), true);
    assert.equal(lastRun('FROM golang:1.22 AS base\nRUN apk add git\nFROM base\nRUN go install example.com/tool@v1.2.0\n'), true);
    assert.equal(lastRun('FROM golang:1.22\nCOPY --from=ghcr.io/acme/tools:1.0 /bin/tool /bin/\nRUN go install example.com/tool@v1.2.0\n'), true);
  });
  it('is not one after a COPY or bind mount of the context, or of a stage that reads it', () => {
    assert.equal(lastRun('FROM golang:1.22\nCOPY go.mod ./\nRUN go install example.com/tool@v1.2.0\n'), false);
    assert.equal(lastRun('FROM golang:1.22 AS base\nCOPY . .\nFROM base\nRUN go install example.com/tool@v1.2.0\n'), false);
    assert.equal(lastRun('FROM golang:1.22 AS src\nCOPY . /src\nFROM golang:1.22\nCOPY --from=src /src/tools.go ./\nRUN go install example.com/tool@v1.2.0\n'), false);
    assert.equal(lastRun('FROM golang:1.22\nRUN --mount=type=bind,target=. go build -o /app .\n'), false);
    assert.equal(lastRun('FROM golang:1.22\nADD https://example.com/tool.tar.gz /tmp/\nRUN go install example.com/tool@v1.2.0\n'), false);
  });
});
