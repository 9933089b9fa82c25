// The Go cache directories in effect at a RUN: what Go really uses, and why.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { effectiveGoEnv } from '../../server/src/analysis/go/goenv';
import { isRun, parseDockerfile } from '../../server/src/analysis/model/model';

/** Effective Go env at the last RUN of a Dockerfile. */
function atLastRun(text: string) {
  const model = parseDockerfile(text);
  const run = model.instructions.filter(isRun).pop()!;
  return effectiveGoEnv(run, run.go[0]);
}

/** Effective Go env of the last Go command of the last RUN, and of the one before it. */
function atLastGo(text: string) {
  const model = parseDockerfile(text);
  const run = model.instructions.filter(isRun).pop()!;
  return effectiveGoEnv(run, run.go[run.go.length - 1]);
}

describe('effective Go environment', () => {
  it('official golang image as root: /go/pkg/mod and /root/.cache/go-build', () => {
    const env = atLastRun('FROM golang:1.22\nRUN go build ./...\n');
    assert.equal(env.GOPATH.value, '/go');
    assert.equal(env.GOMODCACHE.value, '/go/pkg/mod');
    assert.equal(env.GOCACHE.value, '/root/.cache/go-build');
    assert.equal(env.CGO_ENABLED.value, '1');
    assert.match(env.GOPATH.because, /golang image/);
  });
  it('golang alpine keeps GOPATH=/go but has cgo off', () => {
    const env = atLastRun('FROM golang:1.22-alpine\nRUN go build ./...\n');
    assert.equal(env.GOMODCACHE.value, '/go/pkg/mod');
    assert.equal(env.CGO_ENABLED.value, '0');
  });
  it('plain alpine with apk go: GOPATH defaults to $HOME/go', () => {
    const env = atLastRun('FROM alpine:3.19\nRUN apk add go\nRUN go build ./...\n');
    assert.equal(env.GOPATH.value, '/root/go');
    assert.equal(env.GOMODCACHE.value, '/root/go/pkg/mod');
  });
  it('ENV GOCACHE and GOMODCACHE win, and say which line set them', () => {
    const env = atLastRun('FROM golang:1.22\nENV GOCACHE=/cache/build GOMODCACHE=/cache/mod\nRUN go build\n');
    assert.equal(env.GOCACHE.value, '/cache/build');
    assert.equal(env.GOMODCACHE.value, '/cache/mod');
    assert.equal(env.GOCACHE.because, 'ENV on line 2');
  });
  it('ENV GOPATH moves the module cache', () => {
    assert.equal(atLastRun('FROM golang:1.22\nENV GOPATH=/work\nRUN go build\n').GOMODCACHE.value, '/work/pkg/mod');
  });
  it('a numeric USER unknown to the image gets HOME=/', () => {
    const env = atLastRun('FROM golang:1.22\nUSER 1000\nRUN go build\n');
    assert.equal(env.HOME.value, '/');
    assert.equal(env.GOCACHE.value, '/.cache/go-build');
    assert.match(env.GOCACHE.because, /USER 1000 on line 2/);
  });
  it('a named USER is assumed to live in /home/<name>', () => {
    const env = atLastRun('FROM golang:1.22\nUSER builder\nRUN go build\n');
    assert.equal(env.GOCACHE.value, '/home/builder/.cache/go-build');
    assert.match(env.HOME.because, /assumed/);
  });
  it('XDG_CACHE_HOME moves GOCACHE', () => {
    assert.equal(atLastRun('FROM golang:1.22\nENV XDG_CACHE_HOME=/xdg\nRUN go build\n').GOCACHE.value, '/xdg/go-build');
  });
  it('inline assignments apply to that command only', () => {
    const env = atLastRun('FROM golang:1.22\nRUN CGO_ENABLED=0 GOCACHE=/tmp/gc go build\n');
    assert.equal(env.CGO_ENABLED.value, '0');
    assert.equal(env.GOCACHE.value, '/tmp/gc');
    assert.equal(env.CGO_ENABLED.because, 'set inline on this command');
  });
  it('a child stage inherits ENV and USER but not ARG', () => {
    const env = atLastRun('FROM golang:1.22 AS base\nARG GOCACHE=/arg\nENV GOMODCACHE=/mods\nUSER 1000\nFROM base AS build\nRUN go build\n');
    assert.equal(env.GOMODCACHE.value, '/mods');
    assert.equal(env.GOCACHE.value, '/.cache/go-build');
  });
  it('ENV values expand earlier variables, including ${VAR:-default}', () => {
    const env = atLastRun('FROM golang:1.22\nARG CACHE_ROOT\nENV GOCACHE=${CACHE_ROOT:-/c}/build\nRUN go build\n');
    assert.equal(env.GOCACHE.value, '/c/build');
  });
  it('a registry-qualified golang image is still the official one', () => {
    assert.equal(atLastRun('FROM docker.io/library/golang:1.22@sha256:abc\nRUN go build\n').GOMODCACHE.value, '/go/pkg/mod');
  });
});

