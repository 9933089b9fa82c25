// Builds driven by make or a script: the Makefile reader, and the findings a `RUN make build` gets
// when its target runs Go, each saying which file and line the Go command came from.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { branchesRunning, readMakefile, recipeOf } from '../../../server/src/analysis/parse/makefile';
import { taskStepsOf } from '../../../server/src/analysis/parse/taskfile';
import { analyze } from '../../../server/src/analysis/analyze';
import { memoryContext } from '../../../server/src/analysis/model/context';
import { fixAll } from '../../../server/src/analysis/fixing/fixer';

const GO_MOD = 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n';
const GO_SUM = 'github.com/google/uuid v1.6.0 h1:x\n';

describe('Makefile reader', () => {
  it('runs prerequisites first, expands simple and recursive variables, drops @ and - prefixes, joins continuations', () => {
    const makefile = readMakefile([
      'GO ?= go',
      'BIN := bin/app',
      'PKG = ./cmd/$(NAME)',
      'NAME = app',
      '',
      '.PHONY: build gen',
      'build: gen ## builds it',
      '\t@$(GO) build -o ${BIN} \\',
      '\t\t$(PKG)',
      '',
      'gen:',
      '\t-$(GO) generate ./...',
      '\techo $$HOME',
    ].join('\n'));
    assert.deepEqual(recipeOf(makefile, 'build'), [
      { text: 'go generate ./...', line: 11, complete: true, environment: ['GO'] },
      { text: 'echo $HOME', line: 12, complete: true, environment: [] },
      { text: 'go build -o bin/app ./cmd/app', line: 7, complete: true, environment: ['GO'] },
    ]);
    assert.equal(makefile.defaultTarget, 'build', 'a bare make builds the first ordinary target');
  });

  it('reads the branch of a conditional that holds the only rules of the goals make is asked for', () => {
    const text = [
      'TOOL_VERSION ?= v1.2.3',
      'ifeq (in_docker,$(firstword $(MAKECMDGOALS)))',
      'in_docker:',
      '\tdocker run --rm tools make $(MAKE_ARGS)',
      'else',
      'LINT := golangci-lint',
      'tools: install-lint',
      'install-lint:',
      '\t@hash $(LINT) > /dev/null 2>&1; if [ $$? -ne 0 ]; then go install example.com/lint@$(TOOL_VERSION); fi',
      'ifdef WINDOWS',
      'build:',
      '\tgo build -o app.exe .',
      'else',
      'build:',
      '\tgo build -o app .',
      'endif',
      'endif',
    ].join('\n');
    const makefile = readMakefile(text);
    assert.equal(recipeOf(makefile, 'tools'), undefined, 'read alone, the target is inside a conditional');
    // `make tools` only works in the else branch: make takes it.
    const taken = branchesRunning(makefile, ['tools']);
    assert.deepEqual([...(taken ?? [])], [[0, 1]]);
    assert.deepEqual(recipeOf(readMakefile(text, taken), 'tools')?.map((l) => [l.text, l.line, l.complete]), [
      ['hash golangci-lint > /dev/null 2>&1; if [ $? -ne 0 ]; then go install example.com/lint@v1.2.3; fi', 8, true],
    ]);
    // `build` has a rule in both branches of `ifdef WINDOWS`: which one runs is not known.
    assert.equal(branchesRunning(makefile, ['build']), undefined);
    assert.equal(branchesRunning(makefile, ['in_docker', 'tools']), undefined, 'goals needing different branches of one conditional');
    assert.equal(branchesRunning(makefile, ['nowhere']), undefined);
  });

  it('marks what it cannot know: functions, assignments in conditionals, variables defined elsewhere', () => {
    const makefile = readMakefile([
      'VERSION := $(shell git describe)',
      'ifeq ($(DEBUG),1)',
      'FLAGS = -gcflags=all=-N',
      'endif',
      'build:',
      '\tgo build -ldflags "-X main.v=$(VERSION)" .',
      '\tgo build $(FLAGS) .',
      '\tgo vet $(LDFLAGS) .',
      '\tgo test $(lowercase_unset) .',
    ].join('\n'));
    assert.deepEqual(recipeOf(makefile, 'build')?.map((l) => l.complete), [false, false, false, true]);
  });

  it('writes a value only the build knows as ${NAME} for the shell, and $(shell CMD) as the substitution of CMD', () => {
    const makefile = readMakefile([
      'TAG := $(shell git describe --tags)',
      'VERSION ?= $(shell ./scripts/version)',
      'build:',
      '\tgo build -ldflags "-X main.tag=$(TAG) -X main.v=$(VERSION)" .',
    ].join('\n'));
    assert.equal(recipeOf(makefile, 'build')?.[0].text, 'go build -ldflags "-X main.tag=${TAG} -X main.v=$(./scripts/version)" .');
  });

  it('says which variables of its environment a recipe line reads: unset in the file, set with ?=, or read by a := value', () => {
    const makefile = readMakefile([
      'VERSION ?= $(shell git describe)',
      'COMMIT := $(BUILD_COMMIT)',
      'DATE = fixed',
      'LDFLAGS = -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)',
      'build:',
      '\tgo build -ldflags "$(LDFLAGS)" .',
      'plain:',
      '\tgo build -ldflags "-X main.date=$(DATE)" .',
    ].join('\n'));
    assert.deepEqual(recipeOf(makefile, 'build')?.[0].environment.sort(), ['BUILD_COMMIT', 'VERSION']);
    assert.deepEqual(recipeOf(makefile, 'plain')?.[0].environment, [], 'DATE = … wins over the environment');
    assert.deepEqual(recipeOf(makefile, 'build', new Map([['VERSION', '1.0']]))?.[0].environment, ['BUILD_COMMIT'], 'make VERSION=… wins over the environment');
    // A variable named inside a function's arguments is read too: make expands them first.
    const stamped = readMakefile([
      'BUILD_TIME ?= $(shell date --iso-8601=seconds)',
      'LDFLAGS := -X main.built=$(shell date -d "${BUILD_TIME}" +%Y%m%d) -X main.by=$(subst -,_,$(BUILDER))',
      'build:',
      '	go build -ldflags "$(LDFLAGS)" .',
    ].join('\n'));
    assert.deepEqual(recipeOf(stamped, 'build')?.[0].environment.sort(), ['BUILDER', 'BUILD_TIME']);
  });

  it('takes make NAME=value over the file, and finds no recipe for a target it does not know', () => {
    const makefile = readMakefile('GOOS ?= linux\nbuild:\n\tGOOS=$(GOOS) go build .\n%.o: %.c\n\tcc $<\n');
    assert.equal(recipeOf(makefile, 'build', new Map([['GOOS', 'darwin']]))?.[0].text, 'GOOS=darwin go build .');
    assert.equal(recipeOf(makefile, 'main.o'), undefined, 'pattern rules are not followed');
    assert.equal(recipeOf(makefile, 'release'), undefined);
  });

  it('reads a target whose recipe is on its own line after a semicolon, and a target-specific variable is not a rule', () => {
    const makefile = readMakefile('all: ; go install ./...\nbuild: GOFLAGS=-mod=vendor\n');
    assert.deepEqual(recipeOf(makefile, undefined)?.map((l) => l.text), ['go install ./...']);
    assert.equal(recipeOf(makefile, 'build'), undefined);
  });
});

