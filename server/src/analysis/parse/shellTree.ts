// Reads the simple commands out of a bash syntax tree (bashGrammar.ts), wherever they sit: lists,
// pipelines, `if`/`for`/`while`/`case` bodies, subshells, `{ }` groups, functions, command
// substitutions, and the script of `sh -c '…'`. Everything here is in offsets into the parsed text
// (UTF-16 code units, as tree-sitter counts them for a JavaScript string); shell.ts turns them into
// document positions.
import type { Node } from 'web-tree-sitter';
import { parseBash } from './bashGrammar';

/** A construct around a command; [] at the top level. */
export type ShellConstruct = 'if' | 'for' | 'while' | 'case' | 'subshell' | 'group' | 'function' | 'substitution' | 'sh -c';

export interface OffsetWord {
  value: string;
  raw: string;
  start: number;
  end: number;
}

export interface OffsetCommand {
  assignments: OffsetWord[];
  words: OffsetWord[];
  /** The files its output redirections write (`> f`, `>> f`, `&> f`). */
  writes: OffsetWord[];
  start: number;
  end: number;
  terminator: string;
  terminatorEnd: number;
  within: ShellConstruct[];
  /**
   * The shell scopes around the command, outermost first: one id per construct, pipeline element
   * or `sh -c` script it sits in. A variable set by a command reaches a later command only when its
   * scope is a prefix of the later one's (a subshell's `export` ends with the subshell).
   */
  scope: number[];
}

const OPERATORS = new Set(['&&', '||', ';', ';;', ';&', ';;&', '|', '|&', '&']);
const REDIRECTS = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);
const CONSTRUCTS: Record<string, ShellConstruct> = {
  if_statement: 'if', for_statement: 'for', c_style_for_statement: 'for', while_statement: 'while',
  case_statement: 'case', subshell: 'subshell', compound_statement: 'group', function_definition: 'function',
  command_substitution: 'substitution', process_substitution: 'substitution',
};
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh']);
/** Nested `sh -c` deeper than this is left unread. */
const MAX_SCRIPT_DEPTH = 4;

/**
 * A word without its quoting, as the shell passes it to the command: quotes and escaping
 * backslashes left out, `$VAR`, `$(…)` and backticks kept as written. With `offsets`, also where
 * each character of the value sits in `raw`.
 */
export function unquote(raw: string, offsets?: number[]): string {
  let value = '';
  let quote = '';
  const keep = (from: number, to: number) => {
    value += raw.slice(from, to);
    if (offsets) for (let k = from; k < to; k++) offsets.push(k);
  };
  for (let i = 0; i < raw.length;) {
    const c = raw[i];
    if (quote === "'") {
      if (c === "'") quote = '';
      else keep(i, i + 1);
      i++;
    } else if (c === quote) {
      quote = '';
      i++;
    } else if (!quote && (c === "'" || c === '"')) {
      quote = c;
      i++;
    } else if (!quote && c === '$' && raw[i + 1] === "'") {
      // $'…': a single-quoted string whose backslash escapes are left as written.
      quote = "'";
      i += 2;
    } else if (c === '\\' && i + 1 < raw.length && (!quote || '$`"\\\n'.includes(raw[i + 1]))) {
      // A backslash escapes any character outside quotes, only $ ` " \ and newline inside "…".
      if (raw[i + 1] !== '\n') keep(i + 1, i + 2);
      i += 2;
    } else {
      const end = (c === '$' && raw[i + 1] === '(') || c === '`' ? substitutionEnd(raw, i) : i + 1;
      keep(i, end);
      i = end;
    }
  }
  return value;
}

/** Index just past a `$(…)` or `` `…` `` starting at i, honouring nesting and quotes. */
function substitutionEnd(text: string, i: number): number {
  if (text[i] === '`') {
    let j = i + 1;
    while (j < text.length && text[j] !== '`') j += text[j] === '\\' ? 2 : 1;
    return Math.min(j + 1, text.length);
  }
  let depth = 0;
  let quote = '';
  for (let j = i + 1; j < text.length; j++) {
    const ch = text[j];
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"') j++;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '\\') j++;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return j + 1;
  }
  return text.length;
}

/**
 * A command that starts a shell (`sh`, `/bin/bash`…): with `-c`, the index of the word holding its
 * script; with no script operand (or `-s`), it reads its script from standard input, so a heredoc
 * fed to it is a script.
 */
export function shellInvocation(words: readonly { value: string }[]): { script?: number; readsStdin: boolean } {
  const name = words[0]?.value ?? '';
  if (!SHELLS.has(name.slice(name.lastIndexOf('/') + 1))) return { readsStdin: false };
  let command = false;
  let stdin = false;
  for (let i = 1; i < words.length; i++) {
    const value = words[i].value;
    if (value === '-o' || value === '+o') i++;
    else if (/^[-+][A-Za-z]+$/.test(value)) {
      command ||= value[0] === '-' && value.includes('c');
      stdin ||= value[0] === '-' && value.includes('s');
    } else return command ? { script: i, readsStdin: false } : { readsStdin: stdin };
  }
  // `sh -c` with no script is an error of its own; read nothing from it.
  return { readsStdin: !command };
}

