// Build contexts on disk, one per folder, whose answers are remembered: analysing on every
// keystroke must not walk the file system each time. A folder's answers are dropped when a
// watched file (.dockerignore, go.mod, go.sum) under it changes, or when a Dockerfile is saved.
import * as path from 'node:path';
import { diskContext, type BuildContext } from '../analysis/model/context';

/** Beyond this many remembered answers a context starts over, so typing paths cannot grow it forever. */
const MAX_ENTRIES = 10_000;

function memoize<A extends unknown[], R>(cache: Map<string, unknown>, kind: string, fn: (...args: A) => R): (...args: A) => R {
  return (...args: A) => {
    const key = `${kind}\0${args.join('\0')}`;
    if (cache.has(key)) return cache.get(key) as R;
    if (cache.size >= MAX_ENTRIES) cache.clear();
    const value = fn(...args);
    cache.set(key, value);
    return value;
  };
}

function remembering(inner: BuildContext, answers: Map<string, unknown>): BuildContext {
  return {
    root: inner.root,
    exists: memoize(answers, 'exists', (p: string) => inner.exists(p)),
    isDirectory: memoize(answers, 'isDirectory', (p: string) => inner.isDirectory(p)),
    readText: memoize(answers, 'readText', (p: string) => inner.readText(p)),
    // Callers must not change the array they get back.
    listFiles: memoize(answers, 'listFiles', (dir: string, limit: number) => inner.listFiles(dir, limit)),
  };
}

export class BuildContextCache {
  private readonly contexts = new Map<string, { context: BuildContext; answers: Map<string, unknown> }>();

  get(root: string): BuildContext {
    const key = path.resolve(root);
    let entry = this.contexts.get(key);
    if (!entry) {
      const answers = new Map<string, unknown>();
      entry = { context: remembering(diskContext(key), answers), answers };
      this.contexts.set(key, entry);
    }
    return entry.context;
  }

  /** Forget what is known about contexts containing `changedPath`; returns their roots. */
  invalidate(changedPath: string): string[] {
    const changed = path.resolve(changedPath);
    const roots: string[] = [];
    for (const [root, entry] of this.contexts) {
      if (changed === root || changed.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) {
        entry.answers.clear();
        roots.push(root);
      }
    }
    return roots;
  }

  clear(): void {
    for (const entry of this.contexts.values()) entry.answers.clear();
  }
}
