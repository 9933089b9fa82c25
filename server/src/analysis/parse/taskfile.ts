// A reader of what `task <name>` runs from a Taskfile (go-task, version 3): the task's `deps` first,
// then its `cmds` (strings, `cmd:` entries, `task:` calls), with `{{.NAME}}` filled from the file's
// plain `vars` and the command line's NAME=value. What it cannot evaluate (a `sh:` variable, other
// template expressions, `for` loops, included Taskfiles) it marks unknown instead of guessing; a
// task it cannot find gives undefined. Parsed with the `yaml` package, which gives each command's
// position for the message.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { RecipeLine } from './makefile';

export interface TaskStep extends Omit<RecipeLine, 'environment'> {
  /** The task's `dir:` relative to the Taskfile's directory, when it sets one. */
  dir?: string;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean') ? String(node.value) : undefined;
}

/** The steps `task <target>` runs (target undefined: the `default` task); undefined when not found. */
export function taskStepsOf(text: string, target: string | undefined, overrides: ReadonlyMap<string, string> = new Map()): TaskStep[] | undefined {
  const lines = new LineCounter();
  let document;
  try {
    document = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  } catch {
    return undefined;
  }
  if (document.errors.length > 0 || !isMap(document.contents)) return undefined;
  const root = document.contents;
  const tasks = root.get('tasks', true);
  if (!isMap(tasks)) return undefined;
  const vars = new Map<string, string | undefined>();
  const rootVars = root.get('vars', true);
  if (isMap(rootVars)) for (const pair of rootVars.items) {
    const name = scalarText(pair.key);
    if (name !== undefined) vars.set(name, scalarText(pair.value));
  }
  for (const [name, value] of overrides) vars.set(name, value);
  const fill = (command: string): { text: string; complete: boolean } => {
    let complete = true;
    const filled = command.replace(/\{\{(.*?)\}\}/g, (whole, inner: string) => {
      const plain = /^\s*\.([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(inner);
      const value = plain ? vars.get(plain[1]) : undefined;
      if (value === undefined) { complete = false; return whole; }
      return value;
    });
    return { text: filled, complete };
  };
  // A block scalar (`- |`) starts its text on the line after the indicator.
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line - 1 + (isScalar(node) && /^BLOCK/.test(node.type ?? '') ? 1 : 0) : 0);
  const steps: TaskStep[] = [];
  const done = new Set<string>();
  let found = true;
  const run = (name: string) => {
    if (done.has(name) || done.size > 200) return;
    done.add(name);
    const task = tasks.get(name, true);
    if (task === undefined) { found = false; return; }
    // `build: go build .` and `build: [a, b]` are shorthands for cmds.
    const cmds = isMap(task) ? task.get('cmds', true) : task;
    const dir = isMap(task) ? scalarText(task.get('dir', true)) : undefined;
    if (isMap(task)) {
      const deps = task.get('deps', true);
      if (isSeq(deps)) for (const dep of deps.items) {
        const depName = scalarText(dep) ?? (isMap(dep) ? scalarText(dep.get('task', true)) : undefined);
        if (depName !== undefined) run(depName);
        else found = false;
      }
    }
    const entries = isSeq(cmds) ? cmds.items : cmds === undefined ? [] : [cmds];
    for (const entry of entries) {
      const plain = scalarText(entry);
      if (plain !== undefined) {
        const { text: filled, complete } = fill(plain);
        steps.push({ text: filled, line: lineOf(entry as Node), complete, dir });
        continue;
      }
      if (!isMap(entry)) { found = false; continue; }
      const called = scalarText(entry.get('task', true));
      if (called !== undefined) { run(called); continue; }
      const cmd = entry.get('cmd', true);
      const cmdText = scalarText(cmd);
      if (cmdText === undefined || entry.has('for')) { found = false; continue; }
      if (entry.has('defer')) continue;
      const { text: filled, complete } = fill(cmdText);
      steps.push({ text: filled, line: lineOf(cmd as Node), complete, dir });
    }
  };
  run(target ?? 'default');
  // A task that calls one the reader cannot find (an included Taskfile's `ns:task`) is not read.
  return found ? steps : undefined;
}
