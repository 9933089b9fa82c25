// The build-context files a COPY/ADD source reads, after .dockerignore, the way Docker matches
// them: a directory brings everything under it, a wildcard matches anchored at the context root.
import dockerignore from '@balena/dockerignore';
import { normalizeContextPath, type BuildContext, type DockerIgnore } from '../../analysis/context';

export const FILE_LIST_LIMIT = 5000;

export interface ContextFiles {
  /** Files read, in path order, at most FILE_LIST_LIMIT. */
  files: string[];
  /** Files under the sources that .dockerignore keeps out. */
  ignored: number;
  /** The listing stopped at the limit: there are at least this many. */
  truncated: boolean;
}

function isRemote(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || source.startsWith('git@');
}

/** The directory a source's wildcard-free prefix names: `cmd/*\/main.go` → `cmd`. */
function staticPrefix(source: string): string {
  const segments = source.split('/');
  const firstGlob = segments.findIndex((s) => /[*?[]/.test(s));
  return firstGlob < 0 ? source : segments.slice(0, firstGlob).join('/') || '.';
}

function filesOf(source: string, context: BuildContext): string[] {
  const normalized = normalizeContextPath(source);
  if (normalized === '.' || normalized === '*') return context.listFiles('.', FILE_LIST_LIMIT + 1);
  if (!/[*?[]/.test(normalized)) return context.exists(normalized) ? context.listFiles(normalized, FILE_LIST_LIMIT + 1) : [];
  let matcher: { ignores(path: string): boolean };
  try {
    matcher = dockerignore({ ignorecase: false }).add([normalized]);
  } catch {
    return [];
  }
  return context.listFiles(staticPrefix(normalized), FILE_LIST_LIMIT * 4).filter((f) => matcher.ignores(f));
}

export function contextFilesRead(sources: string[], context: BuildContext, ignore: DockerIgnore): ContextFiles {
  const read = new Set<string>();
  let ignored = 0;
  for (const source of sources.filter((s) => !isRemote(s))) {
    for (const file of filesOf(source, context)) {
      if (ignore.ignores(file)) ignored++;
      else read.add(file);
    }
  }
  const files = [...read].sort();
  return { files: files.slice(0, FILE_LIST_LIMIT), ignored, truncated: files.length > FILE_LIST_LIMIT };
}

export function remoteSources(sources: string[]): string[] {
  return sources.filter(isRemote);
}
