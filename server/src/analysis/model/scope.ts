// The variables in scope at an instruction (its ARG and ENV values), as a map that remembers which
// names any analysis in this process asked it for. A variable nobody asked for cannot have decided
// a finding, so the editor may keep the findings of an edit that changes only its value
// (../carry.ts). Asking for every variable at once (iterating the map) counts as asking for each.

const asked = new Set<string>();
let listed = false;

export class Scope<V> extends Map<string, V> {
  override get(name: string): V | undefined {
    asked.add(name);
    return super.get(name);
  }

  override has(name: string): boolean {
    asked.add(name);
    return super.has(name);
  }

  override forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    listed = true;
    super.forEach(callback, thisArg);
  }

  override entries(): MapIterator<[string, V]> {
    listed = true;
    return super.entries();
  }

  override keys(): MapIterator<string> {
    listed = true;
    return super.keys();
  }

  override values(): MapIterator<V> {
    listed = true;
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    listed = true;
    return super[Symbol.iterator]();
  }

  /**
   * A copy of `variables` holding those `keep` accepts (all without it). Copying reads no value on
   * the analysis' behalf, so it asks for nothing.
   */
  static of<V>(variables: ReadonlyMap<string, V>, keep?: (value: V) => boolean): Scope<V> {
    const next = new Scope<V>();
    Map.prototype.forEach.call(variables, (value: V, name: string) => {
      if (!keep || keep(value)) next.set(name, value);
    });
    return next;
  }

  /** A copy with `name` set to `value`. */
  with(name: string, value: V): Scope<V> {
    return Scope.of(this).set(name, value);
  }
}

/** Whether an analysis in this process asked for the variable `name` in some scope, or for every variable of one. */
export function variableAsked(name: string): boolean {
  return listed || asked.has(name);
}

/**
 * Every variable of a scope, read without counting as asked for: for what is only shown to the
 * user (a hover), which decides no finding.
 */
export function shownVariables<V>(variables: ReadonlyMap<string, V>): [string, V][] {
  const all: [string, V][] = [];
  Map.prototype.forEach.call(variables, (value: V, name: string) => all.push([name, value]));
  return all;
}
