// A small reader of the part of GNU make that decides what `make <target>` runs: rules (targets,
// prerequisites, recipe lines with `\` continuations and `@`/`-`/`+` prefixes) and simple variable
// assignments (`=`, `:=`, `::=`, `?=`, `+=`, `export`/`override`). What it cannot evaluate (functions
// such as `$(shell …)`, conditionals, includes, `define`) it marks unknown instead of guessing:
// a recipe line that uses an unknown value says so, and a target defined only inside a
// conditional is not found at all.
//
// Why not a parser from npm: `tree-sitter-make` is a native addon (its WebAssembly build is not
// published for the web-tree-sitter version the shell parser uses) and gives syntax only; the
// evaluation (variables, prerequisites, the default goal) is the part needed here, and
// `@kba/makefile-parser` is an unmaintained 0.0.x that drops continuations.

export interface RecipeLine {
  /** The command text after variable expansion, prefixes removed. */
  text: string;
  /** Zero-based line in the Makefile where the recipe line starts. */
  line: number;
  /** false when the text used a value the reader cannot know (`$(shell …)`, an undefined variable). */
  complete: boolean;
  /**
   * Variables of make's environment the line reads: ones the Makefile never sets, or sets with
   * `?=` (the environment's value wins): an ARG or ENV of that name reaches the command.
   */
  environment: string[];
}

interface MakeRule {
  prerequisites: string[];
  recipe: { text: string; line: number }[];
}

interface Variable {
  value: string;
  /** `=` expands when used; `:=` expanded when assigned. */
  recursive: boolean;
  /** Assigned in a way the reader cannot follow (inside a conditional, from a function, `define`). */
  unknown?: boolean;
  /** Assigned with `?=` (or `:= $(if $(NAME),$(NAME),…)`): a variable of that name in make's environment wins over this value. */
  environmentWins?: boolean;
  /** `:=`: the environment variables its value read when it was assigned. */
  read?: string[];
}

export interface Makefile {
  rules: Map<string, MakeRule>;
  variables: Map<string, Variable>;
  /** The first target that is not special (`.PHONY`) nor a pattern: what a bare `make` builds. */
  defaultTarget?: string;
  /** The file includes others: a variable it does not define may be defined there. */
  includes: boolean;
  /** Every assignment as written, in order, inside conditionals too. */
  assignments: Assignment[];
  /**
   * Targets with rules only inside conditionals the reader could not decide: for each rule, the
   * branch it sits in, as `[conditional, branch]` pairs from the outermost (see `readMakefile`).
   */
  conditionalTargets: Map<string, Branch[][]>;
}

/** A branch of a conditional: the conditional's number in the file (from 0) and the branch's (0 for the `if` part, 1 for the first `else`…). */
export type Branch = readonly [number, number];

export interface Assignment {
  name: string;
  op: string;
  value: string;
  /** Zero-based lines of the Makefile it spans, first and last (`\\` continuations). */
  lines: [number, number];
}

const ASSIGNMENT = /^(?:(?:export|override)\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(::=|:::=|:=|\?=|\+=|!=|=)\s*(.*)$/s;
const CONDITIONAL_START = /^(ifeq|ifneq|ifdef|ifndef)\b/;

/**
 * The default of `NAME := $(if $(NAME),$(NAME),DEFAULT)` or `NAME := $(or $(NAME),DEFAULT)`: like
 * `NAME ?= DEFAULT`, a non-empty variable of that name in make's environment wins. undefined for
 * any other value.
 */
export function defaultUnlessSet(name: string, value: string): string | undefined {
  const own = `\\$[({]${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[)}]`;
  const match = new RegExp(`^\\$\\((?:if\\s+${own}\\s*,\\s*${own}|or\\s+${own})\\s*,(.*)\\)$`, 's').exec(value.trim());
  return match?.[1].trim();
}

/** `NAME ?= …` or `NAME := $(if $(NAME),$(NAME),…)`: a variable of that name in make's environment replaces this assignment. */
export function yieldsToEnvironment(a: Assignment): boolean {
  return a.op === '?=' || defaultUnlessSet(a.name, a.value) !== undefined;
}

/** Lines with their `\` continuations joined, each with the zero-based lines it starts and ends on. */
function logicalLines(text: string): { text: string; line: number; end: number }[] {
  const physical = text.replace(/\r\n/g, '\n').split('\n');
  const out: { text: string; line: number; end: number }[] = [];
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    let current = physical[i];
    while (/(^|[^\\])(\\\\)*\\$/.test(current) && i + 1 < physical.length) {
      // make keeps a recipe's backslash-newline for the shell, which joins the lines: the same.
      current = `${current.slice(0, -1).trimEnd()} ${physical[++i].replace(/^\t/, '').trimStart()}`;
    }
    out.push({ text: current, line: start, end: i });
  }
  return out;
}

