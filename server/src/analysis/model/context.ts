// The build context as the analysis sees it: which files exist, what .dockerignore keeps out.
// Rules never touch the file system directly, so tests and the language server can hand in an
// in-memory context or one backed by the disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import dockerignore from '@balena/dockerignore';

export interface BuildContext {
  /** Absolute path of the context root, for messages; '' when unknown. */
  readonly root: string;
  /** Whether a file or directory exists, path relative to the root with forward slashes. */
  exists(relativePath: string): boolean;
  isDirectory(relativePath: string): boolean;
  readText(relativePath: string): string | undefined;
  /** Files under a directory (recursively), relative to the root, at most `limit` of them. */
  listFiles(relativeDir: string, limit: number): string[];
}

export function normalizeContextPath(p: string): string {
  let out = p.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  out = path.posix.normalize(out || '.');
  if (out.startsWith('/')) out = out.slice(1);
  return out === '' ? '.' : out;
}

// Folders whose files no analysis reads: listing them (a .git of loose objects runs to thousands)
// would use up the limits callers give before the files they look for are reached.
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export function diskContext(root: string): BuildContext {
  const abs = (p: string) => path.join(root, normalizeContextPath(p));
  // Many paths asked about do not exist: `throwIfNoEntry: false` says so without the cost of an exception.
  return {
    root,
    // A link that points nowhere is still part of the context: docker sends the link itself.
    exists: (p) => {
      try {
        return fs.lstatSync(abs(p), { throwIfNoEntry: false }) !== undefined;
      } catch {
        return false;
      }
    },
    isDirectory: (p) => {
      try {
        return fs.statSync(abs(p), { throwIfNoEntry: false })?.isDirectory() ?? false;
      } catch {
        return false;
      }
    },
    readText: (p) => {
      try {
        if (!fs.statSync(abs(p), { throwIfNoEntry: false })) return undefined;
        return fs.readFileSync(abs(p), 'utf8');
      } catch {
        return undefined;
      }
    },
    listFiles: (dir, limit) => {
      const out: string[] = [];
      const base = normalizeContextPath(dir);
      const walk = (rel: string) => {
        if (out.length >= limit) return;
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
        } catch {
          return;
        }
        entries.sort((a, b) => a.name.localeCompare(b.name));
        for (const entry of entries) {
          if (out.length >= limit) return;
          const child = rel === '.' ? entry.name : `${rel}/${entry.name}`;
          if (entry.isDirectory()) {
            if (!SKIPPED_DIRS.has(entry.name)) walk(child);
          } else {
            out.push(child);
          }
        }
      };
      if (fs.existsSync(path.join(root, base)) && !fs.statSync(path.join(root, base)).isDirectory()) return [base];
      walk(base);
      return out;
    },
  };
}

/** An in-memory context: file path → content. Directories are implied by the paths. */
export function memoryContext(files: Record<string, string>, root = '/context'): BuildContext {
  const paths = Object.keys(files).map(normalizeContextPath);
  const under = (dir: string) => {
    const base = normalizeContextPath(dir);
    return paths.filter((p) => base === '.' || p === base || p.startsWith(`${base}/`));
  };
  return {
    root,
    exists: (p) => under(p).length > 0,
    isDirectory: (p) => {
      const base = normalizeContextPath(p);
      return base === '.' || paths.some((f) => f.startsWith(`${base}/`));
    },
    readText: (p) => {
      const key = Object.keys(files).find((k) => normalizeContextPath(k) === normalizeContextPath(p));
      return key === undefined ? undefined : files[key];
    },
    listFiles: (dir, limit) => under(dir).sort().slice(0, limit),
  };
}

export interface DockerIgnore {
  /**
   * The ignore file, relative to the context root: the Dockerfile's own (`<Dockerfile>.dockerignore`
   * beside it, which BuildKit reads first) when there is one, else `.dockerignore`.
   */
  path: string;
  /** The .dockerignore text, or undefined when the context has none. */
  text: string | undefined;
  patterns: string[];
  /** Patterns docker rejects (it refuses to build); matching leaves them out. */
  invalid: { line: number; pattern: string; reason: string }[];
  ignores(relativePath: string): boolean;
}

/** Why docker would reject a .dockerignore pattern, or undefined when it is valid. */
function patternProblem(pattern: string): string | undefined {
  if (pattern === '!') return 'a lone "!" excludes nothing';
  try {
    // The matcher compiles its patterns on first use: probing it is how a bad one shows.
    dockerignore({ ignorecase: false }).add([pattern]).ignores('probe');
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    if (/Unterminated character class/i.test(message)) return 'a "[" that is never closed';
    if (/Range out of order/i.test(message)) return 'a character range that runs backwards';
    return message;
  }
}

/** A Dockerfile's path relative to the context root (absolute paths), or undefined when it lies outside. */
export function dockerfileInContext(root: string, dockerfilePath: string): string | undefined {
  if (root === '') return undefined;
  const relative = path.relative(path.resolve(root), path.resolve(dockerfilePath));
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join('/');
}

/** The root's ignore file, read when the Dockerfile has none of its own. */
export const CONTEXT_IGNORE_FILE = '.dockerignore';

/**
 * The ignore file BuildKit reads for a Dockerfile at `dockerfile` (relative to the context root):
 * `<dockerfile>.dockerignore` when the context holds one, else the root's `.dockerignore`.
 */
export function ignoreFileFor(context: BuildContext | undefined, dockerfile?: string): string {
  const own = dockerfile === undefined ? undefined : `${normalizeContextPath(dockerfile)}.dockerignore`;
  return own !== undefined && context?.readText(own) !== undefined ? own : CONTEXT_IGNORE_FILE;
}

/** Reads the ignore file with Docker's own matching rules (anchored at the root, `**`, `!` exceptions). */
export function readDockerIgnore(context: BuildContext | undefined, dockerfile?: string): DockerIgnore {
  const path = ignoreFileFor(context, dockerfile);
  return parseDockerIgnore(context?.readText(path), path);
}

/** The rules of an ignore file's text (undefined: the context has none). */
export function parseDockerIgnore(text: string | undefined, path = CONTEXT_IGNORE_FILE): DockerIgnore {
  const patterns: string[] = [];
  const valid: string[] = [];
  const invalid: DockerIgnore['invalid'] = [];
  (text ?? '').split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    patterns.push(line);
    const reason = patternProblem(line);
    if (reason === undefined) valid.push(line);
    else invalid.push({ line: index + 1, pattern: line, reason });
  });
  let matcher: { ignores(p: string): boolean } = { ignores: () => false };
  try {
    matcher = dockerignore({ ignorecase: false }).add(valid);
  } catch {
    // A pattern the probe let through must not stop the analysis; treat the file as ignoring nothing.
  }
  return {
    path,
    text,
    patterns,
    invalid,
    ignores: (p) => {
      const normalized = normalizeContextPath(p);
      if (normalized === '.') return false;
      try {
        return matcher.ignores(normalized);
      } catch {
        return false;
      }
    },
  };
}
