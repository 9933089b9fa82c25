// The editor keeps the last findings for an edit that cannot change them (a comment's words, a
// value nothing reads) and publishes them without analysing the text again
// (server/src/analysis/carry.ts). Whenever it does, they must be exactly the findings of an
// analysis of the new text: checked by editing every comment, ENV and LABEL line of every rule
// fixture, the real-world corpus and generated files, character by character.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze, type AnalysisResult } from '../../server/src/analysis/analyze';
import { findingsCarryOver } from '../../server/src/analysis/carry';
import { hover } from '../../server/src/features/hover';
import { editCases } from '../helpers/editCases';
import { findingsHeavy, EDIT_MARKER } from '../../bench/lsp/dockerfiles';

/** What a typist puts into a line, some of it what the analysis reads: variables, quotes, URLs, escapes, markers. */
const TYPED = ['7', 'x', 'Q', '.', '-', '_', ' ', '$', '${A}', '"', '=', ':', '@', '://u:p@', '\\', '`', '#', 'go-dockerfile-cache ignore=GD012', '$(date)'];

/** Edits of one line at its value or comment: each typed text inserted at, or put in place of, a character, and a character deleted. */
function lineEdits(text: string): string[] {
  const lines = text.split('\n');
  const edited: string[] = [];
  lines.forEach((line, at) => {
    const trimmed = line.trimStart();
    const from = trimmed.startsWith('#') ? line.indexOf('#') + 1 : /^(ENV|LABEL)\s/i.test(trimmed) ? line.indexOf('=') + 1 : -1;
    if (from <= 0) return;
    for (const column of new Set([from, Math.floor((from + line.length) / 2), line.replace(/\r$/, '').length])) {
      const variants = TYPED.flatMap((typed) => [line.slice(0, column) + typed + line.slice(column), line.slice(0, column) + typed + line.slice(column + 1)]);
      if (column > from) variants.push(line.slice(0, column - 1) + line.slice(column));
      for (const variant of variants) edited.push([...lines.slice(0, at), variant, ...lines.slice(at + 1)].join('\n'));
    }
  });
  return edited;
}

describe('findings kept over an edit', () => {
  it('are exactly those an analysis of the edited text finds, whenever they are kept', () => {
    let kept = 0;
    let analysed = 0;
    for (const c of editCases()) {
      const previous: AnalysisResult = analyze(c.text, c.options);
      for (const text of lineEdits(c.text)) {
        if (!findingsCarryOver(previous, text)) {
          analysed++;
          continue;
        }
        kept++;
        assert.deepEqual(analyze(text, c.options).findings, previous.findings, `${c.name}, edited to:\n${text}`);
      }
    }
    // Most edits of comments and values keep the findings; those that type a variable, a quote, a URL or a marker do not.
    assert.ok(kept > 2000 && analysed > 2000, `${kept} edits kept the findings, ${analysed} were analysed`);
  });

  it('covers typing a number into an ENV value of a findings-heavy Go Dockerfile', () => {
    const text = findingsHeavy(13);
    const previous = analyze(text);
    assert.ok(previous.findings.length >= 5);
    for (const value of ['0001', '00012', '1', 'rc.1', 'v2-beta']) {
      const edited = text.replace(`${EDIT_MARKER}0000`, `${EDIT_MARKER}${value}`);
      assert.ok(findingsCarryOver(previous, edited), value);
    }
    assert.ok(findingsCarryOver(previous, text.replace('FROM gcr.io/distroless/static-debian12', '# runtime image\nFROM gcr.io/distroless/static-debian12')) === false, 'a new line');
  });

  it('covers the same edits in a file with CRLF line endings, with the findings of its analysis', () => {
    const text = findingsHeavy(13).replace('FROM gcr.io', '# the runtime image\nFROM gcr.io').replace(/\n/g, '\r\n');
    const previous = analyze(text);
    for (const edited of [text.replace(`${EDIT_MARKER}0000`, `${EDIT_MARKER}0042`), text.replace('# the runtime image', '# the runtime image, static')]) {
      assert.ok(findingsCarryOver(previous, edited));
      assert.deepEqual(analyze(edited).findings, previous.findings);
    }
  });

  it('still covers an ENV value after a hover listed the build args in scope', () => {
    const text = findingsHeavy(13).replace('FROM golang:1.22 AS svc0', 'FROM golang:1.22 AS svc0\nARG GIT_TAG');
    const previous = analyze(text);
    const line = text.split('\n').findIndex((l) => l.startsWith('RUN go build'));
    const shown = hover(text, { line, character: 5 }, { analysis: previous })?.contents;
    assert.match(shown && typeof shown === 'object' && 'value' in shown ? shown.value : '', /build args in scope: `GIT_TAG`/);
    assert.ok(findingsCarryOver(previous, text.replace(`${EDIT_MARKER}0000`, `${EDIT_MARKER}0043`)));
  });

  it('does not cover an edit the findings depend on', () => {
    const base = [
      'FROM golang:1.22 AS build',
      'WORKDIR /src',
      'ENV CGO_ENABLED=0',
      'ENV APP_CHANNEL=stable',
      'ENV MIRROR=proxy.example.com',
      'COPY go.mod go.sum ./',
      'RUN go mod download',
      'COPY . .',
      '# the binary',
      'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .',
      'FROM scratch',
      'COPY --from=build /out/app /app',
      'ENTRYPOINT ["/app"]',
      '',
    ].join('\n');
    const previous = analyze(base);
    const edits: [string, string, string][] = [
      ['a variable Go reads', 'CGO_ENABLED=0', 'CGO_ENABLED=1'],
      ['a value that becomes a URL with credentials', 'MIRROR=proxy.example.com', 'MIRROR=https://u:p@proxy.example.com'],
      ['a comment that becomes a suppression', '# the binary', '# go-dockerfile-cache ignore=GD016'],
    ];
    for (const [what, from, to] of edits) {
      const edited = base.replace(from, to);
      assert.equal(findingsCarryOver(previous, edited), false, what);
      assert.notDeepEqual(analyze(edited).findings, previous.findings, `${what} changes the findings`);
    }
    // A variable another line names, and a line with a finding, are analysed again whatever the edit.
    assert.equal(findingsCarryOver(previous, base.replace('APP_CHANNEL=stable', 'APP_CHANNEL=beta').replace('go build -o', 'go build -ldflags=-X=main.c=$APP_CHANNEL -o')), false);
    const withVariable = analyze(`${base}LABEL channel=$APP_CHANNEL\n`);
    assert.equal(findingsCarryOver(withVariable, `${base.replace('APP_CHANNEL=stable', 'APP_CHANNEL=beta')}LABEL channel=$APP_CHANNEL\n`), false);
    const scratchLine = previous.findings[0].range.start.line;
    const lines = base.split('\n');
    lines[scratchLine] += ' ';
    assert.equal(findingsCarryOver(previous, lines.join('\n')), false);
  });
});
