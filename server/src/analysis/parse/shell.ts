// Splits the shell text of a RUN into simple commands with exact document ranges, so rules can
// point at `go build` itself rather than the whole instruction. This is not a full POSIX shell
// parser: it knows words, quotes, `$(…)`/backticks, comments and the list operators, which is
// what deciding "which Go commands run here, with which flags and inline env" needs.
import type { Position, Range } from '../model/types';

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
  range: Range;
  /** The operator that ends this command (`&&`, `||`, `;`, `|`, `&`, newline) or '' at the end. */
  terminator: string;
  /** Where the terminator ends (the start of whatever follows); equals range.end when none. */
  terminatorEnd: Position;
}

const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '\n'];

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

function operatorAt(text: string, i: number): string | undefined {
  // Asked at every character of every word: most are no operator's first character.
  const ch = text[i];
  if (ch !== '&' && ch !== '|' && ch !== ';' && ch !== '\n') return undefined;
  for (const op of OPERATORS) if (text.startsWith(op, i)) return op;
  return undefined;
}

/** Index just past a `$(…)` or `` `…` `` substitution starting at i, honouring nesting and quotes. */
function skipSubstitution(text: string, i: number): number {
  if (text[i] === '`') {
    let j = i + 1;
    while (j < text.length && text[j] !== '`') j += text[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, text.length);
  }
  let depth = 0;
  let j = i + 1;
  let quote = '';
  for (; j < text.length; j++) {
    const ch = text[j];
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"') j++;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '\\') j++;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return text.length;
}

/** Splits mapped shell text into simple commands. Never throws on unbalanced quotes. */
export function parseShell(source: MappedText): ShellCommand[] {
  const { text } = source;
  const commands: ShellCommand[] = [];
  let words: Word[] = [];
  let i = 0;
  const pos = (index: number) => source.positionAt(index);

  const finish = (terminator: string, opStart: number, opEnd: number) => {
    if (words.length > 0) {
      let split = 0;
      while (split < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[split].raw)) split++;
      const first = words[0];
      const last = words[words.length - 1];
      commands.push({
        assignments: words.slice(0, split),
        words: words.slice(split),
        range: { start: first.range.start, end: last.range.end },
        terminator,
        terminatorEnd: terminator ? pos(opEnd) : last.range.end,
      });
    }
    words = [];
    void opStart;
  };

  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    // Grouping punctuation does not change which commands run; skip it.
    if ((ch === '(' || ch === ')' || ch === '{' || ch === '}') && words.length === 0) {
      i++;
      continue;
    }
    const op = operatorAt(text, i);
    if (op) {
      finish(op === '\n' ? '\n' : op, i, i + op.length);
      i += op.length;
      continue;
    }
    // A word runs until unquoted whitespace or an operator. Its value is the text with quotes and
    // escaping backslashes left out: text[kept..i) is taken over as it is, in one slice when a
    // character is left out or the word ends (a string per character adds up on a long file).
    const start = i;
    let value = '';
    let kept = i;
    let quote = '';
    while (i < text.length) {
      const c = text[i];
      if (quote) {
        if (c === quote) {
          value += text.slice(kept, i);
          kept = i + 1;
          quote = '';
          i++;
        } else if (c === '\\' && quote === '"' && i + 1 < text.length) {
          value += text.slice(kept, i);
          kept = i + 1;
          i += 2;
        } else if (c === '$' && text[i + 1] === '(' && quote === '"') {
          i = skipSubstitution(text, i);
        } else {
          i++;
        }
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || operatorAt(text, i)) break;
      if (c === ')' && value === '' && kept === i) break;
      if (c === "'" || c === '"') {
        value += text.slice(kept, i);
        kept = i + 1;
        quote = c;
        i++;
      } else if (c === '\\' && i + 1 < text.length) {
        value += text.slice(kept, i);
        kept = i + 1;
        i += 2;
      } else if ((c === '$' && text[i + 1] === '(') || c === '`') {
        i = skipSubstitution(text, i);
      } else {
        i++;
      }
    }
    value += text.slice(kept, i);
    if (i === start) {
      i++;
      continue;
    }
    words.push({ value, raw: text.slice(start, i), range: { start: pos(start), end: pos(i) } });
  }
  finish('', text.length, text.length);
  return commands;
}
