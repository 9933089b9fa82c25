// dockerfile-ast's parser, reusing the instructions of the previous parse that did not change.
//
// Building an instruction is most of dockerfile-ast's parse: each one splits its arguments again
// and again while it is constructed. A keystroke changes one instruction, so the editor would
// otherwise build every other one again, on every edit. The parser still finds where each
// instruction starts and ends (cheap); only building the object is skipped when the same text sits
// at the same line as in the previous parse.
//
// A reused instruction must answer exactly as a new one would, and must not keep an old version
// of the whole file alive: so each instruction reads a document of its own lines only, at their
// real line numbers (`LinesDocument`). An instruction only ever looks at its own lines, so its
// answers (values, ranges, flags, heredocs) are the same as with the whole file behind it.
import type { Dockerfile, Instruction } from 'dockerfile-ast';
import { Parser } from 'dockerfile-ast/lib/parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from '../model/types';

/** The file being parsed, as dockerfile-ast's Parser builds it. */
type ParsedFile = Parameters<typeof Parser.createInstruction>[1];

/** What dockerfile-ast's Parser keeps while it parses and calls createInstruction with. */
interface ParserInternals {
  document: TextDocument;
  escapeChar: string;
  createInstruction(dockerfile: ParsedFile, keyword: string, start: number, keywordEnd: number, end: number): Instruction;
  /** Skips the here-documents an instruction opens; returns where the instruction ends. */
  processHeredocs(instruction: Instruction, offset: number): number;
}

const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const isEol = (code: number) => code === LINE_FEED || code === CARRIAGE_RETURN;

/**
 * Whole lines of a file, starting at line `firstLine`, answering in the file's line numbers with
 * TextDocument's rules (offsets clamp to the text, a position past a line's end to before its EOL).
 * It holds only what dockerfile-ast asks a document: getText, offsetAt and positionAt.
 */
class LinesDocument {
  private readonly lineStarts: number[];

  constructor(private readonly text: string, private readonly firstLine: number) {
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (!isEol(code)) continue;
      if (code === CARRIAGE_RETURN && text.charCodeAt(i + 1) === LINE_FEED) i++;
      this.lineStarts.push(i + 1);
    }
  }

  getText(range?: Range): string {
    return range ? this.text.substring(this.offsetAt(range.start), this.offsetAt(range.end)) : this.text;
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.text.length), 0);
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    offset = this.beforeEol(offset, starts[line]);
    return { line: line + this.firstLine, character: offset - starts[line] };
  }

  offsetAt(position: Position): number {
    const line = position.line - this.firstLine;
    const starts = this.lineStarts;
    if (line >= starts.length) return this.text.length;
    if (line < 0) return 0;
    const lineStart = starts[line];
    if (position.character <= 0) return lineStart;
    const nextLineStart = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    return this.beforeEol(Math.min(lineStart + position.character, nextLineStart), lineStart);
  }

  private beforeEol(offset: number, lineStart: number): number {
    while (offset > lineStart && isEol(this.text.charCodeAt(offset - 1))) offset--;
    return offset;
  }
}

/** An instruction built by a parse, with what it was built from. */
interface Built {
  instruction: Instruction;
  /** Its whole lines, a copy that owns its characters (see ownCopy). */
  lines: string;
  /** Where the keyword starts and ends, and where the instruction ends, in `lines`. */
  start: number;
  keywordEnd: number;
  end: number;
  escape: string;
  keyword: string;
}

/** Instructions built or reused by the previous parse and by this one, by their first line. */
let previous = new Map<number, Built[]>();
let current = new Map<number, Built[]>();
/**
 * Instructions that open no here-document. The parser asks each RUN, COPY and ADD for its
 * arguments to find out, on every parse; the answer only depends on the instruction's text.
 */
const withoutHeredocs = new WeakSet<Instruction>();