describe('Taskfile reader', () => {
  const TASKFILE = [
    'version: "3"',
    'vars:',
    '  OUT: bin/app',
    '  SHA:',
    '    sh: git rev-parse HEAD',
    'tasks:',
    '  default:',
    '    deps: [gen]',
    '    cmds:',
    '      - go build -o {{.OUT}} .',
    '      - cmd: go vet ./...',
    '      - task: lint',
    '  gen: go generate ./...',
    '  lint:',
    '    dir: tools',
    '    cmds:',
    '      - |',
    '        go run ./lint -sha {{.SHA}}',
    '  ci:',
    '    cmds:',
    '      - task: other:build',
  ].join('\n');

  it('runs deps first, then cmds and the tasks they call, with plain vars filled in and each line', () => {
    assert.deepEqual(taskStepsOf(TASKFILE, undefined), [
      { text: 'go generate ./...', line: 12, complete: true, dir: undefined },
      { text: 'go build -o bin/app .', line: 9, complete: true, dir: undefined },
      { text: 'go vet ./...', line: 10, complete: true, dir: undefined },
      { text: 'go run ./lint -sha {{.SHA}}\n', line: 17, complete: false, dir: 'tools' },
    ]);
    assert.equal(taskStepsOf(TASKFILE, undefined, new Map([['OUT', '/out/x']]))?.[1].text, 'go build -o /out/x .');
  });

  it('finds nothing for a task it does not know or one calling an included Taskfile, nor in broken YAML', () => {
    assert.equal(taskStepsOf(TASKFILE, 'release'), undefined);
    assert.equal(taskStepsOf(TASKFILE, 'ci'), undefined);
    assert.equal(taskStepsOf('tasks: [\n', 'build'), undefined);
  });
});

