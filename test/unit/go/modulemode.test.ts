import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { moduleMode } from '../../../server/src/analysis/go/modulemode';
import { memoryContext, type BuildContext } from '../../../server/src/analysis/model/context';
import { parseDockerfile } from '../../../server/src/analysis/model/model';

const REQUIRES = 'module example.com/app\n\ngo 1.21\n\nrequire github.com/google/uuid v1.6.0\n';

/** The mode of the last Go command of the file. */
function modeOf(text: string, context: BuildContext) {
  const model = parseDockerfile(text, context);
  const run = model.runs[model.runs.length - 1];
  const { mode, downloads, because } = moduleMode(model, run, run.go[run.go.length - 1]);
  return { mode, downloads, because };
}

const BUILD = 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n';

describe('module mode of a Go command', () => {
  it('is GOPATH mode without a go.mod in the context, with GO111MODULE=off, or on a Go before modules', () => {
    assert.deepEqual(modeOf(BUILD, memoryContext({ 'main.go': '' })), { mode: 'gopath', downloads: false, because: 'the build context has no go.mod' });
    const off = modeOf('FROM golang:1.16\nENV GO111MODULE=off\nCOPY . /go/src/app\nRUN go build app\n', memoryContext({ 'go.mod': REQUIRES }));
    assert.deepEqual(off, { mode: 'gopath', downloads: false, because: 'GO111MODULE=off (ENV on line 2)' });
    assert.equal(modeOf('FROM golang:1.10\nCOPY . .\nRUN go build .\n', memoryContext({ 'go.mod': REQUIRES })).mode, 'gopath');
  });
  it('says nothing where files come from elsewhere than the context (a clone, another stage)', () => {
    const cloned = modeOf('FROM golang:1.22\nRUN git clone https://example.com/app /src\nWORKDIR /src\nRUN go build .\n', memoryContext({ 'README.md': '' }));
    assert.deepEqual(cloned, { mode: undefined, downloads: true, because: 'the module is not known' });
  });
  it('downloads nothing for a go.mod without requirements', () => {
    assert.deepEqual(modeOf(BUILD, memoryContext({ 'go.mod': 'module example.com/hello\n\ngo 1.22\n' })), { mode: 'module', downloads: false, because: 'go.mod requires no modules' });
  });
  it('is vendor mode with vendor/modules.txt and go 1.14 or later, unless -mod says otherwise', () => {
    const vendored = memoryContext({ 'go.mod': REQUIRES, 'vendor/modules.txt': '# github.com/google/uuid v1.6.0\n' });
    assert.equal(modeOf(BUILD, vendored).mode, 'vendor');
    assert.equal(modeOf(BUILD.replace('go build', 'go build -mod=mod'), vendored).mode, 'module');
    assert.equal(modeOf(BUILD.replace('RUN go', 'RUN GOFLAGS=-mod=readonly go'), vendored).mode, 'module');
    // Copied without vendor/: the build downloads.
    assert.equal(modeOf('FROM golang:1.22\nWORKDIR /src\nCOPY go.mod main.go ./\nRUN go build .\n', vendored).mode, 'module');
    const old = memoryContext({ 'go.mod': REQUIRES.replace('go 1.21', 'go 1.13'), 'vendor/modules.txt': '' });
    assert.equal(modeOf(BUILD, old).mode, 'module');
    assert.equal(modeOf(BUILD.replace('go build', 'go build -mod=vendor'), old).mode, 'vendor');
  });
  it('gives a download the mode of the builds after it', () => {
    const vendored = memoryContext({ 'go.mod': REQUIRES, 'go.sum': '', 'vendor/modules.txt': '' });
    const text = 'FROM golang:1.22\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build .\n';
    const model = parseDockerfile(text, vendored);
    const download = model.runs[0];
    assert.equal(moduleMode(model, download, download.go[0]).mode, 'vendor');
    assert.match(moduleMode(model, download, download.go[0]).because, /builds after it use vendor\/ \(`go build` on line 6/);
  });
  it('installs package@version in module mode, downloading', () => {
    assert.deepEqual(modeOf('FROM golang:1.22\nRUN go install golang.org/x/tools/cmd/goimports@v0.20.0\n', memoryContext({ 'main.go': '' })).downloads, true);
  });
});
