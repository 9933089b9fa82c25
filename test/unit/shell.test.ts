// The commands read out of a RUN's shell, wherever they sit, with the exact document ranges the
// diagnostics underline.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { isRun, parseDockerfile, type RunInstruction } from '../../server/src/analysis/model/model';
import type { Range } from '../../server/src/analysis/model/types';
import { joinMapped, parseShell } from '../../server/src/analysis/parse/shell';

function runOf(text: string, index = 0): RunInstruction {
  return parseDockerfile(text).instructions.filter(isRun)[index];
}

/** The text a range covers in the document. */
function textAt(text: string, range: Range): string {
  const lines = text.split(/\r?\n/);
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  return [lines[range.start.line].slice(range.start.character), ...lines.slice(range.start.line + 1, range.end.line), lines[range.end.line].slice(0, range.end.character)].join('\n');
}

const names = (run: RunInstruction) => run.commands.map((c) => c.words.map((w) => w.value).join(' '));

describe('shell commands of a RUN', () => {
  it('keeps a word whole where the grammar splits it after a braced expansion', () => {
    const text = 'FROM golang:1.22\nRUN go build -o /out/${NAME}$SUFFIX/bin ./cmd/${NAME}$V';
    const run = runOf(text);
    assert.deepEqual(names(run), ['go build -o /out/${NAME}$SUFFIX/bin ./cmd/${NAME}$V']);
    assert.equal(textAt(text, run.commands[0].words[3].range), '/out/${NAME}$SUFFIX/bin');
  });

  it('finds Go commands inside if, for, while, case, subshells, groups and functions', () => {
    const text = [
      'FROM golang:1.22',
      'RUN if [ "$X" = 1 ]; then go test ./...; elif true; then go vet ./...; else go build -o /a .; fi',
      'RUN for d in a b; do go build -o /out/$d ./cmd/$d; done',
      'RUN while false; do go generate ./...; done',
      'RUN case "$T" in test) go test ./... ;; *) go install ./cmd/x ;; esac',
      'RUN (cd sub && go build -o /b .) && { go vet ./...; }',
      'RUN build() { go build -o /c .; }; build',
    ].join('\n');
    const model = parseDockerfile(text);
    const go = model.instructions.filter(isRun).map((run) => run.go.map((g) => `${g.subcommand}@${textAt(text, g.nameRange)}:${g.command.within.join('>')}`));
    assert.deepEqual(go, [
      ['test@go test:if', 'vet@go vet:if', 'build@go build:if'],
      ['build@go build:for'],
      ['generate@go generate:while'],
      ['test@go test:case', 'install@go install:case'],
      ['build@go build:subshell', 'vet@go vet:group'],
      ['build@go build:function>group'],
    ]);
  });

  it('reads the script of sh -c and bash -c, with ranges inside the quotes', () => {
    const text = 'FROM golang:1.22\nRUN sh -c \'CGO_ENABLED=0 go build -o /app ./cmd/app\' && bash -ec "go test -run \\"TestX\\" ./..."\n';
    const run = runOf(text);
    const [build, test] = run.go;
    assert.equal(build.subcommand, 'build');
    assert.equal(textAt(text, build.nameRange), 'go build');
    assert.equal(textAt(text, build.range), 'go build -o /app ./cmd/app');
    assert.equal(build.inlineEnv.get('CGO_ENABLED'), '0');
    assert.equal(build.output, '/app');
    assert.deepEqual(build.command.within, ['sh -c']);
    assert.equal(test.subcommand, 'test');
    assert.equal(test.flags.get('run')?.value, 'TestX');
    // The escaped quotes are inside the range: it covers the text as written.
    assert.equal(textAt(text, test.range), 'go test -run \\"TestX\\" ./...');
  });

  it('finds commands across &&, ||, pipelines and continuations, with their terminators', () => {
    const text = 'FROM golang:1.22\nRUN go mod download && \\\n    go build -o /app . || echo failed | tee log; \\\n    go vet ./...\n';
    const run = runOf(text);
    assert.deepEqual(names(run), ['go mod download', 'go build -o /app .', 'echo failed', 'tee log', 'go vet ./...']);
    assert.deepEqual(run.commands.map((c) => c.terminator), ['&&', '||', '|', ';', '']);
    assert.deepEqual(run.go.map((g) => textAt(text, g.nameRange)), ['go mod download', 'go build', 'go vet']);
    assert.deepEqual(run.go[1].nameRange, { start: { line: 2, character: 4 }, end: { line: 2, character: 12 } });
  });

  it('keeps the spacing inside quotes and words after a redirection', () => {
    const run = runOf('FROM golang:1.22\nRUN go build -ldflags "-s  -w" >/dev/null -o /app .\n');
    assert.equal(run.go[0].flags.get('ldflags')?.value, '-s  -w');
    assert.equal(run.go[0].output, '/app');
  });

  it('lists the files output redirections write, not the ones they read', () => {
    const text = 'FROM alpine\nRUN echo "alias t=tool" >> ~/.profile && cat <in >"$HOME/out" 2>/dev/null && sh -c \'echo a > /root/a\' && (echo b &> /tmp/b)\n';
    const run = runOf(text);
    assert.deepEqual(run.commands.map((c) => c.writes.map((w) => w.value)), [['~/.profile'], ['$HOME/out', '/dev/null'], [], ['/root/a'], ['/tmp/b']]);
    assert.equal(textAt(text, run.commands[3].writes[0].range), '/root/a');
  });

  it('reads Go commands in command substitutions', () => {
    const run = runOf('FROM golang:1.22\nRUN export GOCACHE=$(go env GOCACHE) && go build -o /app .\n');
    assert.deepEqual(run.go.map((g) => [g.subcommand, g.command.within.join('>')]), [['env', 'substitution'], ['build', '']]);
  });

  it('reads a heredoc script, and not the data a heredoc feeds to another command', () => {
    const text = 'FROM golang:1.22\nRUN <<EOF\nset -e\nif [ -f go.mod ]; then\n  go mod download\nfi\nEOF\nRUN cat <<EOF > /notes.txt && go build -o /app .\ngo test ./...\nEOF\nRUN bash <<-"EOT"\n\tgo vet ./...\n\tEOT\nRUN <<EOF\n#!/usr/bin/env python3\nprint("go build")\nEOF\n';
    const runs = parseDockerfile(text).instructions.filter(isRun);
    assert.deepEqual(runs.map((r) => r.go.map((g) => `${g.subcommand}@${g.nameRange.start.line}:${g.nameRange.start.character}`)), [
      ['mod download@4:2'],
      ['build@7:30'],
      ['vet@11:1'],
      [],
    ]);
  });

  it('maps ranges through CRLF line endings and the backtick escape', () => {
    const text = '# escape=`\r\nFROM golang:1.22\r\nRUN echo start && `\r\n    go build `\r\n      -o /app .\r\n';
    const run = runOf(text);
    assert.deepEqual(names(run), ['echo start', 'go build -o /app .']);
    assert.deepEqual(run.go[0].nameRange, { start: { line: 3, character: 4 }, end: { line: 3, character: 12 } });
    assert.deepEqual(run.go[0].flags.get('o')?.range, { start: { line: 4, character: 6 }, end: { line: 4, character: 13 } });
  });

  it('counts columns in UTF-16 code units after non-ASCII text', () => {
    const text = 'FROM golang:1.22\nRUN echo "héllo 😀" && go build .\n';
    assert.equal(textAt(text, runOf(text).go[0].nameRange), 'go build');
  });

  it('reads exec-form RUN as one command', () => {
    const run = runOf('FROM golang:1.22\nRUN ["go", "build", "-o", "/app", "."]\n');
    assert.deepEqual(names(run), ['go build -o /app .']);
    assert.deepEqual(run.commands[0].within, []);
  });

  it('reads only the commands before a syntax error', () => {
    const run = runOf('FROM golang:1.22\nRUN go mod download && go build -o "/app . && if then go test ./...\n');
    assert.deepEqual(run.go.map((g) => g.subcommand), ['mod download']);
    const broken = runOf('FROM golang:1.22\nRUN if [ -n "$X" ]; then go build ./...\n');
    assert.deepEqual(broken.go, []);
  });

  it('never throws, whatever the text', () => {
    for (const text of ['', '"', "'", '$(', '`', 'if', 'case x in', '(((', '}}}', '\\', 'a && && b', 'sh -c', "sh -c ''", 'sh -c "$(', '<<EOF', '\u0000\uffff']) {
      parseShell(joinMapped([{ text, start: { line: 0, character: 0 } }], ' '));
    }
  });
});