const DOCKERFILE = [
  'FROM golang:1.22',
  'WORKDIR /src',
  'COPY . .',
  'RUN make build',
  '',
].join('\n');

function check(dockerfile: string, files: Record<string, string>) {
  return analyze(dockerfile, { context: memoryContext({ 'go.mod': GO_MOD, 'go.sum': GO_SUM, 'main.go': 'package main\n\nimport _ "github.com/google/uuid"\n', ...files }) });
}

describe('RUN make / a script that runs Go', () => {
  const MAKEFILE = 'GO ?= go\n\nbuild:\n\t$(GO) build -o /out/app .\n';

  it('reports the Go command the target runs, naming the Makefile and its line', () => {
    const { findings } = check(DOCKERFILE, { Makefile: MAKEFILE });
    const gd003 = findings.find((f) => f.rule === 'GD003');
    assert.ok(gd003, findings.map((f) => f.rule).join(' '));
    assert.equal(gd003.range.start.line, 3);
    assert.match(gd003.message, /`make build` runs `go build -o \/out\/app \.` \(Makefile:4\)\.$/);
    const gd001 = findings.find((f) => f.rule === 'GD001');
    assert.ok(gd001, 'the source is copied before the make target reads the modules');
    assert.match(gd001.message, /\(Makefile:4\)/);
  });

  it('fixes with cache mounts on the RUN and keeps the make command', () => {
    const { findings, model } = check(DOCKERFILE, { Makefile: MAKEFILE });
    const fixed = fixAll(model.text, { context: memoryContext({ 'go.mod': GO_MOD, 'go.sum': GO_SUM, Makefile: MAKEFILE }) }).text;
    assert.ok(findings.some((f) => f.rule === 'GD003' && f.fixes.length > 0));
    assert.match(fixed, /RUN --mount=type=cache,target=\/root\/\.cache\/go-build[^\n]*make build/);
  });

  it('says nothing when the Makefile is not in the image, is ignored, or the target is unknown', () => {
    const onlyManifests = DOCKERFILE.replace('COPY . .', 'COPY go.mod go.sum ./');
    assert.deepEqual(check(onlyManifests, { Makefile: MAKEFILE }).findings.filter((f) => f.rule === 'GD003'), []);
    assert.deepEqual(check(DOCKERFILE, { Makefile: MAKEFILE, '.dockerignore': 'Makefile\n' }).findings.filter((f) => f.rule === 'GD003'), []);
    assert.deepEqual(check(DOCKERFILE.replace('make build', 'make release'), { Makefile: MAKEFILE }).findings.filter((f) => f.rule === 'GD003'), []);
    assert.deepEqual(check(DOCKERFILE, {}).findings.filter((f) => f.rule === 'GD003'), []);
  });

  it('reads the Makefile of a context bind-mounted at the WORKDIR (`--mount=target=.`)', () => {
    const mounted = DOCKERFILE.replace('COPY . .\n', '').replace('RUN make build', 'RUN --mount=target=. make build');
    const gd003 = check(mounted, { Makefile: MAKEFILE }).findings.find((f) => f.rule === 'GD003');
    assert.ok(gd003, 'the make target runs go build');
    assert.match(gd003.message, /\(Makefile:4\)\.$/);
  });

  it('reads a script run by path or by sh, following cd, with the line of the Go command', () => {
    const script = '#!/bin/sh\nset -e\ncd "$(dirname "$0")/.."\necho building\ngo install ./...\n';
    const simple = 'set -eu\n\nCGO_ENABLED=0 go build -o /out/app .\n';
    const byPath = check(DOCKERFILE.replace('make build', './scripts/build.sh'), { 'scripts/build.sh': simple });
    assert.match(byPath.findings.find((f) => f.rule === 'GD003')?.message ?? '', /`\.\/scripts\/build\.sh` runs `CGO_ENABLED=0 go build -o \/out\/app \.` \(scripts\/build\.sh:3\)/);
    const bySh = check(DOCKERFILE.replace('make build', 'sh hack/build.sh'), { 'hack/build.sh': simple });
    assert.ok(bySh.findings.some((f) => f.rule === 'GD003'));
    // A `cd` the reader cannot follow leaves the commands after it unread.
    const unfollowed = check(DOCKERFILE.replace('make build', 'bash scripts/build.sh'), { 'scripts/build.sh': script });
    assert.deepEqual(unfollowed.findings.filter((f) => f.rule === 'GD003'), []);
  });

  it('reads only the branch of a script its arguments take, and the functions that branch calls', () => {
    const script = [
      'version=$(git describe --tags)',
      'BuildRelease() {',
      '  go mod download',
      '  go build -o "$1" .',
      '}',
      'BuildDocker() {',
      '  go build -o ./bin/app .',
      '}',
      'if [ "$1" = "dev" ]; then',
      '  go run ./tools/dev',
      'elif [ "$1" = "release" ]; then',
      '  if [ "$2" = "docker" ]; then',
      '    BuildDocker',
      '  else',
      '    BuildRelease dist/app',
      '  fi',
      'fi',
      'case "$3" in',
      '  vet) go vet ./... ;;',
      '  *) echo done ;;',
      'esac',
      '',
    ].join('\n');
    // The lines of build.sh whose Go commands the RUN is read to run.
    const goLines = (command: string, text = script) => check(DOCKERFILE.replace('make build', command), { 'build.sh': text }).model.stages
      .flatMap((stage) => stage.instructions).flatMap((i) => ('go' in i ? i.go : [])).map((go) => go.via?.line);
    // `release docker`: BuildDocker's go build only; not BuildRelease's download and build, the dev run or go vet.
    assert.deepEqual(goLines('bash build.sh release docker'), [7]);
    assert.ok(!check(DOCKERFILE.replace('make build', 'bash build.sh release docker'), { 'build.sh': script }).findings.some((f) => f.rule === 'GD004'));
    // `release`: the else branch calls BuildRelease.
    assert.deepEqual(goLines('bash build.sh release'), [3, 4]);
    assert.deepEqual(goLines('bash build.sh dev'), [10]);
    // The case item of a third argument.
    assert.deepEqual(goLines('./build.sh release docker vet'), [7, 19]);
    // An argument only the build knows keeps every branch it may take.
    assert.deepEqual(goLines('bash build.sh release $TARGET'), [3, 4, 7]);
    assert.deepEqual(goLines('bash build.sh $MODE docker'), [7, 10]);
    // After a `shift`, `$1` is another argument: every branch may run.
    assert.deepEqual(goLines('bash build.sh release docker', `shift\n${script}`), [4, 5, 8, 11, 20]);
  });

  it('reads the directory, file and target flags of make and task as the tools do', () => {
    const makefile = 'build:\n\tgo build -o /out/app .\n';
    const taskfile = 'version: "3"\ntasks:\n  build:\n    cmds:\n      - go build -o /out/app .\n';
    const files = { 'sub/Makefile': makefile, 'other.mk': makefile, 'sub/Taskfile.yml': taskfile, 'ci/tasks.yml': taskfile };
    const origin = (command: string) => /\(([^)]+:\d+)\)\.$/.exec(check(DOCKERFILE.replace('make build', command), files).findings.find((f) => f.rule === 'GD003')?.message ?? '')?.[1];
    assert.equal(origin('make -C sub build'), 'sub/Makefile:2');
    assert.equal(origin('make -Csub build'), 'sub/Makefile:2');
    assert.equal(origin('make --directory=sub -j4 build'), 'sub/Makefile:2');
    assert.equal(origin('make -f other.mk VERSION=1 build'), 'other.mk:2');
    assert.equal(origin('make --makefile=other.mk -- build'), 'other.mk:2');
    assert.equal(origin('make -C $DIR build'), undefined, 'a directory only the build knows');
    assert.equal(origin('task -d sub build'), 'sub/Taskfile.yml:5');
    assert.equal(origin('task --taskfile=ci/tasks.yml --output=group build -- -v'), 'ci/tasks.yml:5');
    assert.equal(origin('task -t ci/tasks.yml --summary build'), undefined, 'task --summary runs nothing');
  });

  it('reads `task build` from the Taskfile the Dockerfile copies', () => {
    const taskfile = 'version: "3"\ntasks:\n  build:\n    cmds:\n      - go build -o /out/app .\n';
    const { findings } = check(DOCKERFILE.replace('make build', 'task build'), { 'Taskfile.yml': taskfile });
    assert.match(findings.find((f) => f.rule === 'GD003')?.message ?? '', /`task build` runs `go build -o \/out\/app \.` \(Taskfile\.yml:5\)\.$/);
    assert.deepEqual(check(DOCKERFILE.replace('make build', 'task --list'), { 'Taskfile.yml': taskfile }).findings.filter((f) => f.rule === 'GD003'), []);
  });

  it('reads a make target to its end through a version script whose lines only assign git output', () => {
    const dockerfile = ['FROM golang:1.22', 'WORKDIR /src', 'COPY go.mod go.sum ./', 'RUN go mod download', 'COPY . .', 'RUN --mount=type=cache,target=/root/.cache/go-build make', ''].join('\n');
    const makefile = 'VERSION ?= $(shell ./scripts/version)\n\nbuild:\n\tgo build -ldflags "-X main.v=$(VERSION)" -o /out/app .\n';
    const script = '#!/bin/sh -e\nCOMMIT=$(git rev-parse --short HEAD)\nTAG=$(git describe --tags 2>/dev/null || true)\necho "${TAG:-$COMMIT}"\n';
    const { findings, model } = check(dockerfile, { Makefile: makefile, 'scripts/version': script });
    assert.equal(model.runs[1].readThrough?.size, 1, 'make and the script it runs are read to their end');
    assert.deepEqual(findings.filter((f) => f.rule === 'GD004').map((f) => f.range.start.line), [3]);
  });

  it('counts a make target read to its end as a module reader: GD004 then speaks, and its fix mounts the module cache there too', () => {
    const dockerfile = [
      'FROM golang:1.22',
      'WORKDIR /src',
      'COPY go.mod go.sum ./',
      'RUN go mod download',
      'COPY . .',
      'RUN --mount=type=cache,target=/root/.cache/go-build make',
      '',
    ].join('\n');
    assert.deepEqual(check(dockerfile, {}).findings.filter((f) => f.rule === 'GD004'), [], 'an unread make may read the modules from the layer');
    assert.deepEqual(check(dockerfile, { Makefile: MAKEFILE.replace('build:', 'build: lint\nlint:\n\tgolangci-lint run\n') }).findings.filter((f) => f.rule === 'GD004'), [], 'a target that runs a tool the reader cannot see is not read to its end');
    const { findings } = check(dockerfile, { Makefile: MAKEFILE });
    assert.deepEqual(findings.filter((f) => f.rule === 'GD004').map((f) => f.range.start.line), [3]);
    const fixed = fixAll(dockerfile, { context: memoryContext({ 'go.mod': GO_MOD, 'go.sum': GO_SUM, Makefile: MAKEFILE }), fixRules: ['GD004'] }).text;
    assert.match(fixed, /RUN --mount=type=cache,target=\/go\/pkg\/mod[^\n]* go mod download/);
    assert.match(fixed, /RUN [^\n]*--mount=type=cache,target=\/go\/pkg\/mod[^\n]* make\n/);
  });
});
