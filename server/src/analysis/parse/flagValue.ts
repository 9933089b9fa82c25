// Instruction flags (`--mount=…`, `--from=…`) as BuildKit's Dockerfile frontend reads them, not as
// written: the frontend first takes each `--flag` word with its quotes removed and the escape
// character making the next character literal (parser/split_command.go, extractBuilderFlags);
// a `--mount` value is then a CSV record of `key=value` fields (instructions/commands_runmount.go,
// parseMount, with go-csvvalue: a field may be "quoted", `""` standing for a quote), keys
// case-insensitive. Variables in the values are expanded later, by the model, with the
// environment of the instruction.
import type { Flag } from 'dockerfile-ast';
import type { Position, Range } from '../model/types';

/** A value as the frontend reads it, with the document range of the characters it came from. */
export interface FlagText {
  value: string;
  range: Range;
}

/** Characters of a flag's value with their offsets in the value as written. */
interface Unquoted {
  value: string;
  offsets: number[];
}

function unquoteFlagWord(raw: string, escape: string): Unquoted {
  let value = '';
  const offsets: number[] = [];
  let quote = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quote && ch === quote) quote = '';
    else if (!quote && (ch === '"' || ch === "'")) quote = ch;
    else if (ch === escape) {
      // The escape character at the very end is dropped; otherwise it makes the next one literal.
      if (i + 1 < raw.length) {
        value += raw[++i];
        offsets.push(i);
      }
    } else {
      value += ch;
      offsets.push(i);
    }
  }
  return { value, offsets };
}

/** The range in the document of value[from, to), for a value written on one line from `start`. */
function rangeOf(text: Unquoted, from: number, to: number, start: Position, writtenLength: number): Range {
  const at = (offset: number) => ({ line: start.line, character: start.character + offset });
  if (from >= to) {
    const offset = from < text.offsets.length ? text.offsets[from] : writtenLength;
    return { start: at(offset), end: at(offset) };
  }
  return { start: at(text.offsets[from]), end: at(text.offsets[to - 1] + 1) };
}

/** The value of a flag (`--from="build"` → build), and where it is written. */
export function flagValue(flag: Flag, escape: string): FlagText | undefined {
  const raw = flag.getValue();
  const written = flag.getValueRange();
  if (raw === null || !written) return undefined;
  const text = unquoteFlagWord(raw, escape);
  if (written.start.line !== written.end.line) return { value: text.value, range: written };
  return { value: text.value, range: rangeOf(text, 0, text.value.length, written.start, raw.length) };
}

export interface FlagField {
  /** Lower case, as the frontend compares it. */
  key: string;
  /** undefined for a bare key (`ro`, `required`). */
  value?: FlagText;
  range: Range;
}

/**
 * The `key=value` fields of a CSV flag value (`--mount`), or undefined when the frontend would
 * refuse it (an empty value, a bare quote inside an unquoted field, an unterminated quoted field).
 */
export function csvFlagFields(flag: Flag, escape: string): FlagField[] | undefined {
  const raw = flag.getValue();
  const written = flag.getValueRange();
  if (raw === null || !written) return undefined;
  const text = unquoteFlagWord(raw, escape);
  // A flag value that spans lines (a continuation inside it) keeps the whole value's range.
  const oneLine = written.start.line === written.end.line;
  const range = (from: number, to: number) => oneLine ? rangeOf(text, from, to, written.start, raw.length) : written;
  const fields: FlagField[] = [];
  const line = text.value;
  if (line === '') return undefined;
  let pos = 0;
  for (;;) {
    // One field: its characters (as indexes into `line`, so quotes and `""` map back).
    const chars: number[] = [];
    let fieldEnd: number;
    if (line[pos] !== '"') {
      const comma = line.indexOf(',', pos);
      fieldEnd = comma < 0 ? line.length : comma;
      for (let i = pos; i < fieldEnd; i++) {
        if (line[i] === '"') return undefined;
        chars.push(i);
      }
    } else {
      let i = pos + 1;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close < 0) return undefined;
        for (let k = i; k < close; k++) chars.push(k);
        if (line[close + 1] === '"') {
          chars.push(close + 1);
          i = close + 2;
          continue;
        }
        fieldEnd = close + 1;
        if (fieldEnd < line.length && line[fieldEnd] !== ',') return undefined;
        break;
      }
    }
    const field = chars.map((k) => line[k]).join('');
    const eq = field.indexOf('=');
    const spanRange = (from: number, to: number): Range => {
      if (from >= to) return range(chars[from] ?? fieldEnd, chars[from] ?? fieldEnd);
      return range(chars[from], chars[to - 1] + 1);
    };
    fields.push({
      key: (eq < 0 ? field : field.slice(0, eq)).toLowerCase(),
      value: eq < 0 ? undefined : { value: field.slice(eq + 1), range: spanRange(eq + 1, field.length) },
      range: spanRange(0, field.length),
    });
    if (fieldEnd >= line.length) break;
    pos = fieldEnd + 1;
  }
  return fields;
}
