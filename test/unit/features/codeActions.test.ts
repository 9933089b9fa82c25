// Code actions as the editor receives them: which ones, linked to which diagnostic, and the text
// that results from applying them.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { analyze } from '../../../server/src/analysis/analyze';
import { memoryContext } from '../../../server/src/analysis/model/context';
import { parseDockerfile } from '../../../server/src/analysis/model/model';
import { codeActions, FIX_ALL_KIND, minimalEdit, type CodeActionOptions } from '../../../server/src/features/codeActions';
import { toDiagnostic } from '../../../server/src/features/diagnostics';

const URI = 'file:///work/app/Dockerfile';
// A repository's root: its .git is part of the context.
const MODULE = { 'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', 'go.sum': '', 'main.go': 'package main\n', '.git/HEAD': 'ref: refs/heads/main\n' };
const NAIVE = 'FROM golang:1.19 AS build\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT ["/app"]\n';
const context = memoryContext(MODULE, '/work/app');

function applied(text: string, action: CodeAction): string {
  const edits = (action.edit?.changes?.[URI] ?? []) as TextEdit[];
  return TextDocument.applyEdits(TextDocument.create(URI, 'dockerfile', 1, text), edits);
}

function at(text: string, needle: string) {
  const document = TextDocument.create(URI, 'dockerfile', 1, text);
  const start = document.positionAt(text.indexOf(needle));
  return { start, end: start };
}

function actionsAt(text: string, needle: string, options: Partial<CodeActionOptions> = {}): CodeAction[] {
  return codeActions(text, at(text, needle), { uri: URI, context, ...options });
}

describe('quick fixes', () => {
  it('turn a finding\'s fix into a preferred quick fix linked to the diagnostic the editor sent', () => {
    const finding = analyze(NAIVE, { context }).findings.find((f) => f.rule === 'GD003')!;
    const sent = toDiagnostic(finding, URI);
    const actions = actionsAt(NAIVE, 'go build', { diagnostics: [sent] });
    const fix = actions.find((a) => a.title === 'Add a cache mount on /root/.cache/go-build')!;
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.equal(fix.diagnostics?.[0], sent);
    assert.equal(applied(NAIVE, fix).split('\n')[4], 'RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app .');
  });

  it('put preferred fixes first and "Disable … for this line" after them', () => {
    const titles = actionsAt(NAIVE, 'go build').map((a) => a.title);
    const firstDisable = titles.findIndex((t) => t.startsWith('Disable'));
    assert.ok(firstDisable > 0, JSON.stringify(titles));
    assert.ok(titles.slice(firstDisable).every((t) => t.startsWith('Disable')), JSON.stringify(titles));
    assert.ok(titles.includes('Disable GD003 for this line'));
  });

  it('"Disable GD001 for this line" writes the ignore comment above the instruction, with its indentation', () => {
    const text = NAIVE.replace('COPY . .', '  COPY . .');
    const disable = actionsAt(text, '. .').find((a) => a.title === 'Disable GD001 for this line')!;
    assert.equal(applied(text, disable).split('\n').slice(2, 4).join('\n'), '  # go-dockerfile-cache ignore=GD001\n  COPY . .');
  });

  it('offer nothing where there is no finding', () => {
    assert.deepEqual(actionsAt(NAIVE, 'ENTRYPOINT'), []);
  });

  it('are left out when only source actions are asked for', () => {
    assert.ok(actionsAt(NAIVE, 'go build', { only: ['source.fixAll'] }).every((a) => a.kind === FIX_ALL_KIND));
  });
});

describe('fixes that write .dockerignore', () => {
  const gd013 = (text: string, options: Partial<CodeActionOptions>) =>
    actionsAt(text, '. .', options).find((a) => a.diagnostics?.[0]?.code === 'GD013' && a.title !== 'Disable GD013 for this line');

  it('create the file with CreateFile and fill it with a TextDocumentEdit', () => {
    const fix = gd013(NAIVE, { resourceOperations: true, version: 7 })!;
    assert.deepEqual(fix.edit?.documentChanges, [
      { kind: 'create', uri: 'file:///work/app/.dockerignore', options: { ignoreIfExists: true } },
      { textDocument: { uri: 'file:///work/app/.dockerignore', version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '.git\n' }] },
    ]);
  });

  it('replace the whole text of an existing .dockerignore', () => {
    const withIgnore = memoryContext({ ...MODULE, '.dockerignore': 'bin/\ntmp/' }, '/work/app');
    const fix = gd013(NAIVE, { resourceOperations: true, context: withIgnore })!;
    assert.deepEqual(fix.edit?.documentChanges, [
      { textDocument: { uri: 'file:///work/app/.dockerignore', version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 4 } }, newText: 'bin/\ntmp/\n.git\n' }] },
    ]);
  });

  it('are not offered to an editor that cannot create files', () => {
    assert.equal(gd013(NAIVE, { resourceOperations: false }), undefined);
  });
});

