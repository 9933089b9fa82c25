// Keeping the findings of an edit that cannot change them, without analysing the text again.
//
// Much of what is typed into a Dockerfile changes nothing the analysis reads: the words of a
// comment, the number in `ENV BUILD_SERIAL=0042`, a LABEL's text. The editor publishes the last
// analysis' findings for such an edit at once, and analyses the new text once the typing stops.
//
// An edit is taken for one of those only when every way the analysis could see it is closed:
// - the two texts differ inside one line, and no finding, related location or fix touches it;
// - that line is a comment below the first instruction (so no parser directive), outside every
//   instruction (not between a RUN's continuation lines), in a file without heredocs, and neither
//   its old nor its new text is a suppression comment;
// - or the edit is inside the value of one ENV or LABEL pair, and the old and the new value are
//   plain words (letters, digits, `.`, `_`, `+`, `-`): no variable, quote, escape, space, URL or
//   `=`, which the analysis does read. An ENV variable must be one no analysis has asked for
//   (model/scope.ts), named nowhere else in the file;
// - no finding's text (message, related locations, fixes) holds the variable's name, the label's
//   key or the comment, as a fix that moves the line would.
import type { AnalysisResult } from './analyze';
import { instructionAtLine, isEnv, type DockerfileModel } from './model/model';
import { variableAsked } from './model/scope';
import { writtenEnv } from './parse/written';
import type { Finding, Range } from './model/types';

/** The characters of a value whose every value reads the same to the analysis. */
const PLAIN_VALUE = /^[A-Za-z0-9._+-]+$/;
const SUPPRESSION = /go-dockerfile-cache/i;

interface LineEdit {
  /** Offsets of the replaced text in the old text. */
  start: number;
  end: number;
  /** The text that replaces it. */
  text: string;
}

/** The one stretch of `before` that `after` replaces, when it lies inside one line of both. */
function lineEdit(before: string, after: string): LineEdit | undefined {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < shorter - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  const edit = { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
  return /[\r\n]/.test(before.slice(edit.start, edit.end) + edit.text) ? undefined : edit;
}

function coversLine(range: Range, line: number): boolean {
  return range.start.line <= line && line <= range.end.line;
}

function touchesLine(finding: Finding, line: number): boolean {
  return coversLine(finding.range, line)
    || (finding.related ?? []).some((r) => coversLine(r.range, line))
    || finding.fixes.some((fix) => fix.edits.some((e) => coversLine(e.range, line)));
}

function texts(finding: Finding): string[] {
  return [
    finding.message,
    ...(finding.related ?? []).map((r) => r.message),
    ...finding.fixes.flatMap((fix) => [fix.title, ...fix.edits.map((e) => e.newText), ...(fix.files ?? []).map((f) => f.text)]),
  ];
}

type Pair = { name: string; nameRange: Range; valueRange?: Range };

/** What a finding's text must not hold for the edit to keep the findings, or undefined when the edit may change them. */
function inertWord(model: DockerfileModel, line: number, edit: LineEdit): string | undefined {
  const { document } = model;
  const instruction = instructionAtLine(model, line);
  if (!instruction) return inertComment(model, line, edit);
  // LABEL pairs are written as ENV's are: `writtenEnv` reads both.
  const pairs: Pair[] = isEnv(instruction) ? instruction.vars : instruction.keyword === 'LABEL' ? writtenEnv(instruction.node, document) : [];
  const pair = pairs.find((p) => p.valueRange && document.offsetAt(p.valueRange.start) <= edit.start && edit.end <= document.offsetAt(p.valueRange.end));
  if (!pair) return undefined;
  const value = document.getText(pair.valueRange);
  const start = document.offsetAt(pair.valueRange!.start);
  const changed = value.slice(0, edit.start - start) + edit.text + value.slice(edit.end - start);
  if (!PLAIN_VALUE.test(value) || !PLAIN_VALUE.test(changed)) return undefined;
  if (isEnv(instruction) && (variableAsked(pair.name) || model.text.indexOf(pair.name) !== model.text.lastIndexOf(pair.name))) return undefined;
  return pair.name;
}

function inertComment(model: DockerfileModel, line: number, edit: LineEdit): string | undefined {
  const first = model.instructions[0];
  if (!first || line <= first.range.start.line || model.text.includes('<<')) return undefined;
  const comment = model.ast.getComments().find((c) => c.getRange().start.line === line);
  if (!comment) return undefined;
  const hash = model.document.offsetAt(comment.getRange().start);
  const before = comment.getContent();
  if (edit.start <= hash || SUPPRESSION.test(before) || SUPPRESSION.test(edit.text)) return undefined;
  // The words either side of the edit may join into a suppression marker.
  const lineStart = model.document.offsetAt({ line, character: 0 });
  const lineEnd = model.document.offsetAt({ line: line + 1, character: 0 });
  const after = model.text.slice(lineStart, edit.start) + edit.text + model.text.slice(edit.end, lineEnd);
  // An escape character ending a comment continues nothing in BuildKit; the parser may differ, so such a line is left alone.
  if (SUPPRESSION.test(after) || before.includes(model.escape) || after.includes(model.escape)) return undefined;
  return before.trim() === '' ? undefined : before.trim();
}

/**
 * Whether `previous`' findings are exactly those an analysis of `text` would find (with the same
 * options and build context), known without analysing it. False whenever it cannot be sure.
 */
export function findingsCarryOver(previous: AnalysisResult, text: string): boolean {
  const { model, findings } = previous;
  if (model.text === text) return true;
  const edit = lineEdit(model.text, text);
  if (!edit) return false;
  const line = model.document.positionAt(edit.start).line;
  if (findings.some((f) => touchesLine(f, line))) return false;
  const word = inertWord(model, line, edit);
  return word !== undefined && !findings.some((f) => texts(f).some((t) => t.includes(word)));
}
