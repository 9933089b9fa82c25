// Hover text as a user reads it, for the images and settings that change Go's directories.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { memoryContext } from '../../../server/src/analysis/model/context';
import { hover } from '../../../server/src/features/hover';
import type { FeatureOptions } from '../../../server/src/features/options';

const MODULE = { 'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', 'go.sum': '', 'main.go': 'package main\n' };

function hoverAt(text: string, needle: string, options: FeatureOptions = {}, offset = 1): string {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, `"${needle}" not in the Dockerfile`);
  const before = text.slice(0, index + offset).split('\n');
  const result = hover(text, { line: before.length - 1, character: before[before.length - 1].length }, options);
  if (!result) return '';
  return typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : JSON.stringify(result.contents);
}

function row(text: string, variable: string): string {
  return text.split('\n').find((l) => l.startsWith(`| ${variable} |`)) ?? `<no ${variable} row>`;
}

describe('hover on a go command', () => {
  it('official golang image: GOPATH from the image, GOCACHE under /root', () => {
    const text = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n';
    const shown = hoverAt(text, 'go build');
    assert.equal(row(shown, 'GOPATH'), '| GOPATH | `/go` | set by the golang image |');
    assert.match(row(shown, 'GOMODCACHE'), /`\/go\/pkg\/mod`/);
    assert.match(row(shown, 'GOCACHE'), /`\/root\/\.cache\/go-build` \| \$HOME\/\.cache\/go-build with HOME \/root \(the build runs as root\)/);
    assert.match(row(shown, 'CGO_ENABLED'), /`1`/);
    assert.match(shown, /`COPY \. \.` \(line 3\): the build-context files it reads/);
    assert.match(shown, /\*\*Build cache\*\* `\/root\/\.cache\/go-build`: not kept/);
  });

  it('alpine with `apk add go`: GOPATH is Go\'s default under HOME', () => {
    const text = 'FROM alpine:3.20\nRUN apk add go\nCOPY . .\nRUN go build -o /app .\n';
    const shown = hoverAt(text, 'go build');
    assert.match(row(shown, 'GOPATH'), /`\/root\/go` \| Go's default \$HOME\/go/);
    assert.match(row(shown, 'GOMODCACHE'), /`\/root\/go\/pkg\/mod`/);
  });

  it('USER 1000: HOME is / so GOCACHE is /.cache/go-build, because of the USER line', () => {
    const text = 'FROM golang:1.22\nUSER 1000\nRUN go build ./...\n';
    assert.match(row(hoverAt(text, 'go build'), 'GOCACHE'), /`\/\.cache\/go-build` \| .*USER 1000 on line 2 has no passwd entry/);
  });

  it('ENV GOCACHE: the value and the ENV line it comes from', () => {
    const text = 'FROM golang:1.22\nENV GOCACHE=/cache/go\nRUN --mount=type=cache,target=/cache/go go build ./...\n';
    const shown = hoverAt(text, 'go build');
    assert.equal(row(shown, 'GOCACHE'), '| GOCACHE | `/cache/go` | ENV on line 2 |');
    assert.match(shown, /\*\*Build cache\*\* `\/cache\/go`: kept between builds on the cache mount at `\/cache\/go`/);
  });

  it('an inline assignment wins over the image', () => {
    const text = 'FROM golang:1.22\nRUN CGO_ENABLED=0 GOOS=linux go build ./...\n';
    const shown = hoverAt(text, 'go build');
    assert.equal(row(shown, 'CGO_ENABLED'), '| CGO_ENABLED | `0` | set inline on this command |');
    assert.equal(row(shown, 'GOOS'), '| GOOS | `linux` | set inline on this command |');
  });

  it('an export earlier in the RUN: the directory in effect and the word that set it', () => {
    const text = 'FROM alpine:3.19\nRUN apk add go \\\n  && export GOPATH=/root/gocode \\\n  && go install example.com/tool@latest\n';
    const shown = hoverAt(text, 'go install');
    assert.equal(row(shown, 'GOPATH'), '| GOPATH | `/root/gocode` | set by `GOPATH=/root/gocode` earlier in this RUN (line 3) |');
    assert.match(row(shown, 'GOMODCACHE'), /`\/root\/gocode\/pkg\/mod`/);
  });

  it('go env -w in an earlier step: the value and the file it came from', () => {
    const text = 'FROM golang:1.22\nRUN go env -w GOCACHE=/gocache GOFLAGS=-mod=mod\nRUN --mount=type=cache,target=/gocache go build ./...\n';
    const shown = hoverAt(text, 'go build');
    assert.equal(row(shown, 'GOCACHE'), '| GOCACHE | `/gocache` | `go env -w` on line 2, in /root/.config/go/env |');
    assert.match(hoverAt(text, 'target=/gocache', {}, 8), /✅ It holds Go's build cache here: GOCACHE is `\/gocache`/);
  });

  it('modules downloaded into an earlier layer', () => {
    const text = 'FROM golang:1.22\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build ./...\n';
    assert.match(hoverAt(text, 'go build'), /\*\*Module cache\*\* `\/go\/pkg\/mod`: filled by `go mod download` on line 3/);
  });
});

describe('hover on a go command, on an image the analysis does not know', () => {
  it('names only the directory the file leaves to the image: steps run as root settle GOCACHE, not GOMODCACHE', () => {
    const shown = hoverAt('FROM registry.example.com/go-builder:3\nRUN apk add git\nRUN go build ./...\n', 'go build');
    assert.match(shown, /GOMODCACHE above is Go's default, assumed: it holds if `registry\.example\.com\/go-builder:3` \(a base image the analysis does not know\) sets none of GOMODCACHE, GOPATH, HOME or USER\./);
    assert.doesNotMatch(shown, /GOCACHE and/);
  });
});

describe('hover on a cache mount', () => {
  it('says what a cache mount keeps and that its target is GOCACHE there', () => {
    const text = 'FROM golang:1.22\nRUN --mount=type=cache,target=/root/.cache/go-build go build ./...\n';
    const shown = hoverAt(text, '--mount');
    assert.match(shown, /\*\*Keeps\*\* the directory's contents from one build to the next/);
    assert.match(shown, /not in the image/);
    assert.match(shown, /not exported with `--cache-to` or pushed to a registry/);
    assert.match(shown, /✅ It holds Go's build cache here: GOCACHE is `\/root\/\.cache\/go-build`/);
  });

  it('warns when Go uses another directory there', () => {
    const text = 'FROM golang:1.22\nENV GOCACHE=/cache/go\nRUN --mount=type=cache,target=/root/.cache/go-build go build ./...\n';
    const shown = hoverAt(text, '--mount');
    assert.match(shown, /⚠️ Go does not use `\/root\/\.cache\/go-build` in this step/);
    assert.match(shown, /GOCACHE is `\/cache\/go` \(ENV on line 2\)/);
  });

  it('points at the owner of the cache for a non-root user', () => {
    const text = 'FROM golang:1.22\nUSER 1000\nRUN --mount=type=cache,target=/.cache/go-build go build ./...\n';
    assert.match(hoverAt(text, '--mount'), /runs as USER `1000` \(line 2\) but the cache directory belongs to root/);
  });
});

describe('hover on COPY', () => {
  it('counts the files read after .dockerignore and names the first few', () => {
    const files = { ...MODULE, '.dockerignore': '*.md\n', 'README.md': '', 'a/b.go': '', 'a/c.go': '', 'a/d.go': '' };
    const text = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build ./...\nRUN go test ./...\n';
    const shown = hoverAt(text, 'COPY', { context: memoryContext(files, '/work/app') });
    assert.match(shown, /Reads \*\*7 files\*\* from the build context `\/work\/app` \(after `\.dockerignore`\): `\.dockerignore`, `a\/b\.go`, `a\/c\.go`, `a\/d\.go`, `go\.mod` and 2 more\./);
    assert.match(shown, /`\.dockerignore` keeps 1 more file under these paths out/);
    assert.match(shown, /the 2 steps after it in stage 0 \(lines 4–5\)/);
  });

  it('matches wildcards from the context root', () => {
    const files = { ...MODULE, 'cmd/api/main.go': '', 'cmd/worker/main.go': '', 'internal/x.go': '' };
    const text = 'FROM golang:1.22\nCOPY go.* ./\nCOPY cmd/* ./cmd/\nRUN go build ./...\n';
    const context = memoryContext(files, '/work/app');
    assert.match(hoverAt(text, 'COPY go.*', { context }), /Reads \*\*2 files\*\*.*`go\.mod`, `go\.sum`\./);
    assert.match(hoverAt(text, 'COPY cmd', { context }), /Reads \*\*2 files\*\*.*`cmd\/api\/main\.go`, `cmd\/worker\/main\.go`\./);
  });

  it('names the stage a COPY --from reads', () => {
    const text = 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n';
    const shown = hoverAt(text, 'COPY --from');
    assert.match(shown, /Copies `\/out\/app` from stage `build` \(line 1\)/);
    assert.match(shown, /last step of its stage/);
  });

  it('without a folder on disk, says the context is unknown', () => {
    const text = 'FROM golang:1.22\nCOPY . .\nRUN go build ./...\n';
    assert.match(hoverAt(text, 'COPY'), /unknown until the Dockerfile is saved/);
  });
});

describe('hover on Go variables in ENV and ARG', () => {
  it('ENV GOMODCACHE: what Go does with it and the value after the line', () => {
    const text = 'FROM golang:1.22\nENV GOMODCACHE=/cache/mod\nRUN go mod download\n';
    const shown = hoverAt(text, 'GOMODCACHE');
    assert.match(shown, /Where downloaded modules are stored/);
    assert.match(shown, /After this line GOMODCACHE is `\/cache\/mod`/);
    assert.match(shown, /reruns every later step of its stage: the step after it in stage 0 \(line 3\)/);
  });

  it('ENV GOPATH moves the module cache along', () => {
    const text = 'FROM golang:1.22\nENV GOPATH=/gopath\nRUN go build ./...\n';
    assert.match(hoverAt(text, 'GOPATH'), /After this line GOPATH is `\/gopath` and GOMODCACHE `\/gopath\/pkg\/mod`/);
  });

  it('ARG GOPROXY: a build arg that reruns later RUNs', () => {
    const text = 'FROM golang:1.22\nARG GOPROXY\nRUN go mod download\n';
    const shown = hoverAt(text, 'GOPROXY');
    assert.match(shown, /The module proxies `go` downloads from/);
    assert.match(shown, /a different `--build-arg GOPROXY=…` reruns every RUN after this line/);
  });

  it('says nothing about variables Go does not read', () => {
    assert.equal(hoverAt('FROM golang:1.22\nENV APP_PORT=8080\nRUN go build ./...\n', 'APP_PORT'), '');
  });
});

describe('hover on FROM', () => {
  it('official golang: glibc and cgo on', () => {
    const shown = hoverAt('FROM golang:1.22\nRUN go build ./...\n', 'golang');
    assert.match(shown, /official golang image on Debian/i);
    assert.match(shown, /C library: glibc\./);
    assert.match(row(shown, 'CGO_ENABLED'), /`1`/);
  });

  it('golang alpine: musl and cgo off', () => {
    const shown = hoverAt('FROM golang:1.22-alpine\nRUN go build ./...\n', 'golang');
    assert.match(shown, /C library: musl/);
    assert.match(row(shown, 'CGO_ENABLED'), /`0` \| Go turns cgo off when no C compiler is installed/);
  });

  it('plain alpine: the defaults once `apk add go` installs Go', () => {
    const shown = hoverAt('FROM alpine:3.20\nRUN apk add go && go build ./...\n', 'alpine');
    assert.match(shown, /Go defaults once Go is installed \(for example `apk add go`\)/);
    assert.match(row(shown, 'GOPATH'), /`\/root\/go`/);
  });

  it('an image the analysis does not know: the Go directories shown are assumed, and what could move them', () => {
    const shown = hoverAt('FROM registry.example.com/go-builder:3 AS build\nRUN go build ./...\n', 'registry');
    assert.match(shown, /^Go's defaults, at the start of this stage:/m);
    assert.match(shown, /GOCACHE and GOMODCACHE above are Go's defaults, assumed: they hold if `registry\.example\.com\/go-builder:3` \(a base image the analysis does not know\) sets none of GOCACHE, HOME, USER, GOMODCACHE or GOPATH\./);
    assert.match(shown, /`docker image inspect registry\.example\.com\/go-builder:3`/);
  });

  it('an image the analysis does not know, with the directories set in the file: nothing is assumed after the ENV', () => {
    const text = 'FROM registry.example.com/go-builder:3\nENV GOCACHE=/c GOMODCACHE=/m\nRUN go build ./...\n';
    assert.match(hoverAt(text, 'registry'), /assumed/);
    assert.doesNotMatch(hoverAt(text, 'go build'), /assumed/);
  });

  it('a known image assumes nothing', () => {
    assert.doesNotMatch(hoverAt('FROM golang:1.22\nRUN go build ./...\n', 'golang'), /assumed/);
  });

  it('scratch: only static binaries', () => {
    const shown = hoverAt('FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n', 'scratch');
    assert.match(shown, /C library: none: it runs only static binaries \(build with `CGO_ENABLED=0`\)/);
    assert.doesNotMatch(shown, /\| GOPATH \|/);
  });
});

describe('hover on a finding', () => {
  it('shows the rule summary and a link to its page', () => {
    const shown = hoverAt('FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n', 'go build');
    assert.match(shown, /\*\*GD003 go-build-without-build-cache\*\*: A Go build runs without a BuildKit cache mount.*\[Read more\]\(https:\/\/[^)]*\/GD003\.md\)/);
  });

  it('answers null off any instruction it knows about', () => {
    assert.equal(hoverAt('FROM golang:1.22\nRUN go build ./...\nEXPOSE 8080\n', 'EXPOSE'), '');
  });
});

describe('hover: where the Dockerfile is built', () => {
  const text = 'FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\n';
  const ci = { system: 'github-actions' as const, file: '.github/workflows/image.yml', line: 31, cacheTo: [{ type: 'gha', mode: 'max' as const, text: 'type=gha,mode=max' }], cacheToUnknown: false, cacheFrom: [], restoresCacheMounts: false, selfHosted: false };
  it('names the workflow line on FROM and on a cache mount, with the GitHub Actions restore hint', () => {
    for (const needle of ['golang', 'type=cache']) {
      const shown = hoverAt(text, needle, { context: memoryContext(MODULE), buildsIn: { where: 'ci', source: 'ci-files', ci } });
      assert.ok(shown.includes('Built in CI by .github/workflows/image.yml:31 (cache-to type=gha,mode=max): cache mounts start empty there'), shown);
      assert.match(shown, /reproducible-containers\/buildkit-cache-dance/);
    }
  });
  it('says local, unknown, restored or self-hosted as the case is', () => {
    const at = (buildsIn: FeatureOptions['buildsIn']) => hoverAt(text, 'golang', { context: memoryContext(MODULE), buildsIn });
    assert.match(at(undefined), /Where this Dockerfile is built is unknown/);
    assert.match(at('local'), /Built locally \(set to local\): cache mounts persist/);
    assert.match(at({ where: 'local', source: 'no-ci-files' }), /Built locally: no CI file of this repository builds it/);
    assert.match(at('ci'), /Built in CI \(set to ci\): cache mounts start empty there/);
    assert.match(at({ where: 'ci', source: 'ci-files', ci: { ...ci, restoresCacheMounts: true } }), /cache mounts are restored there from the CI cache/);
    assert.match(at({ where: 'ci', source: 'ci-files', ci: { ...ci, selfHosted: true, cacheTo: [] } }), /\(exports no cache\): on a self-hosted runner cache mounts last as long as its builder/);
  });
});