describe('source.fixAll.go-dockerfile-cache', () => {
  it('applies every safe fix in one edit of only the changed lines', () => {
    const actions = actionsAt(NAIVE, 'FROM', { only: ['source.fixAll'] });
    assert.deepEqual(actions.map((a) => a.kind), [FIX_ALL_KIND]);
    const edit = actions[0].edit!;
    const after = TextDocument.applyEdits(TextDocument.create(URI, 'dockerfile', 1, NAIVE), edit.changes?.[URI] ?? []);
    assert.match(after, /^FROM golang:1\.19 AS build\nWORKDIR \/src\nCOPY go\.mod go\.sum \.\/\nRUN [^\n]*go mod download\nCOPY \. \.\n/);
    const left = analyze(after, { context }).findings.filter((f) => f.fixes.length > 0 && f.fixes.every((x) => !x.files));
    // GD020's USER changes who runs the image: a suggestion, never part of fix-all.
    assert.deepEqual(left.map((f) => f.rule), ['GD020']);
    assert.doesNotMatch(after, /^USER /m);
    assert.equal(edit.changes?.[URI]?.[0].range.start.line, 2, 'the untouched first lines are not part of the edit');
  });

  it('offers a fix that changes what the image does at run time as a quick fix, never the preferred one', () => {
    assert.ok(analyze(NAIVE, { context }).findings.some((f) => f.rule === 'GD020'));
    const actions = actionsAt(NAIVE, 'scratch');
    const user = actions.find((a) => a.title.startsWith('Run the final image as'));
    assert.ok(user, actions.map((a) => a.title).join('; '));
    assert.equal(user.kind, 'quickfix');
    assert.notEqual(user.isPreferred, true);
    const fixed = TextDocument.applyEdits(TextDocument.create(URI, 'dockerfile', 1, NAIVE), user.edit!.changes![URI]);
    assert.match(fixed, /^USER 65532:65532$/m);
  });

  it('is offered for "source" and for its own kind, not for other kinds', () => {
    assert.equal(actionsAt(NAIVE, 'FROM', { only: ['source'] }).length, 1);
    assert.equal(actionsAt(NAIVE, 'FROM', { only: [FIX_ALL_KIND] }).length, 1);
    assert.deepEqual(actionsAt(NAIVE, 'FROM', { only: ['source.organizeImports'] }), []);
  });

  it('also writes .dockerignore when the editor can create files', () => {
    const [action] = actionsAt(NAIVE, 'FROM', { only: ['source.fixAll'], resourceOperations: true, version: 3 });
    const changes = action.edit?.documentChanges ?? [];
    assert.deepEqual(changes.map((c) => ('textDocument' in c ? c.textDocument.uri : c.kind === 'create' ? `create ${c.uri}` : c.kind)), [
      URI,
      'create file:///work/app/.dockerignore',
      'file:///work/app/.dockerignore',
    ]);
    assert.equal('edits' in changes[0] && changes[0].textDocument.version, 3);
  });

  it('is not offered when nothing can be fixed', () => {
    const clean = 'FROM alpine:3.20\nRUN echo hello\n';
    assert.deepEqual(actionsAt(clean, 'RUN', { only: ['source.fixAll'] }), []);
  });
});

describe('minimalEdit', () => {
  it('covers only what changed and keeps \\r\\n pairs whole', () => {
    const model = parseDockerfile('FROM a\r\nRUN b\r\n');
    assert.deepEqual(minimalEdit(model, 'FROM a\r\nRUN c\r\n'), { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } }, newText: 'c' });
    assert.deepEqual(minimalEdit(model, 'FROM a\r\nX\r\nRUN b\r\n'), { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, newText: 'X\r\n' });
    assert.equal(minimalEdit(model, 'FROM a\r\nRUN b\r\n'), undefined);
  });
});