/**
 * A copy of `text` that does not keep the string it was cut from alive: a slice of a long string
 * points into it, and what is remembered with an instruction must not hold on to an old version
 * of the whole file.
 */
export function ownCopy(text: string): string {
  return (` ${text}`).slice(1);
}

/** Start of the line holding `offset`, and the end of the line holding `end` (after its EOL). */
function wholeLines(text: string, offset: number, end: number): { from: number; to: number } {
  let from = offset;
  while (from > 0 && !isEol(text.charCodeAt(from - 1))) from--;
  let to = end;
  while (to < text.length && !isEol(text.charCodeAt(to))) to++;
  if (text.charCodeAt(to) === CARRIAGE_RETURN) to++;
  if (text.charCodeAt(to) === LINE_FEED) to++;
  return { from, to };
}

function find(bucket: Built[] | undefined, text: string, from: number, to: number, wanted: Omit<Built, 'instruction' | 'lines'>): Built | undefined {
  return bucket?.find((b) => b.start === wanted.start && b.keywordEnd === wanted.keywordEnd && b.end === wanted.end && b.escape === wanted.escape
    && b.keyword === wanted.keyword && b.lines.length === to - from && text.startsWith(b.lines, from));
}

export interface ParsedDockerfile {
  ast: Dockerfile;
  /** The text as a document, as the parser read it. */
  document: TextDocument;
}

/** Parses `text` as DockerfileParser.parse does. */
export function parseDockerfileAst(text: string): ParsedDockerfile {
  const parser = new Parser();
  const internals = parser as unknown as ParserInternals;
  const processHeredocs = internals.processHeredocs.bind(parser);
  internals.processHeredocs = (instruction, offset) => {
    if (withoutHeredocs.has(instruction)) return offset;
    const end = processHeredocs(instruction, offset);
    // Ending where it started: none opened (or the file ends there, which its text then shows too).
    if (end === offset) withoutHeredocs.add(instruction);
    return end;
  };
  // The parser builds each instruction twice, to look for here-documents and then to keep it.
  let last: { start: number; keywordEnd: number; end: number; instruction: Instruction } | undefined;
  internals.createInstruction = (dockerfile, keyword, start, keywordEnd, end) => {
    if (last && last.start === start && last.keywordEnd === keywordEnd && last.end === end) return last.instruction;
    const { from, to } = wholeLines(text, start, end);
    const firstLine = internals.document.positionAt(from).line;
    const wanted = { start: start - from, keywordEnd: keywordEnd - from, end: end - from, escape: internals.escapeChar, keyword };
    let built = find(current.get(firstLine), text, from, to, wanted) ?? find(previous.get(firstLine), text, from, to, wanted);
    if (built) {
      // Questions about the whole file (resolving a variable) go to the file being parsed.
      (built.instruction as unknown as { dockerfile: ParsedFile }).dockerfile = dockerfile;
    } else {
      const lines = ownCopy(text.slice(from, to));
      const document = new LinesDocument(lines, firstLine);
      const lineRange = { start: document.positionAt(wanted.start), end: document.positionAt(wanted.end) };
      const keywordRange = { start: lineRange.start, end: document.positionAt(wanted.keywordEnd) };
      const instruction = Parser.createInstruction(document as unknown as TextDocument, dockerfile, wanted.escape, lineRange, keyword, keywordRange);
      built = { instruction, lines, ...wanted };
    }
    const bucket = current.get(firstLine);
    if (!bucket) current.set(firstLine, [built]);
    else if (!bucket.includes(built)) bucket.push(built);
    last = { start, keywordEnd, end, instruction: built.instruction };
    return built.instruction;
  };
  try {
    const ast = parser.parse(text);
    return { ast, document: internals.document };
  } finally {
    previous = current;
    current = new Map();
  }
}

/** Forget the remembered instructions: the next parse builds every instruction. */
export function forgetParsedInstructions(): void {
  previous = new Map();
  current = new Map();
}
