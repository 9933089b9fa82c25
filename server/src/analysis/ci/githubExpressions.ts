// The `${{ … }}` expressions of a GitHub Actions step that decide what it builds: a Dockerfile
// named by the job's matrix (`file: Dockerfile.${{ matrix.base }}`), by an earlier step's output
// (`file: ${{ steps.info.outputs.dockerfile }}`, written with `echo "dockerfile=…" >> $GITHUB_OUTPUT`)
// or by an env value. GitHub replaces them before the step runs, so a text that holds only
// expressions known here reads as each of the texts it can become; any other expression (a
// function, a context only the run knows) stays as written, and leaves the text unknown.
import { joinMapped, parseShell } from '../parse/shell';
import { maskExpressions } from './buildCommand';
import { itemsOf, pairsOf, stringOf, valueOf } from './yamlNodes';

/** Beyond this many matrix combinations or candidate texts, a text is taken as unknown. */
const MAX_VARIANTS = 256;

const EXPRESSION = /\$\{\{\s*([\s\S]*?)\s*\}\}/g;
/** A shell variable reference standing alone: `$NAME` or `${NAME}`. */
/** Shell builtins whose arguments may assign variables. */
const DECLARATIONS = new Set(['export', 'declare', 'local', 'readonly', 'typeset']);
const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export type MatrixCombination = ReadonlyMap<string, string>;

/** What the expressions of one step may stand for, in one matrix combination of its job. */
export interface ExpressionScope {
  matrix?: MatrixCombination;
  /** `steps.<id>.outputs.<name>` → the values the earlier step may write. */
  outputs: ReadonlyMap<string, readonly string[]>;
  /** Literal `env:` values of the workflow, the job and the step. */
  env: ReadonlyMap<string, string>;
}

function scalarEntries(node: unknown): [string, string][] {
  return pairsOf(node).flatMap((p) => {
    const key = stringOf(p.key);
    const value = stringOf(p.value);
    return key !== undefined && value !== undefined ? [[key, value] as [string, string]] : [];
  });
}

/**
 * The combinations a job's `strategy.matrix` runs, as GitHub forms them: every product of the
 * listed values, less the `exclude` entries, with each `include` entry added to the combinations
 * it does not contradict (or run on its own when it fits none). Undefined when the matrix is an
 * expression, too large, or has entries on keys it cannot read; one empty combination for a job
 * without a matrix.
 */
export function matrixCombinations(job: unknown): MatrixCombination[] | undefined {
  const matrix = valueOf(valueOf(job, 'strategy'), 'matrix');
  if (matrix === undefined || matrix === null) return [new Map()];
  if (stringOf(matrix) !== undefined) return undefined;
  const original = new Map<string, string[]>();
  // Keys whose values are no texts known here (objects, or an expression): `matrix.<key>` stays unknown.
  const unknown = new Set<string>();
  for (const pair of pairsOf(matrix)) {
    const key = stringOf(pair.key);
    if (key === undefined || key === 'include' || key === 'exclude') continue;
    const values = itemsOf(pair.value).map(stringOf);
    if (stringOf(pair.value) !== undefined || values.some((v) => v === undefined)) unknown.add(key);
    else original.set(key, values as string[]);
  }
  const entries = (list: string) => itemsOf(valueOf(matrix, list)).map(scalarEntries);
  // Which combinations an entry names depends on values not known here.
  if ([...entries('include'), ...entries('exclude')].some((e) => e.some(([k]) => unknown.has(k)))) return undefined;
  let combinations: Map<string, string>[] = original.size === 0 && unknown.size === 0 ? [] : [new Map()];
  for (const [key, values] of original) {
    combinations = combinations.flatMap((c) => values.map((v) => new Map(c).set(key, v)));
    if (combinations.length > MAX_VARIANTS) return undefined;
  }
  const excludes = entries('exclude');
  combinations = combinations.filter((c) => !excludes.some((e) => e.length > 0 && e.every(([k, v]) => c.get(k) === v)));
  for (const include of entries('include')) {
    const fits = combinations.filter((c) => include.every(([k, v]) => !original.has(k) || c.get(k) === v));
    if (fits.length === 0) combinations.push(new Map(include));
    for (const c of fits) for (const [k, v] of include) c.set(k, v);
  }
  return combinations.length > MAX_VARIANTS ? undefined : combinations;
}

