// Which parts of a shell script run for the arguments it is called with. A build script often
// holds every way the project is built, one function each, and picks one from its arguments
// (`build.sh release docker`: `if [ "$2" = "docker" ]; then BuildDocker; elif …`): only the
// commands of the branch taken, and of the functions called from it, run. What cannot be decided
// (a condition on anything but a positional argument, a command name that is a variable) keeps
// every branch it could take.
import type { Node } from 'web-tree-sitter';
import { parseBash } from './bashGrammar';
import { unquote } from './shellTree';

/** The arguments a script or function is called with; an undefined entry is only known at run time, an undefined list is unknown altogether (`"$@"`). */
export type Arguments = readonly (string | undefined)[] | undefined;

/** Statements the command reader turns into commands: a kept one keeps everything inside it. */
const STATEMENTS = new Set(['command', 'declaration_command', 'unset_command', 'variable_assignment', 'variable_assignments', 'test_command']);
const MAX_CALL_DEPTH = 20;
const GLOB = /[*?[]/;

/** A positional parameter written alone (`$1`, `"$2"`, `${3}`): its number. */
function positional(node: Node): number | undefined {
  const inner = node.type === 'string' ? node.namedChildren.filter((c): c is Node => c !== null) : [node];
  if (inner.length !== 1 || (inner[0].type !== 'simple_expansion' && inner[0].type !== 'expansion')) return undefined;
  const named = inner[0].namedChildren.filter((c): c is Node => c !== null);
  return named.length === 1 && named[0].type === 'variable_name' && /^[1-9]$/.test(named[0].text) ? Number(named[0].text) : undefined;
}

/** A word without expansions: its value. */
function literal(node: Node): string | undefined {
  if (!['word', 'string', 'raw_string', 'extglob_pattern'].includes(node.type)) return undefined;
  if (node.type === 'string' && node.namedChildren.some((c) => c !== null && c.type !== 'string_content')) return undefined;
  const value = unquote(node.text);
  return value.includes('$') || value.includes('`') ? undefined : value;
}

/** The value of a word for arguments `args`: a literal, or a positional parameter when known. */
function valueOf(node: Node, args: Arguments): string | undefined {
  const n = positional(node);
  if (n === undefined) return literal(node);
  // A parameter past the last argument is empty.
  return args === undefined ? undefined : n <= args.length ? args[n - 1] : '';
}

/** `[ "$1" = "dev" ]`, `[[ $2 != docker ]]`, `test "$1" == x`: true or false when both sides are known. */
function decide(condition: readonly Node[], args: Arguments): boolean | undefined {
  if (condition.length !== 1 || condition[0].type !== 'test_command') return undefined;
  const expressions = condition[0].namedChildren.filter((c): c is Node => c !== null);
  if (expressions.length !== 1 || expressions[0].type !== 'binary_expression') return undefined;
  const parts = expressions[0].children.filter((c): c is Node => c !== null);
  if (parts.length !== 3) return undefined;
  const [left, operator, right] = parts;
  const a = valueOf(left, args);
  const b = valueOf(right, args);
  // In `[[ ]]`, an unquoted right side is a pattern.
  if (a === undefined || b === undefined || (right.type === 'word' && GLOB.test(b))) return undefined;
  if (operator.type === '=' || operator.type === '==') return a === b;
  if (operator.type === '!=') return a !== b;
  return undefined;
}

/** Whether a `case` pattern matches a value: undefined for a glob other than `*`. */
function matches(pattern: Node, value: string | undefined, args: Arguments): boolean | undefined {
  const text = valueOf(pattern, args);
  if (text === '*' && pattern.type !== 'string' && pattern.type !== 'raw_string') return true;
  if (text === undefined || value === undefined || (GLOB.test(text) && pattern.type !== 'string' && pattern.type !== 'raw_string')) return undefined;
  return text === value;
}

/** A command node's name as written and its argument nodes, leading assignments and redirections left out. */
function commandParts(command: Node): { name?: string; args: Node[] } {
  const words = command.namedChildren.filter((c): c is Node => c !== null && c.type !== 'variable_assignment' && !c.type.endsWith('redirect'));
  return words[0]?.type === 'command_name' ? { name: words[0].text, args: words.slice(1) } : { args: [] };
}

/** `shift`, `getopts` or `set -- …` anywhere: the positional parameters are not the ones the script was called with. */
function movesArguments(root: Node): boolean {
  return root.descendantsOfType('command').some((command) => {
    const { name, args } = command ? commandParts(command) : { args: [] };
    const first = args[0] === undefined ? undefined : unquote(args[0].text);
    return name === 'shift' || name === 'getopts' || (name === 'set' && first !== undefined && (first === '--' || !/^[-+]/.test(first)));
  });
}

class Flow {
  /** Offset ranges of the statements that may run. */
  readonly kept: [number, number][] = [];
  private readonly functions = new Map<string, Node>();
  private readonly called = new Set<string>();
  /** A command whose name is only known at run time may call any function. */
  dynamicCall = false;

  constructor(root: Node) {
    for (const definition of root.descendantsOfType('function_definition')) {
      const name = definition?.namedChildren.find((c) => c?.type === 'word')?.text;
      const body = definition?.lastNamedChild;
      if (definition && name && body) this.functions.set(name, body);
    }
  }

  walk(node: Node, args: Arguments, depth: number): void {
    if (node.type === 'function_definition') return;
    if (node.type === 'if_statement') return this.branches(node, args, depth);
    if (node.type === 'case_statement') return this.cases(node, args, depth);
    if (STATEMENTS.has(node.type)) {
      this.kept.push([node.startIndex, node.endIndex]);
      if (node.type === 'command') this.call(node, args, depth);
      // Commands in its substitutions: their words may use arguments the reader does not follow.
      for (const inner of node.descendantsOfType('command')) if (inner && inner.id !== node.id) this.call(inner, undefined, depth);
      return;
    }
    for (const child of node.namedChildren) if (child) this.walk(child, args, depth);
  }

  /** Walks every function no walk has reached, with arguments unknown. */
  walkUncalled(): void {
    for (const [name, body] of this.functions) {
      if (![...this.called].some((key) => key.startsWith(`${name}\0`))) this.enter(name, body, undefined, 0);
    }
  }

  private call(command: Node, args: Arguments, depth: number): void {
    const { name, args: words } = commandParts(command);
    if (name === undefined) return;
    if (/[$`]/.test(name)) { this.dynamicCall = true; return; }
    const body = this.functions.get(name);
    if (!body) return;
    const passesAll = words.some((w) => /\$[@*]|\$\{[@*]/.test(w.text));
    this.enter(name, body, passesAll ? undefined : words.map((w) => valueOf(w, args)), depth + 1);
  }

  private enter(name: string, body: Node, args: Arguments, depth: number): void {
    const key = `${name}\0${JSON.stringify(args ?? null)}`;
    if (depth > MAX_CALL_DEPTH || this.called.has(key)) return;
    this.called.add(key);
    this.walk(body, args, depth);
  }

  /** `if … then … elif … else … fi`: the branches that may run. */
  private branches(node: Node, args: Arguments, depth: number): void {
    const clauses: { condition: Node[]; body: Node[] }[] = [];
    const read = (owner: Node, hasCondition: boolean) => {
      const clause = { condition: [] as Node[], body: [] as Node[] };
      clauses.push(clause);
      let inBody = !hasCondition;
      for (const child of owner.children) {
        if (!child) continue;
        if (!child.isNamed) { if (child.type === 'then') inBody = true; continue; }
        if (child.type === 'elif_clause') read(child, true);
        else if (child.type === 'else_clause') read(child, false);
        else (inBody ? clause.body : clause.condition).push(child);
      }
    };
    read(node, true);
    this.choose(clauses.map(({ condition, body }) => ({
      body,
      test: () => {
        for (const part of condition) this.walk(part, args, depth);
        return condition.length === 0 ? true : decide(condition, args);
      },
    })), args, depth);
  }

  /** `case WORD in PATTERN) … ;; esac`: the items that may run. */
  private cases(node: Node, args: Arguments, depth: number): void {
    const named = node.namedChildren.filter((c): c is Node => c !== null);
    const value = named[0] ? valueOf(named[0], args) : undefined;
    this.choose(named.filter((c) => c.type === 'case_item').map((item) => {
      const patterns: Node[] = [];
      const body: Node[] = [];
      let inBody = false;
      for (const child of item.children) {
        if (!child) continue;
        if (!child.isNamed) { if (child.type === ')') inBody = true; continue; }
        (inBody ? body : patterns).push(child);
      }
      return {
        body,
        test: () => {
          const results = patterns.map((p) => matches(p, value, args));
          return results.includes(true) ? true : results.every((r) => r === false) ? false : undefined;
        },
      };
    }), args, depth);
  }

  /** Runs the first alternative whose test holds: each one reached whose test may hold. */
  private choose(alternatives: { body: Node[]; test: () => boolean | undefined }[], args: Arguments, depth: number): void {
    for (const { body, test } of alternatives) {
      const holds = test();
      if (holds === false) continue;
      for (const part of body) this.walk(part, args, depth);
      if (holds === true) return;
    }
  }
}

const flows = new Map<string, ((offset: number) => boolean) | undefined>();

/**
 * Whether the statement at an offset of a script may run when the script is called with `args`;
 * undefined when the script cannot be read (then every command may run).
 */
export function scriptRuns(text: string, args: Arguments): ((offset: number) => boolean) | undefined {
  const key = `${JSON.stringify(args ?? null)}\0${text}`;
  if (flows.has(key)) return flows.get(key);
  const tree = parseBash(text);
  let runs: ((offset: number) => boolean) | undefined;
  if (tree) {
    try {
      const flow = new Flow(tree.rootNode);
      flow.walk(tree.rootNode, movesArguments(tree.rootNode) ? undefined : args, 0);
      if (flow.dynamicCall) flow.walkUncalled();
      const kept = flow.kept;
      runs = (offset) => kept.some(([start, end]) => start <= offset && offset < end);
    } catch {
      runs = undefined;
    } finally {
      tree.delete();
    }
  }
  if (flows.size > 50) flows.clear();
  flows.set(key, runs);
  return runs;
}