function stripComment(line: string): string {
  const at = line.search(/(^|[^\\])#/);
  return at < 0 ? line : line.slice(0, at === 0 && line[0] === '#' ? 0 : at + 1);
}

/**
 * Reads a Makefile. `taken` gives branches of conditionals known to be taken (see
 * `branchesRunning`): their text is read as if unconditional, and their other branches skipped.
 */
export function readMakefile(text: string, taken: ReadonlyMap<number, number> = new Map()): Makefile {
  const rules = new Map<string, MakeRule>();
  const variables = new Map<string, Variable>();
  let defaultTarget: string | undefined;
  let includes = false;
  const assignments: Assignment[] = [];
  const conditionalTargets = new Map<string, Branch[][]>();
  // The conditionals around the current line, outermost first, with the branch it is in.
  const open: [number, number][] = [];
  let conditionals = 0;
  // Lines inside an undecided conditional: what they set is unknown. Lines in a branch not taken are skipped.
  const undecided = () => open.filter(([id]) => !taken.has(id)).length;
  const skipped = () => open.some(([id, branch]) => taken.has(id) && taken.get(id) !== branch);
  let inDefine: string | undefined;
  // The rules the recipe lines that follow belong to; undefined outside a rule.
  let current: MakeRule[] | undefined;
  for (const { text: raw, line, end } of logicalLines(text)) {
    if (inDefine !== undefined) {
      if (/^\s*endef\b/.test(raw)) inDefine = undefined;
      continue;
    }
    if (raw.startsWith('\t') && current) {
      const recipe = raw.slice(1).trim();
      if (recipe !== '') for (const rule of current) rule.recipe.push({ text: recipe, line });
      continue;
    }
    const stripped = stripComment(raw).trim();
    if (stripped === '') continue;
    if (CONDITIONAL_START.test(stripped)) { open.push([conditionals++, 0]); current = undefined; continue; }
    if (/^else\b/.test(stripped)) { if (open.length > 0) open[open.length - 1][1]++; current = undefined; continue; }
    if (/^endif\b/.test(stripped)) { open.pop(); current = undefined; continue; }
    if (skipped()) { current = undefined; continue; }
    const conditionalDepth = undecided();
    const define = /^(?:(?:export|override)\s+)*define\s+([A-Za-z_][A-Za-z0-9_.-]*)/.exec(stripped);
    if (define) { inDefine = define[1]; variables.set(define[1], { value: '', recursive: true, unknown: true }); current = undefined; continue; }
    if (/^-?s?include\s/.test(stripped)) { includes = true; current = undefined; continue; }
    const assignment = ASSIGNMENT.exec(stripped);
    // `a: b=c` is a target-specific variable, not an assignment: the colon comes first.
    if (assignment && !/^[^=]*[^:=]:[^=]/.test(stripped.slice(0, stripped.indexOf(assignment[2]) + 1))) {
      const [, name, op, value] = assignment;
      const previous = variables.get(name);
      assignments.push({ name, op, value, lines: [line, end] });
      const unlessSet = previous || op === '?=' || op === '+=' ? undefined : defaultUnlessSet(name, value);
      if (conditionalDepth > 0 || op === '!=') variables.set(name, { value, recursive: true, unknown: true });
      else if (op === '?=') {
        if (!previous) variables.set(name, { value, recursive: true, environmentWins: true });
      } else if (unlessSet !== undefined) variables.set(name, { value: unlessSet, recursive: true, environmentWins: true });
      else if (op === '+=') variables.set(name, previous ? { ...previous, value: `${previous.value} ${value}` } : { value, recursive: true });
      else if (op === '=') variables.set(name, { value, recursive: true });
      else {
        const environment = new Set<string>();
        const expanded = expand(value, variables, new Map(), 0, false, environment);
        variables.set(name, { value: expanded.text, recursive: false, unknown: !expanded.complete, read: [...environment] });
      }
      current = undefined;
      continue;
    }
    const colon = /^([^:=]+?)\s*(::?)(?!=)\s*(.*)$/s.exec(stripped);
    if (colon && conditionalDepth > 0) {
      const branch = open.filter(([id]) => !taken.has(id)).map(([id, b]): Branch => [id, b]);
      for (const target of colon[1].split(/\s+/).filter(Boolean)) conditionalTargets.set(target, [...(conditionalTargets.get(target) ?? []), branch]);
      // Its recipe lines belong to no rule the reader keeps.
      current = [];
      continue;
    }
    if (!colon) { current = undefined; continue; }
    const targets = colon[1].split(/\s+/).filter(Boolean);
    let rest = colon[3];
    let inline: string | undefined;
    const semicolon = rest.indexOf(';');
    if (semicolon >= 0) { inline = rest.slice(semicolon + 1).trim(); rest = rest.slice(0, semicolon); }
    // A target-specific assignment (`build: GOOS=linux`) changes a variable for that target only.
    if (/^[A-Za-z_][A-Za-z0-9_.-]*\s*(::=|:=|\?=|\+=|=)/.test(rest)) { current = undefined; continue; }
    const prerequisites = rest.split('|')[0].split(/\s+/).filter(Boolean);
    current = [];
    for (const target of targets) {
      if (target.includes('%')) continue;
      let rule = rules.get(target);
      if (!rule) rules.set(target, (rule = { prerequisites: [], recipe: [] }));
      rule.prerequisites.push(...prerequisites);
      current.push(rule);
      if (defaultTarget === undefined && (!target.startsWith('.') || target.includes('/'))) defaultTarget = target;
    }
    if (inline) for (const rule of current) rule.recipe.push({ text: inline, line });
  }
  return { rules, variables, defaultTarget, includes, assignments, conditionalTargets };
}

/**
 * The conditional branches a `make` of these goals must take: a goal with no rule of its own whose
 * rules all sit in one branch of undecided conditionals (`ifeq (in_docker,$(firstword
 * $(MAKECMDGOALS))) … else <the targets> endif`). make fails on a goal without a rule, so a build
 * that runs it takes that branch. undefined when no goal needs one, or they need conflicting ones.
 */
export function branchesRunning(makefile: Makefile, goals: readonly (string | undefined)[]): Map<number, number> | undefined {
  const taken = new Map<number, number>();
  for (const goal of goals) {
    if (goal === undefined || makefile.rules.has(goal)) continue;
    const places = makefile.conditionalTargets.get(goal) ?? [];
    const key = (branches: Branch[]) => branches.map(([id, b]) => `${id}:${b}`).join('/');
    if (places.length === 0 || places.some((p) => key(p) !== key(places[0]))) return undefined;
    for (const [id, branch] of places[0]) {
      if (taken.has(id) && taken.get(id) !== branch) return undefined;
      taken.set(id, branch);
    }
  }
  return taken.size > 0 ? taken : undefined;
}

const REFERENCE = /\$[({]([A-Za-z_][A-Za-z0-9_.-]*)[)}]/g;
const IMMEDIATE = new Set([':=', '::=', ':::=', '!=']);

/**
 * The texts make may evaluate to build `targets` (the default goal for undefined): their recipe
 * lines and their prerequisites', as written; every assignment of a variable these use, and of the
 * variables those use in turn; and every immediate assignment (`:=`, `!=`), which make evaluates as
 * it reads the file, whatever the target. `skip` leaves out an assignment (a default the
 * environment replaces). undefined when a target has no rule the reader found.
 */
export function evaluatedTexts(makefile: Makefile, targets: readonly (string | undefined)[], skip: (a: Assignment) => boolean = () => false): string[] | undefined {
  const texts: string[] = [];
  const done = new Set<string>();
  const visit = (name: string): boolean => {
    if (done.has(name) || done.size > 200) return true;
    done.add(name);
    const rule = makefile.rules.get(name);
    if (!rule) return false;
    texts.push(...rule.recipe.map((step) => step.text));
    // A prerequisite without a rule is a file make finds, not a recipe it runs.
    for (const prerequisite of rule.prerequisites) visit(prerequisite);
    return true;
  };
  for (const target of targets) {
    const goal = target ?? makefile.defaultTarget;
    if (goal === undefined || !visit(goal)) return undefined;
  }
  const kept = makefile.assignments.filter((a) => !skip(a));
  const pending = [...texts, ...kept.filter((a) => IMMEDIATE.has(a.op)).map((a) => a.value)];
  texts.push(...pending.slice(texts.length));
  const used = new Set<string>();
  while (pending.length > 0) {
    for (const [, name] of pending.pop()!.matchAll(REFERENCE)) {
      if (used.has(name)) continue;
      used.add(name);
      for (const a of kept.filter((k) => k.name === name)) {
        texts.push(a.value);
        pending.push(a.value);
      }
    }
  }
  return texts;
}

/** make's functions: a reference with a space or comma in its name calls one. */
const FUNCTION_CALL = /^[a-z-]+[\s,]/;

/** `$(NAME)` or `${NAME}` inside a function call's arguments. */
const VARIABLE_REFERENCE = /\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]/g;

