import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { goAtLeast, goVersionInEffect, goVersionOfImage, goVersionOfTag } from '../../../server/src/analysis/go/goversion';
import { commandDirectory, moduleOfCommand } from '../../../server/src/analysis/go/commandmodule';
import { memoryContext } from '../../../server/src/analysis/model/context';
import { parseDockerfile } from '../../../server/src/analysis/model/model';

const context = memoryContext({
  'go.mod': 'module example.com/app\n\ngo 1.21\n\nrequire github.com/google/uuid v1.6.0\n',
  'go.sum': '',
  'main.go': 'package main\n',
  'tools/go.mod': 'module example.com/tools\n\ngo 1.12\n',
  'tools/main.go': 'package main\n',
});

function lastGo(text: string) {
  const model = parseDockerfile(text, context);
  const run = model.runs[model.runs.length - 1];
  return { model, run, go: run.go[run.go.length - 1] };
}

describe('Go version of an image tag', () => {
  it('reads the release from golang tags with and without variants', () => {
    assert.equal(goVersionOfTag('1.22'), '1.22');
    assert.equal(goVersionOfTag('1.22.3-alpine3.20'), '1.22.3');
    assert.equal(goVersionOfTag('1.23rc1-bookworm'), '1.23rc1');
    assert.equal(goVersionOfTag('1.21-windowsservercore-ltsc2022'), '1.21');
  });
  it('gives nothing for tags that name no release', () => {
    for (const tag of ['latest', 'alpine', '1', '1-alpine', 'bookworm', 'tip-20240101', undefined]) assert.equal(goVersionOfTag(tag), undefined, String(tag));
  });
  it('follows ARG defaults, --platform and FROM <stage>; not other images or a digest alone', () => {
    const model = parseDockerfile([
      'ARG GO_VERSION=1.22.3',
      'FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS base',
      'FROM base AS build',
      'FROM registry.example.com/builders/go:1.22 AS private',
      'FROM golang@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS pinned',
      'FROM docker.io/library/golang:1.20 AS mirrored',
      'ARG NOT_SET',
      'FROM golang:${NOT_SET} AS unknown',
      'FROM golang:1.22.1@sha256:0000000000000000000000000000000000000000000000000000000000000000 AS both',
    ].join('\n'));
    const versions = model.stages.map((s) => goVersionOfImage(model, s)?.version);
    assert.deepEqual(versions, ['1.22.3', '1.22.3', undefined, undefined, '1.20', undefined, '1.22.1']);
  });
});

describe('Go version in effect', () => {
  it('is the image tag where it says, else the go line of the module the command finds', () => {
    const fromImage = lastGo('FROM golang:1.12\nWORKDIR /src\nCOPY . .\nRUN go build .\n');
    assert.deepEqual(goVersionInEffect(fromImage.model, fromImage.run, fromImage.go), { version: '1.12', source: 'image', from: 'golang:1.12' });
    const fromGoMod = lastGo('FROM golang:latest\nWORKDIR /src\nCOPY . .\nRUN go build .\n');
    assert.deepEqual(goVersionInEffect(fromGoMod.model, fromGoMod.run, fromGoMod.go), { version: '1.21', source: 'go.mod', from: 'go.mod' });
    const sub = lastGo('FROM golang:latest\nWORKDIR /src\nCOPY . .\nRUN cd tools && go build .\n');
    assert.deepEqual(goVersionInEffect(sub.model, sub.run, sub.go), { version: '1.12', source: 'go.mod', from: 'tools/go.mod' });
  });
  it('answers "at least" only when it knows: an image is exact, go.mod is a lower bound', () => {
    const old = lastGo('FROM golang:1.12\nCOPY . .\nRUN go build .\n');
    assert.equal(goAtLeast(old.model, old.run, '1.13', old.go), false);
    assert.equal(goAtLeast(old.model, old.run, '1.10', old.go), true);
    const sub = lastGo('FROM golang\nWORKDIR /src\nCOPY . .\nRUN go -C tools build .\n');
    assert.equal(goAtLeast(sub.model, sub.run, '1.13', sub.go), undefined, 'go 1.12 in go.mod does not make the image 1.12');
    assert.equal(goAtLeast(sub.model, sub.run, '1.11', sub.go), true);
  });
});

describe('the module a Go command runs in', () => {
  it('follows WORKDIR, cd and -C to the go.mod the COPYs put into the image', () => {
    const { model, run, go } = lastGo('FROM golang:1.22\nWORKDIR /src\nCOPY tools/ ./t/\nWORKDIR /src/t\nRUN go build ./...\n');
    assert.equal(commandDirectory(run, go), '/src/t');
    const found = moduleOfCommand(model, run, go);
    assert.equal(found.imageModuleDir, '/src/t');
    assert.equal(found.module?.goMod.module, 'example.com/tools');
  });
  it('finds go.mod copied on its own, renamed into a directory, or by a glob', () => {
    for (const copy of ['COPY go.mod go.sum ./', 'COPY go.* /src/', 'COPY go.mod /src/go.mod', 'COPY . .']) {
      const { model, run, go } = lastGo(`FROM golang:1.22\nWORKDIR /src\n${copy}\nRUN go mod download\n`);
      assert.equal(moduleOfCommand(model, run, go).module?.goMod.module, 'example.com/app', copy);
    }
  });
  it('finds no go.mod where none was copied, and says whether the image may hold one anyway', () => {
    const plain = lastGo('FROM golang:1.22\nWORKDIR /src\nCOPY main.go .\nRUN go build main.go\n');
    assert.equal(moduleOfCommand(plain.model, plain.run, plain.go).module, undefined);
    assert.equal(moduleOfCommand(plain.model, plain.run, plain.go).noGoModInImage, true);
    const cloned = lastGo('FROM golang:1.22\nRUN git clone https://example.com/x /src\nWORKDIR /src\nRUN go build .\n');
    assert.equal(moduleOfCommand(cloned.model, cloned.run, cloned.go).noGoModInImage, false);
    const unknownDir = lastGo('FROM golang:1.22\nCOPY . /src\nRUN cd $DIR && go build .\n');
    assert.equal(moduleOfCommand(unknownDir.model, unknownDir.run, unknownDir.go).imageDir, undefined);
  });
});