/** Where the first syntax error (an ERROR or missing node) starts, if the tree has one. */
function firstErrorAt(node: Node): number | undefined {
  if (node.isError || node.isMissing) return node.startIndex;
  if (!node.hasError) return undefined;
  for (const child of node.children) {
    if (!child) continue;
    const at = firstErrorAt(child);
    if (at !== undefined) return at;
  }
  return node.startIndex;
}

class CommandReader {
  readonly commands: OffsetCommand[] = [];
  /** The scopes the reader is in now, and the id of the next one. */
  private scope: number[] = [];
  private nextScope = 0;

  constructor(private readonly text: string, private readonly depth: number) {}

  private word(node: Node): OffsetWord {
    const raw = this.text.slice(node.startIndex, node.endIndex);
    return { value: unquote(raw), raw, start: node.startIndex, end: node.endIndex };
  }

  private push(command: Omit<OffsetCommand, 'scope'>): OffsetCommand {
    const withScope = { ...command, scope: [...this.scope] };
    this.commands.push(withScope);
    return withScope;
  }

  /** Runs `read` inside a new scope. */
  private inScope<T>(read: () => T): T {
    this.scope.push(this.nextScope++);
    try {
      return read();
    } finally {
      this.scope.pop();
    }
  }

  /**
   * Reads `node` and what it holds; returns the command that ends it as a statement (the one an
   * operator after it would end), if any.
   */
  visit(node: Node, within: ShellConstruct[]): OffsetCommand | undefined {
    switch (node.type) {
      case 'command': return this.command(node, within, []);
      case 'declaration_command': case 'unset_command': {
        const words = node.children.filter((c): c is Node => c !== null && !REDIRECTS.has(c.type)).map((c) => this.word(c));
        const command = this.push({ assignments: [], words, writes: [], start: node.startIndex, end: node.endIndex, terminator: '', terminatorEnd: node.endIndex, within });
        this.nested(node, within);
        return command;
      }
      case 'variable_assignment': case 'variable_assignments': {
        const parts = node.type === 'variable_assignment' ? [node] : node.namedChildren.filter((c): c is Node => c !== null);
        const command = this.push({ assignments: parts.map((p) => this.word(p)), words: [], writes: [], start: node.startIndex, end: node.endIndex, terminator: '', terminatorEnd: node.endIndex, within });
        this.nested(node, within);
        return command;
      }
      case 'redirected_statement': {
        const children = node.children.filter((c): c is Node => c !== null);
        const body = children.find((c) => !REDIRECTS.has(c.type));
        // tree-sitter hands the words after a redirection's target to the redirection
        // (`go build >/dev/null -o app .`); for the shell they are the command's arguments.
        const extra = children.filter((c) => REDIRECTS.has(c.type)).flatMap((r) => this.extraRedirectWords(r));
        let tail: OffsetCommand | undefined;
        if (body?.type === 'command') tail = this.command(body, within, extra);
        else if (body) tail = this.visit(body, within);
        tail?.writes.push(...children.filter((c) => REDIRECTS.has(c.type)).flatMap((r) => this.writtenFile(r)));
        for (const redirect of children) if (REDIRECTS.has(redirect.type)) this.nested(redirect, within);
        return tail;
      }
      case 'ERROR': return undefined;
    }
    const construct = CONSTRUCTS[node.type];
    const passesTail = node.type === 'list' || node.type === 'pipeline' || node.type === 'negated_command';
    if (!construct) return this.sequence(node, within, passesTail);
    return this.inScope(() => this.sequence(node, [...within, construct], passesTail));
  }

  /** Visits the children in order, giving each statement the operator that follows it. */
  private sequence(node: Node, within: ShellConstruct[], passesTail: boolean): OffsetCommand | undefined {
    let previous: OffsetCommand | undefined;
    let tail: OffsetCommand | undefined;
    for (const child of node.children) {
      if (!child) continue;
      if (!child.isNamed) {
        if (previous && !previous.terminator && OPERATORS.has(child.type)) {
          previous.terminator = child.type;
          previous.terminatorEnd = child.endIndex;
        }
        previous = undefined;
        continue;
      }
      if (previous && !previous.terminator) {
        const newline = this.text.indexOf('\n', previous.end);
        if (newline >= 0 && newline < child.startIndex) {
          previous.terminator = '\n';
          previous.terminatorEnd = newline + 1;
        }
      }
      // Each command of a pipeline runs in a subshell of its own.
      previous = node.type === 'pipeline' ? this.inScope(() => this.visit(child, within)) : this.visit(child, within);
      tail = previous;
    }
    return passesTail ? tail : undefined;
  }