describe('what a RUN\'s shell exports before a Go command', () => {
  it('export GOPATH earlier in the RUN moves GOPATH and the module cache', () => {
    const env = atLastGo('FROM alpine:3.19\nRUN apk add go && export GOPATH=/root/gocode && go install example.com/tool@latest\n');
    assert.equal(env.GOPATH.value, '/root/gocode');
    assert.equal(env.GOMODCACHE.value, '/root/gocode/pkg/mod');
    assert.match(env.GOPATH.because, /`GOPATH=\/root\/gocode` earlier in this RUN \(line 2\)/);
  });
  it('export GOCACHE, GOMODCACHE and GOFLAGS, with $VAR expanded', () => {
    const env = atLastGo('FROM golang:1.22\nRUN export GOCACHE=$HOME/gc GOMODCACHE=/m; export GOFLAGS="-mod=vendor" && go build\n');
    assert.equal(env.GOMODCACHE.value, '/m');
    assert.equal(env.GOFLAGS?.value, '-mod=vendor');
  });
  it('export HOME moves every default under it', () => {
    const env = atLastGo('FROM alpine:3.19\nRUN export HOME=/build\\\n && go build .\n');
    assert.equal(env.HOME.value, '/build');
    assert.equal(env.GOCACHE.value, '/build/.cache/go-build');
    assert.equal(env.GOPATH.value, '/build/go');
  });
  it('a plain assignment counts for a variable already in the environment, not for a new one', () => {
    assert.equal(atLastGo('FROM golang:1.22\nRUN GOPATH=/w; go build\n').GOPATH.value, '/w');
    assert.equal(atLastGo('FROM alpine:3.19\nRUN GOCACHE=/c; go build\n').GOCACHE.value, '/root/.cache/go-build');
    assert.equal(atLastGo('FROM alpine:3.19\nRUN GOCACHE=/c; export GOCACHE; go build\n').GOCACHE.value, '/c');
  });
  it('a Go command before the export, a subshell\'s export and a computed value leave the setting alone', () => {
    const model = parseDockerfile('FROM golang:1.22\nRUN go mod download && export GOCACHE=/c && go build\n');
    const run = model.instructions.filter(isRun).pop()!;
    assert.equal(effectiveGoEnv(run, run.go[0]).GOCACHE.value, '/root/.cache/go-build');
    assert.equal(effectiveGoEnv(run, run.go[1]).GOCACHE.value, '/c');
    assert.equal(atLastGo('FROM golang:1.22\nRUN (export GOCACHE=/c) && go build\n').GOCACHE.value, '/root/.cache/go-build');
    assert.equal(atLastGo('FROM golang:1.22\nRUN sh -c "export GOCACHE=/c" && go build\n').GOCACHE.value, '/root/.cache/go-build');
    assert.equal(atLastGo('FROM golang:1.22\nRUN sh -c "export GOCACHE=/c && go build"\n').GOCACHE.value, '/c');
    assert.equal(atLastGo('FROM golang:1.22\nRUN export GOPATH=$(go env GOPATH) && go build\n').GOPATH.value, '/go');
  });
  it('unset takes an ENV value away', () => {
    assert.equal(atLastGo('FROM golang:1.22\nENV GOCACHE=/c\nRUN unset GOCACHE && go build\n').GOCACHE.value, '/root/.cache/go-build');
  });
  it('the command\'s own prefix wins over an export', () => {
    assert.equal(atLastGo('FROM golang:1.22\nRUN export GOCACHE=/a && GOCACHE=/b go build\n').GOCACHE.value, '/b');
  });
});

