// The simple commands of a RUN's shell text with exact document ranges, so rules can point at
// `go build` itself rather than the whole instruction, wherever it runs: after `&&`, in a pipeline,
// inside `if`/`for`/`while`/`case`, a subshell, a `{ }` group or `sh -c '…'`. The text is parsed
// by tree-sitter's bash grammar (bashGrammar.ts says why that parser); shellTree.ts reads the
// commands out of its tree; this file maps them back onto the document through the pieces the
// text was joined from (arguments across line continuations, heredoc lines).
import type { Position, Range } from '../model/types';
import { shellParserLoaded } from './bashGrammar';
import { readCommands, type OffsetCommand, type OffsetWord, type ShellConstruct } from './shellTree';

export type { ShellConstruct } from './shellTree';

/** A piece of source text that knows the document position of each of its characters. */
export interface MappedText {
  text: string;
  /** Where text[index] sits in the document; from text.length on, just after the last character. */
  positionAt(index: number): Position;
}

export interface Word {
  /** The word with quotes removed (escapes resolved); substitutions kept verbatim. */
  value: string;
  /** The word as written. */
  raw: string;
  range: Range;
}

export interface ShellCommand {
  /** Leading `NAME=value` assignments (`CGO_ENABLED=0 go build`). */
  assignments: Word[];
  /** The command name and its arguments. */
  words: Word[];
  /** The files its output redirections write (`> f`, `>> f`, `&> f`), as words. */
  writes: Word[];
  range: Range;
  /** The operator that ends this command (`&&`, `||`, `;`, `|`, `&`, newline) or '' at the end. */
  terminator: string;
  /** Where the terminator ends (the start of whatever follows); equals range.end when none. */
  terminatorEnd: Position;
  /** The constructs around the command, outermost first: [] at the top level. */
  within: readonly ShellConstruct[];
  /** The shell scopes around the command (shellTree.ts): where a variable it sets still holds. */
  scope: readonly number[];
}

/** A run of characters from `from` on: each one column after the previous (`step` 1) or all at one place (0). */
interface Span {
  from: number;
  start: Position;
  step: 0 | 1;
}

/**
 * Joins pieces (argument tokens or heredoc lines) into one mapped text. A piece's characters sit
 * one after the other from its start; a separator (one character) sits just after what precedes
 * it. Positions are worked out when asked rather than kept per character, which on a long file
 * would be an object for every character of every RUN.
 */
export function joinMapped(pieces: { text: string; start: Position }[], separator: string): MappedText {
  const text = pieces.map((piece) => piece.text).join(separator);
  const spans: Span[] = [];
  let length = 0;
  // Where the last character so far sits; undefined until there is one.
  let last: Position | undefined;
  pieces.forEach((piece, index) => {
    if (index > 0 && separator !== '') {
      const at = last ? { line: last.line, character: last.character + 1 } : piece.start;
      spans.push({ from: length, start: at, step: 0 });
      length += separator.length;
      last = at;
    }
    if (piece.text !== '') {
      spans.push({ from: length, start: piece.start, step: 1 });
      length += piece.text.length;
      last = { line: piece.start.line, character: piece.start.character + piece.text.length - 1 };
    }
  });
  const end = last ? { line: last.line, character: last.character + 1 } : { line: 0, character: 0 };
  const positionAt = (index: number): Position => {
    if (index >= text.length) return end;
    // The last span starting at or before index.
    let low = 0;
    let high = spans.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (spans[mid].from <= index) low = mid;
      else high = mid - 1;
    }
    const span = spans[low];
    return { line: span.start.line, character: span.start.character + span.step * (index - span.from) };
  };
  return { text, positionAt };
}

/** Offsets-only reading per shell text: unchanged or repeated RUN texts are not parsed again. */
const byText = new Map<string, OffsetCommand[]>();
const MAX_CACHED_TEXTS = 4000;

function commandsOf(text: string): OffsetCommand[] {
  // Read before the grammar loaded (the extension's build profiler never loads it), a text has no
  // commands: that reading must not stand once the grammar is there.
  if (!shellParserLoaded()) return readCommands(text);
  let commands = byText.get(text);
  if (commands === undefined) {
    commands = readCommands(text);
    if (byText.size >= MAX_CACHED_TEXTS) byText.delete(byText.keys().next().value as string);
    byText.set(text, commands);
  }
  return commands;
}

/** Forgets every shell text read so far (a benchmark of analysis from scratch starts here). */
export function forgetShellParses(): void {
  byText.clear();
}

/** The simple commands of mapped shell text, in the order they start. Never throws on bad shell. */
export function parseShell(source: MappedText): ShellCommand[] {
  const pos = (index: number) => source.positionAt(index);
  const word = (w: OffsetWord): Word => ({ value: w.value, raw: w.raw, range: { start: pos(w.start), end: pos(w.end) } });
  return commandsOf(source.text).map((c) => {
    const range = { start: pos(c.start), end: pos(c.end) };
    return {
      assignments: c.assignments.map(word),
      words: c.words.map(word),
      writes: c.writes.map(word),
      range,
      terminator: c.terminator,
      terminatorEnd: c.terminator ? pos(c.terminatorEnd) : range.end,
      within: c.within,
      scope: c.scope,
    };
  });
}
