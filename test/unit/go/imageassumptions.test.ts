import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { assumptionWords, unknownBaseImage, unknownImageAssumption } from '../../../server/src/analysis/go/imageassumptions';
import { parseDockerfile } from '../../../server/src/analysis/model/model';

const BUILDER = 'FROM registry.example.com/platform/go-builder:3.2\n';

function assumed(text: string, which: 'GOCACHE' | 'GOMODCACHE') {
  const model = parseDockerfile(text);
  const run = model.runs[model.runs.length - 1];
  return unknownImageAssumption(model, run, run.go[run.go.length - 1], which);
}

describe('what Go directories assume about a base image the analysis does not know', () => {
  it('known images and distributions assume nothing', () => {
    for (const from of ['FROM golang:1.22\n', 'FROM alpine:3.20\n', 'FROM ubuntu:22.04\n', 'FROM docker.io/library/debian:12\n']) {
      assert.equal(assumed(`${from}RUN go build ./...\n`, 'GOCACHE'), undefined, from);
    }
    assert.equal(unknownBaseImage(parseDockerfile('FROM golang:1.22 AS b\nFROM b\n'), parseDockerfile('FROM golang:1.22 AS b\nFROM b\n').stages[1]), undefined);
  });
  it('an unknown image without evidence: the default cache directories are assumptions, and the words say which variables could move them', () => {
    const cache = assumed(`${BUILDER}RUN go build ./...\n`, 'GOCACHE');
    assert.deepEqual(cache, { image: 'registry.example.com/platform/go-builder:3.2', couldSet: ['GOCACHE', 'HOME', 'USER'] });
    assert.equal(assumptionWords(cache!), 'if `registry.example.com/platform/go-builder:3.2` (a base image the analysis does not know) sets none of GOCACHE, HOME or USER');
    assert.ok(assumed(`${BUILDER}RUN go build ./...\n`, 'GOMODCACHE'));
    // A stage built FROM such a stage inherits the question.
    assert.ok(assumed(`${BUILDER.replace('\n', ' AS base\n')}FROM base\nRUN go build ./...\n`, 'GOCACHE'));
  });
  it('the directory set in the file settles it: ENV, an inline variable, `go env -w`, XDG_CACHE_HOME or HOME', () => {
    for (const setup of ['ENV GOCACHE=/cache\n', 'ENV XDG_CACHE_HOME=/xdg\n', 'ENV HOME=/home/build\n', 'RUN go env -w GOCACHE=/cache\n']) {
      assert.equal(assumed(`${BUILDER}${setup}RUN go build ./...\n`, 'GOCACHE'), undefined, setup);
    }
    assert.equal(assumed(`${BUILDER}RUN GOCACHE=/c go build ./...\n`, 'GOCACHE'), undefined);
    assert.equal(assumed(`${BUILDER}ENV GOPATH=/go\nRUN go build ./...\n`, 'GOMODCACHE'), undefined);
    assert.equal(assumed(`${BUILDER}ENV GOMODCACHE=/mods\nRUN go build ./...\n`, 'GOMODCACHE'), undefined);
  });
  it('a package manager or adduser run with no USER shows the steps run as root (HOME=/root)', () => {
    for (const setup of ['RUN apk add --no-cache make\n', 'RUN apt-get update && apt-get install -y make\n', 'RUN adduser -S -D app\n']) {
      assert.equal(assumed(`${BUILDER}${setup}RUN go build ./...\n`, 'GOCACHE'), undefined, setup);
    }
    // A Go builder image may still set GOPATH (one made FROM golang has /go): the module cache stays an assumption.
    assert.ok(assumed(`${BUILDER}RUN apk add --no-cache make\nRUN go build ./...\n`, 'GOMODCACHE'));
  });
  it('Go installed by the file, with HOME settled, leaves Go\'s own GOPATH default', () => {
    for (const install of ['RUN apk add --no-cache go\n', 'RUN apt-get install -y golang-go\n', 'COPY --from=golang:1.22 /usr/local/go /usr/local/go\nRUN apk add make\n']) {
      assert.equal(assumed(`${BUILDER}${install}RUN go build ./...\n`, 'GOMODCACHE'), undefined, install);
    }
  });
  it('a USER the file creates settles HOME; one it does not create, or a numeric one, does not', () => {
    assert.equal(assumed(`${BUILDER}RUN adduser -S -D builder\nUSER builder\nRUN go build ./...\n`, 'GOCACHE'), undefined);
    assert.ok(assumed(`${BUILDER}USER builder\nRUN go build ./...\n`, 'GOCACHE'));
    assert.ok(assumed(`${BUILDER}USER 1000\nRUN go build ./...\n`, 'GOCACHE'));
    assert.equal(assumed(`${BUILDER}USER root\nRUN go build ./...\n`, 'GOCACHE'), undefined);
  });
});

describe('fixes that write a directory guessed on an unknown base image', () => {
  it('say so in their title (GD003, GD004), and not where the file settles the directory', async () => {
    const { analyze } = await import('../../../server/src/analysis/analyze');
    const text = `${BUILDER}WORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /out/app .\n`;
    const titles = (t: string) => analyze(t, { only: ['GD003', 'GD004'] }).findings.map((f) => `${f.rule} ${f.severity}: ${f.fixes[0]?.title}`);
    assert.deepEqual(titles(text), [
      'GD004 info: Add a cache mount on /root/go/pkg/mod to the download and the steps that read the modules (Go\'s default, if `registry.example.com/platform/go-builder:3.2` (a base image the analysis does not know) sets none of GOMODCACHE, GOPATH, HOME or USER)',
      'GD003 info: Add a cache mount on /root/.cache/go-build (Go\'s default, if `registry.example.com/platform/go-builder:3.2` (a base image the analysis does not know) sets none of GOCACHE, HOME or USER)',
    ]);
    const settled = text.replace('WORKDIR', 'ENV GOPATH=/go GOCACHE=/cache\nWORKDIR');
    assert.deepEqual(titles(settled), [
      'GD004 info: Add a cache mount on /go/pkg/mod to the download and the steps that read the modules',
      'GD003 warning: Add a cache mount on /cache',
    ]);
  });
});