describe('go env -w', () => {
  it('sets GOFLAGS, GOMODCACHE and GOCACHE for later RUNs of the stage', () => {
    const env = atLastGo('FROM golang:1.22\nRUN go env -w GOFLAGS=-mod=mod GOMODCACHE=/mods && \\\n    go env -w GOCACHE=/gc\nRUN go build\n');
    assert.equal(env.GOFLAGS?.value, '-mod=mod');
    assert.equal(env.GOMODCACHE.value, '/mods');
    assert.equal(env.GOCACHE.value, '/gc');
    assert.equal(env.GOCACHE.because, '`go env -w` on line 3, in /root/.config/go/env');
  });
  it('applies to later commands of its own RUN, and to stages FROM it', () => {
    assert.equal(atLastGo('FROM alpine:3.19\nRUN go env -w GOPATH=/gp && go build\n').GOMODCACHE.value, '/gp/pkg/mod');
    // The golang image's ENV GOPATH=/go wins over the file.
    assert.equal(atLastGo('FROM golang:1.22\nRUN go env -w GOPATH=/gp && go build\n').GOMODCACHE.value, '/go/pkg/mod');
    assert.equal(atLastGo('FROM golang:1.22 AS base\nRUN go env -w GOCACHE=/gc\nFROM base\nRUN go build\n').GOCACHE.value, '/gc');
    assert.equal(atLastGo('FROM golang:1.22 AS base\nRUN go env -w GOCACHE=/gc\nFROM golang:1.22\nRUN go build\n').GOCACHE.value, '/root/.cache/go-build');
  });
  it('ENV and export still win over the file, as in Go', () => {
    assert.equal(atLastGo('FROM golang:1.22\nRUN go env -w GOCACHE=/gc\nENV GOCACHE=/env\nRUN go build\n').GOCACHE.value, '/env');
    assert.equal(atLastGo('FROM golang:1.22\nRUN go env -w GOCACHE=/gc\nRUN export GOCACHE=/sh && go build\n').GOCACHE.value, '/sh');
  });
  it('the file belongs to the HOME it was written under', () => {
    assert.equal(atLastGo('FROM golang:1.22\nRUN go env -w GOCACHE=/gc\nUSER 1000\nRUN go build\n').GOCACHE.value, '/.cache/go-build');
    assert.equal(atLastGo('FROM golang:1.22\nUSER 1000\nRUN go env -w GOCACHE=/gc\nRUN go build\n').GOCACHE.value, '/gc');
    assert.equal(atLastGo('FROM golang:1.22\nENV GOENV=/etc/goenv\nRUN go env -w GOCACHE=/gc\nUSER 1000\nRUN go build\n').GOCACHE.value, '/gc');
  });
  it('go env -u removes a setting; a file under a cache mount is not kept in the layer', () => {
    assert.equal(atLastGo('FROM golang:1.22\nRUN go env -w GOCACHE=/gc\nRUN go env -u GOCACHE\nRUN go build\n').GOCACHE.value, '/root/.cache/go-build');
    assert.equal(atLastGo('FROM golang:1.22\nRUN --mount=type=cache,target=/root/.config go env -w GOCACHE=/gc\nRUN go build\n').GOCACHE.value, '/root/.cache/go-build');
  });
  it('the shell expands the value before go env -w writes it', () => {
    assert.equal(atLastGo('FROM golang:1.22\nARG CACHE_ROOT=/caches\nRUN go env -w GOCACHE=$CACHE_ROOT/build\nRUN go build\n').GOCACHE.value, '/caches/build');
    assert.equal(atLastGo('FROM golang:1.22\nRUN go env -w GOCACHE=$(mktemp -d)\nRUN go build\n').GOCACHE.value, '/root/.cache/go-build');
  });
  it('a RUN before the go env -w does not see it', () => {
    const model = parseDockerfile('FROM golang:1.22\nRUN go build\nRUN go env -w GOCACHE=/gc\n');
    const run = model.instructions.filter(isRun)[0];
    assert.equal(effectiveGoEnv(run, run.go[0]).GOCACHE.value, '/root/.cache/go-build');
  });
});