  /** Commands inside the words of a command or a redirection: those of its substitutions. */
  private nested(node: Node, within: ShellConstruct[]): void {
    for (const child of node.children) {
      if (!child || child.childCount === 0) continue;
      if (CONSTRUCTS[child.type] === 'substitution') this.visit(child, within);
      else this.nested(child, within);
    }
  }

  /** The file an output redirection writes: the first target of `>`, `>>`, `>|`, `&>`, `&>>`. */
  private writtenFile(redirect: Node): OffsetWord[] {
    if (redirect.type !== 'file_redirect') return [];
    const operator = redirect.children.find((c) => c !== null && !c.isNamed)?.type ?? '';
    if (!['>', '>>', '>|', '&>', '&>>'].includes(operator)) return [];
    const target = redirect.namedChildren.find((c): c is Node => c !== null && c.type !== 'file_descriptor');
    return target ? [this.word(target)] : [];
  }

  private extraRedirectWords(redirect: Node): OffsetWord[] {
    if (redirect.type !== 'file_redirect') return [];
    const targets = redirect.namedChildren.filter((c): c is Node => c !== null && c.type !== 'file_descriptor');
    return targets.slice(1).map((c) => this.word(c));
  }

  private command(node: Node, within: ShellConstruct[], extra: OffsetWord[]): OffsetCommand {
    const assignments: OffsetWord[] = [];
    const words: OffsetWord[] = [];
    const redirects: Node[] = [];
    const writes: OffsetWord[] = [];
    for (const child of node.children) {
      if (!child || !child.isNamed) continue;
      if (REDIRECTS.has(child.type)) {
        redirects.push(child);
        writes.push(...this.writtenFile(child));
        words.push(...this.extraRedirectWords(child));
      } else if (child.type === 'variable_assignment' && words.length === 0) assignments.push(this.word(child));
      else {
        const word = this.word(child);
        const last = words[words.length - 1];
        // Nodes with nothing between them are one shell word; the grammar splits some
        // (`docker/${1}$4/Dockerfile` after a braced expansion).
        if (last && last.end === word.start) words[words.length - 1] = { value: last.value + word.value, raw: last.raw + word.raw, start: last.start, end: word.end };
        else words.push(word);
      }
    }
    words.push(...extra);
    const command = this.push({ assignments, words, writes, start: node.startIndex, end: node.endIndex, terminator: '', terminatorEnd: node.endIndex, within });
    this.nested(node, within);
    this.script(words, within);
    return command;
  }

  /** `sh -c 'script'`: the script's commands, read as if written in place, with their offsets. */
  private script(words: OffsetWord[], within: ShellConstruct[]): void {
    if (this.depth >= MAX_SCRIPT_DEPTH) return;
    const { script } = shellInvocation(words);
    if (script !== undefined) this.readScript(words[script], within);
  }

  private readScript(word: OffsetWord, within: ShellConstruct[]): void {
    const offsets: number[] = [];
    const script = unquote(word.raw, offsets);
    if (script.trim() === '') return;
    // Outer offset of a script offset; the script's end maps just past its last character.
    const outer = (index: number) => index < offsets.length ? word.start + offsets[index] : word.start + offsets[offsets.length - 1] + 1;
    const outerEnd = (end: number) => end > 0 ? outer(end - 1) + 1 : outer(0);
    const scope = [...this.scope, this.nextScope++];
    for (const inner of readCommands(script, this.depth + 1)) {
      const move = (w: OffsetWord): OffsetWord => ({ value: w.value, raw: w.raw, start: outer(w.start), end: outerEnd(w.end) });
      this.commands.push({
        assignments: inner.assignments.map(move),
        words: inner.words.map(move),
        writes: inner.writes.map(move),
        start: outer(inner.start),
        end: outerEnd(inner.end),
        terminator: inner.terminator,
        terminatorEnd: inner.terminator ? outerEnd(inner.terminatorEnd) : outerEnd(inner.end),
        within: [...within, 'sh -c', ...inner.within],
        scope: [...scope, ...inner.scope],
      });
    }
  }
}

/**
 * The simple commands of a shell text, in the order they start. Where the text has a syntax error,
 * only the commands that end before it are read: what follows may not run at all, or not as it
 * reads (a missing closing quote is a zero-width error at the end of the command it cuts short).
 */
export function readCommands(text: string, depth = 0): OffsetCommand[] {
  const tree = parseBash(text);
  if (!tree) return [];
  try {
    const reader = new CommandReader(text, depth);
    reader.visit(tree.rootNode, []);
    const errorAt = firstErrorAt(tree.rootNode);
    const commands = errorAt === undefined ? reader.commands : reader.commands.filter((c) => c.end < errorAt);
    return commands.sort((a, b) => a.start - b.start);
  } catch {
    // A tree too deep to walk: say nothing rather than something half read.
    return [];
  } finally {
    tree.delete();
  }
}
