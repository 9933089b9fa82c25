// Dockerfile generators for the property suites: every instruction kind, flags, heredocs,
// continuations, CRLF, `# escape=`, unicode and very long lines, biased towards Go builds so
// the rules and their fixes actually run.
import fc from 'fast-check';

const pick = <T>(...values: T[]) => fc.constantFrom(...values);

const images = pick(
  'golang:1.22', 'golang:1.22-alpine', 'golang:1.19', 'golang', 'golang:latest', 'docker.io/library/golang:1.22@sha256:0123456789abcdef',
  'alpine:3.19', 'scratch', 'gcr.io/distroless/static-debian12', 'gcr.io/distroless/base', 'debian:bookworm', 'busybox', '${GO_IMAGE}',
);
const stageNames = pick('build', 'deps', 'builder', 'base', 'runtime', 'test');
const users = pick('root', '0', '1000', '1000:1000', '65532:65532', 'app', 'nobody', '${UID}');
const goVars = pick('GOCACHE', 'GOMODCACHE', 'GOPATH', 'GOFLAGS', 'GOPROXY', 'GOPRIVATE', 'CGO_ENABLED', 'GOOS', 'GOARCH', 'HOME', 'XDG_CACHE_HOME', 'VERSION', 'GITHUB_TOKEN', 'NPM_PASSWORD');
const goValues = pick('/go-cache', '/cache/mod', '/go', '/root/go', '-mod=mod', '-trimpath', 'off', 'direct', 'example.com/*', '0', '1', 'linux', 'amd64', '$TARGETOS', '${TARGETARCH}', '/home/app', 'dev', 'x y z');
const argNames = pick('VERSION', 'COMMIT', 'GIT_SHA', 'BUILD_DATE', 'TARGETOS', 'TARGETARCH', 'GOPROXY', 'GO_IMAGE', 'UID', 'API_TOKEN', 'REVISION');
const copySources = pick('.', './', '*', 'go.mod', 'go.sum', 'go.mod go.sum', 'go.*', 'cmd', './cmd/', 'internal/', 'services/api/', 'main.go', 'config.yaml', 'vendor/', '/etc/ssl/certs/ca-certificates.crt', '/out/app', '/go/pkg/mod', '/root/.cache/go-build/app');
const copyDests = pick('.', './', '/src', '/src/', '/app', '/etc/ssl/certs/', '/usr/local/bin/', '$GOPATH/src/app/');
const mountTargets = pick('/root/.cache/go-build', '/go/pkg/mod', '/go-cache', '/root/go/pkg/mod', '/.cache/go-build', '${GOCACHE}', '/home/app/.cache/go-build', '/tmp');

const goCommands = fc.oneof(
  pick('go mod download', 'go mod tidy', 'go get ./...', 'go vet ./...', 'go test ./...', 'go generate ./...', 'go install ./cmd/tool'),
  fc.tuple(fc.boolean(), fc.boolean(), pick('/out/app', 'app', '/root/.cache/go-build/app', '/go/bin/app'), pick('.', './cmd/app', './...')).map(
    ([cgo, trim, out, pkg]) => `${cgo ? 'CGO_ENABLED=0 ' : ''}go build${trim ? ' -trimpath' : ''} -o ${out} ${pkg}`,
  ),
  pick('go build -ldflags "-X main.version=${VERSION}" -o /out/app .', 'go build -ldflags="-X main.date=$(date +%s)" -o /out/app .', 'GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .', 'go build -mod=mod -o /out/app .'),
);
const otherCommands = pick('apk add --no-cache go git', 'apt-get update && apt-get install -y ca-certificates', 'echo $(git rev-parse HEAD) > /v', 'echo `date` > /built', 'echo $RANDOM', 'set -e', 'cd /src', 'ls -la | wc -l', 'true');
const shellCommand = fc.oneof({ weight: 3, arbitrary: goCommands }, { weight: 1, arbitrary: otherCommands });

const mountFlag = fc.tuple(mountTargets, fc.option(pick(',id=gomod', ',id=gobuild', ',sharing=locked', ',uid=1000,gid=1000', ',id=go-cache'), { nil: '' })).map(
  ([target, extra]) => `--mount=type=cache,target=${target}${extra}`,
);

type Piece = (escape: string) => string;

const run: fc.Arbitrary<Piece> = fc.tuple(fc.array(mountFlag, { maxLength: 2 }), fc.array(shellCommand, { minLength: 1, maxLength: 3 }), pick('&&', ';', 'cont', 'heredoc', 'exec')).map(
  ([mounts, commands, join]) => (escape: string) => {
    const flags = mounts.map((m) => `${m} `).join('');
    if (join === 'heredoc') return `RUN ${flags}<<EOF\n${commands.join('\n')}\nEOF`;
    if (join === 'exec') return `RUN ${flags}[${commands[0].split(' ').map((w) => JSON.stringify(w)).join(', ')}]`;
    if (join === 'cont') return `RUN ${flags}${commands.join(` && ${escape}\n    `)}`;
    return `RUN ${flags}${commands.join(` ${join} `)}`;
  },
);

