// Classifies what a COPY/ADD reads from the build context: only the module manifests
// (go.mod/go.sum, which change rarely), a whole module, other Go source, or unrelated files.
import * as posix from 'node:path/posix';
import type { BuildContext, DockerIgnore } from './context';
import { normalizeContextPath } from './context';
import { isCopy, isRun, type Mount, type Stage } from './model';
import type { Range } from './types';

export type SourceKind = 'manifest' | 'module' | 'source' | 'other';

export interface CopySource {
  /** The source after variable expansion, as written otherwise. */
  value: string;
  range: Range;
  kind: SourceKind;
  /** Context-relative directory of the go.mod this source belongs to, when known. */
  moduleDir?: string;
}

const MANIFEST_NAMES = /^(go\.mod|go\.sum|go\.work|go\.work\.sum|go\.\*|go\.work\*|go\.\{mod,sum\}|go\.mod\*|go\.sum\*)$/;
const FILE_SCAN_LIMIT = 2000;

function isGlob(p: string): boolean {
  return /[*?[]/.test(p);
}

/** COPY sources that copy the whole build context (`.`, `./`, `*`, `./*`). */
export const WHOLE_CONTEXT_SOURCES: ReadonlySet<string> = new Set(['.', './', '*', './*']);

/** A bind mount of the whole build context: no `from`, and a source of `.`, `./`, `/` or none. */
export function bindsWholeContext(mount: Pick<Mount, 'type' | 'from' | 'source'>): boolean {
  return mount.type === 'bind' && !mount.from && ['', '.', './', '/'].includes(mount.source ?? '');
}

/** Nearest directory at or above `dir` (context-relative) that holds a go.mod. */
export function enclosingModule(dir: string, context: BuildContext): string | undefined {
  let current = normalizeContextPath(dir);
  for (;;) {
    if (context.exists(current === '.' ? 'go.mod' : `${current}/go.mod`)) return current;
    if (current === '.') return undefined;
    current = posix.dirname(current);
  }
}

export function classifySource(raw: string, context: BuildContext | undefined, dockerignore: DockerIgnore): Omit<CopySource, 'range' | 'value'> {
  if (/^[a-z]+:\/\//i.test(raw) || raw.startsWith('git@')) return { kind: 'other' };
  const p = normalizeContextPath(raw);
  const base = posix.basename(p);
  const dir = posix.dirname(p);
  if (MANIFEST_NAMES.test(base)) return { kind: 'manifest', moduleDir: dir };
  const wholeContext = p === '.' || p === '*';
  if (!context || !context.root) {
    if (wholeContext) return { kind: 'module', moduleDir: '.' };
    if (base.endsWith('.go') || /\.go\b/.test(base)) return { kind: 'source' };
    if (!base.includes('.') || raw.endsWith('/')) return { kind: 'source' };
    return { kind: 'other' };
  }
  if (isGlob(p) && !wholeContext) {
    if (/\.go$/.test(base)) return { kind: 'source', moduleDir: enclosingModule(dir, context) };
    return { kind: 'other' };
  }
  const target = wholeContext ? '.' : p;
  if (context.isDirectory(target)) {
    if (context.exists(target === '.' ? 'go.mod' : `${target}/go.mod`)) return { kind: 'module', moduleDir: target };
    const files = context.listFiles(target, FILE_SCAN_LIMIT).filter((f) => !dockerignore.ignores(f));
    if (files.some((f) => f.endsWith('.go') || posix.basename(f) === 'go.mod')) {
      const nested = files.find((f) => posix.basename(f) === 'go.mod');
      return { kind: nested ? 'module' : 'source', moduleDir: nested ? posix.dirname(nested) : enclosingModule(target, context) };
    }
    return { kind: 'other' };
  }
  if (base.endsWith('.go')) return { kind: 'source', moduleDir: enclosingModule(dir, context) };
  return { kind: 'other' };
}

export function classifySources(sources: { value: string; range: Range }[], context: BuildContext | undefined, dockerignore: DockerIgnore): CopySource[] {
  return sources.map((s) => {
    // Fields listed, not spread: a spread literal costs V8 microseconds per object.
    const { kind, moduleDir } = classifySource(s.value, context, dockerignore);
    return { value: s.value, range: s.range, kind, moduleDir };
  });
}

/** Docker's COPY glob syntax (`*`, `?`, `[…]`, `**`) as a regular expression over a whole path. */
export function globPattern(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * Whether a step at `position` of `stage` (Infinity: after all of it) depends on nothing but the
 * Dockerfile's lines and the images they name: no COPY or ADD before it in the stage or the
 * stages it starts FROM (from the build context, a URL, or a stage that itself depends on more),
 * and no bind mount of the context or of such a stage, before it or on it. Its layer is then reused until an image
 * or a line above it changes.
 */
export function dependsOnLinesOnly(stages: readonly Stage[], stage: Stage, position = Infinity, seen = new Set<Stage>()): boolean {
  if (seen.has(stage)) return true;
  seen.add(stage);
  // Another stage by name or index, else an image, which its reference pins (unless a variable chooses it).
  const linesOnly = (from: string) => {
    const named = stages.find((s) => s.name?.toLowerCase() === from.toLowerCase() || String(s.index) === from);
    return named ? dependsOnLinesOnly(stages, named, Infinity, seen) : !from.includes('$');
  };
  for (const s of stage.chain) {
    for (const i of s.instructions) {
      // The step itself counts by its mounts.
      if (s === stage && i.position > position) break;
      if (isCopy(i) && i.position !== position && (!i.from || !linesOnly(i.from.value))) return false;
      if (isRun(i) && i.mounts.some((m) => m.type === 'bind' && (!m.from || !linesOnly(m.from)))) return false;
    }
  }
  return true;
}
