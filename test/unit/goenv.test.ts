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