const constant = (text: fc.Arbitrary<string>): fc.Arbitrary<Piece> => text.map((t) => () => t);

const instruction: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 2, arbitrary: constant(fc.tuple(fc.option(pick('--platform=$BUILDPLATFORM ', '--platform=linux/amd64 '), { nil: '' }), images, fc.option(stageNames, { nil: undefined })).map(([p, img, name]) => `FROM ${p}${img}${name ? ` AS ${name}` : ''}`)) },
  { weight: 1, arbitrary: constant(stageNames.map((s) => `FROM ${s}`)) },
  { weight: 1, arbitrary: constant(pick('WORKDIR /src', 'WORKDIR app', 'WORKDIR $GOPATH/src/x')) },
  { weight: 1, arbitrary: constant(users.map((u) => `USER ${u}`)) },
  { weight: 2, arbitrary: constant(fc.array(fc.tuple(goVars, goValues), { minLength: 1, maxLength: 3 }).map((vs) => `ENV ${vs.map(([k, v]) => `${k}=${v.includes(' ') ? JSON.stringify(v) : v}`).join(' ')}`)) },
  { weight: 2, arbitrary: constant(fc.tuple(argNames, fc.option(goValues, { nil: undefined })).map(([n, v]) => `ARG ${n}${v === undefined ? '' : `=${v.replace(/ /g, '_')}`}`)) },
  { weight: 3, arbitrary: constant(fc.tuple(pick('COPY', 'ADD'), fc.option(pick('--from=build ', '--from=0 ', '--chown=1000:1000 ', '--link '), { nil: '' }), copySources, copyDests).map(([k, f, s, d]) => `${k} ${f}${s} ${d}`)) },
  { weight: 5, arbitrary: run },
  { weight: 1, arbitrary: constant(pick('CMD ["/app"]', 'ENTRYPOINT ["/app"]', 'EXPOSE 8080', 'LABEL org.opencontainers.image.title="café ☕ 日本"', 'HEALTHCHECK CMD ["/app", "-health"]', 'STOPSIGNAL SIGTERM', 'SHELL ["/bin/sh", "-c"]', 'VOLUME /data')) },
  { weight: 1, arbitrary: constant(pick('# a comment', '# go-dockerfile-cache ignore=GD003,GD016', '# go-dockerfile-cache ignore-file=GD012', '', '#', '# ünïcödé 🚀')) },
  { weight: 1, arbitrary: constant(fc.integer({ min: 500, max: 5000 }).map((n) => `LABEL long="${'x'.repeat(n)}"`)) },
);

export interface GeneratedDockerfile {
  text: string;
  crlf: boolean;
  escape: string;
}

/** A Dockerfile of 1–40 generated instructions, usually starting with a Go build stage. */
export const dockerfile: fc.Arbitrary<GeneratedDockerfile> = fc
  .tuple(fc.boolean(), pick('\\', '\\', '`'), fc.boolean(), fc.array(instruction, { minLength: 1, maxLength: 40 }), fc.boolean())
  .map(([goFirst, escape, crlf, pieces, trailingNewline]) => {
    const lines: string[] = [];
    if (escape === '`') lines.push('# escape=`');
    if (goFirst) lines.push('FROM golang:1.22 AS build', 'WORKDIR /src');
    for (const piece of pieces) lines.push(piece(escape));
    let text = lines.join('\n') + (trailingNewline ? '\n' : '');
    if (crlf) text = text.replace(/\n/g, '\r\n');
    return { text, crlf, escape };
  });

/** Byte-level damage to a real file: truncation, deletion, binary bytes. */
export const mutation = fc.oneof(
  fc.nat().map((at) => (s: string) => s.slice(0, at % (s.length + 1))),
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([at, n]) => (s: string) => { const i = at % (s.length + 1); return s.slice(0, i) + s.slice(i + n); }),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, bytes]) => (s: string) => { const i = at % (s.length + 1); return s.slice(0, i) + String.fromCharCode(...bytes) + s.slice(i); }),
  fc.tuple(fc.nat(), pick('\\', '`', '<<EOF', '"', "'", '$(', '${', '\r', '\n', '--mount=', '\u0000', '\ud800')).map(([at, t]) => (s: string) => { const i = at % (s.length + 1); return s.slice(0, i) + t + s.slice(i); }),
);

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261121);
/** 10,000 generated cases in CI by default; FUZZ_RUNS raises (or lowers) it. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10000);