/** Reading NAME reads make's environment where the Makefile leaves it to the environment, and what its `:=` value read. */
function noteRead(name: string, variables: Map<string, Variable>, environment: Set<string>): void {
  const variable = variables.get(name);
  if (!variable || variable.environmentWins) environment.add(name);
  for (const read of variable?.read ?? []) environment.add(read);
}

/**
 * Expands make references in text: `$(NAME)`, `${NAME}`, `$X`, `$$` (a dollar for the shell),
 * automatic variables from `automatic`. What cannot be known leaves `complete` false.
 */
function expand(text: string, variables: Map<string, Variable>, automatic: Map<string, string>, depth = 0, includes = false, environment?: Set<string>): { text: string; complete: boolean } {
  let out = '';
  let complete = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '$') { out += ch; continue; }
    const next = text[i + 1];
    if (next === undefined) break;
    if (next === '$') { out += '$'; i++; continue; }
    let name: string;
    if (next === '(' || next === '{') {
      const close = next === '(' ? ')' : '}';
      let level = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === next) level++;
        else if (text[j] === close && --level === 0) break;
      }
      name = text.slice(i + 2, j);
      i = j;
    } else {
      name = next;
      i++;
    }
    if (automatic.has(name)) { out += automatic.get(name); continue; }
    // make runs `$(shell CMD)` with the shell and puts its output there: to the recipe's reader, a
    // command substitution of CMD. Other functions are left as written.
    const shellCall = /^shell\s+([^$]+)$/s.exec(name);
    if (shellCall) { complete = false; out += `$(${shellCall[1].trim()})`; continue; }
    if (FUNCTION_CALL.test(name) || name.includes('$') || name.includes(':') || depth > 20) {
      complete = false;
      out += `$(${name})`;
      // make expands a function's arguments first: the variables they name are read all the same.
      if (environment) for (const [, inner] of name.matchAll(VARIABLE_REFERENCE)) noteRead(inner, variables, environment);
      continue;
    }
    const variable = variables.get(name);
    if (environment) noteRead(name, variables, environment);
    if (!variable || variable.unknown) {
      // An undefined variable is empty to make, unless an included file or the environment may set it.
      if (!variable && !includes && !/^[A-Z]/.test(name)) continue;
      complete = false;
      // A value only the build knows, written as the shell's `${NAME}` so that no reader of the
      // recipe takes it for a command substitution running a command NAME.
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `\${${name}}` : `$(${name})`;
      continue;
    }
    if (!variable.recursive) { out += variable.value; continue; }
    const inner = expand(variable.value, variables, automatic, depth + 1, includes, environment);
    complete &&= inner.complete;
    out += inner.text;
  }
  return { text: out, complete };
}