/** Literal `env:` values (no expression in them). */
export function literalEnv(node: unknown): [string, string][] {
  return scalarEntries(valueOf(node, 'env')).filter(([, v]) => !v.includes('${{'));
}

/**
 * The values each `<name>=<value>` line a `run:` script writes to $GITHUB_OUTPUT may have: a
 * literal, or a literal with shell variables in it whose every assignment in the script is a
 * literal (each assignment is a value it may have). Outputs written any other way are left out.
 */
export function scriptOutputs(run: string): Map<string, string[]> {
  const written = new Map<string, string[] | null>();
  let commands;
  try {
    // An expression GitHub fills in is one opaque word here: anything assigned from it is not a literal.
    commands = parseShell(joinMapped([{ text: maskExpressions(run), start: { line: 0, character: 0 } }], ''));
  } catch {
    return new Map();
  }
  // Each variable's literal values; null once it is given anything else.
  const assigned = new Map<string, string[] | null>();
  for (const command of commands) {
    const declares = DECLARATIONS.has(command.words[0]?.value ?? '');
    for (const assignment of [...command.assignments, ...(declares ? command.words.slice(1) : [])]) {
      // `X+=y` appends: X's values are no longer the literals assigned.
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=([\s\S]*)$/.exec(assignment.value);
      if (!m) continue;
      const known = assigned.get(m[1]);
      assigned.set(m[1], known === null || m[2] === '+' || /[$`\\]/.test(assignment.raw) ? null : [...(known ?? []), m[3]]);
    }
  }
  for (const command of commands) {
    const [name, line, ...rest] = command.words;
    if (!line || rest.length > 0 || name.value !== 'echo' || !command.writes.some((w) => /^\$\{?GITHUB_OUTPUT\}?$/.test(w.value))) continue;
    const m = /^([A-Za-z0-9_-]+)=([\s\S]*)$/.exec(line.value);
    if (!m) continue;
    // Quoting that changes the text, or an expansion other than a plain variable ($(…), ${x:-y}).
    let values: string[] | null = /[`\\']/.test(line.raw) || m[2].replace(VARIABLE, '').includes('$') ? null : [m[2]];
    for (const reference of m[2].matchAll(VARIABLE)) {
      const candidates = assigned.get(reference[1] ?? reference[2]);
      values = values && candidates ? values.flatMap((v) => candidates.map((c) => v.replace(reference[0], c))) : null;
    }
    const before = written.get(m[1]);
    written.set(m[1], before === null || values === null ? null : [...new Set([...(before ?? []), ...values])]);
  }
  return new Map([...written].filter((e): e is [string, string[]] => e[1] !== null));
}

/** One expression's possible values; undefined when it is not one read here. */
function expressionValues(expression: string, scope: ExpressionScope): readonly string[] | undefined {
  let m = /^matrix\.([A-Za-z0-9_-]+)$/.exec(expression);
  if (m) {
    const value = scope.matrix?.get(m[1]);
    return value === undefined ? undefined : [value];
  }
  m = /^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(expression);
  if (m) return scope.outputs.get(`${m[1]}.${m[2]}`);
  m = /^env\.([A-Za-z0-9_]+)$/.exec(expression);
  if (m) {
    const value = scope.env.get(m[1]);
    return value === undefined ? undefined : [value];
  }
  return undefined;
}

/**
 * The texts `text` can become once GitHub replaces the expressions known here; the others stay as
 * written, so the text still reads as known only at run time where they matter.
 */
export function expandExpressions(text: string, scope: ExpressionScope): string[] {
  let texts = [''];
  let last = 0;
  for (const match of text.matchAll(EXPRESSION)) {
    const values = expressionValues(match[1], scope) ?? [match[0]];
    const before = text.slice(last, match.index);
    const next = texts.flatMap((t) => values.map((v) => t + before + v));
    texts = next.length > MAX_VARIANTS ? texts.map((t) => t + before + match[0]) : next;
    last = match.index! + match[0].length;
  }
  return texts.map((t) => t + text.slice(last));
}