/**
 * The recipe lines `make target` runs, prerequisites first (each target once), with variables
 * expanded; `overrides` are `make NAME=value` arguments. undefined when the target has no rule.
 */
export function recipeOf(makefile: Makefile, target: string | undefined, overrides: ReadonlyMap<string, string> = new Map()): RecipeLine[] | undefined {
  const goal = target ?? makefile.defaultTarget;
  if (goal === undefined || !makefile.rules.has(goal)) return undefined;
  const variables = new Map(makefile.variables);
  for (const [name, value] of overrides) variables.set(name, { value, recursive: false });
  const lines: RecipeLine[] = [];
  const done = new Set<string>();
  const visit = (name: string) => {
    if (done.has(name) || done.size > 200) return;
    done.add(name);
    const rule = makefile.rules.get(name);
    if (!rule) return;
    for (const prerequisite of rule.prerequisites) visit(prerequisite);
    const automatic = new Map([['@', name], ['<', rule.prerequisites[0] ?? ''], ['^', [...new Set(rule.prerequisites)].join(' ')], ['MAKE', 'make']]);
    for (const step of rule.recipe) {
      const environment = new Set<string>();
      const { text, complete } = expand(step.text, variables, automatic, 0, makefile.includes, environment);
      lines.push({ text: text.replace(/^[@+-]+\s*/, ''), line: step.line, complete, environment: [...environment] });
    }
  };
  visit(goal);
  return lines;
}
