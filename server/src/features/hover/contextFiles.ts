// The build-context files a COPY/ADD source reads, after .dockerignore, the way Docker matches
// them: a directory brings everything under it, a wildcard matches anchored at the context root.
import { normalizeContextPath, type BuildContext, type DockerIgnore } from '../../analysis/model/context';
import { sourcesMatcher } from '../../profile/miss';

export const FILE_LIST_LIMIT = 5000;

export interface ContextFiles {
  /** Files read, in path order, at most FILE_LIST_LIMIT. */
  files: string[];
  /** Files under the sources that .dockerignore keeps out. */
  ignored: number;
  /** The listing stopped at the limit: there are more. */
  truncated: boolean;
}

function isRemote(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || source.startsWith('git@');
}

/** The folder before the first wildcard: `cmd/*\/main.go` → `cmd`, where the listing starts. */
function staticPrefix(source: string): string {
  const segments = source.split('/');
  const firstGlob = segments.findIndex((s) => /[*?[]/.test(s));
  return firstGlob < 0 ? source : segments.slice(0, firstGlob).join('/') || '.';
}

export function contextFilesRead(sources: string[], context: BuildContext, ignore: DockerIgnore): ContextFiles {
  const read = new Set<string>();
  let ignored = 0;
  for (const source of sources.filter((s) => !isRemote(s)).map(normalizeContextPath)) {
    const matches = sourcesMatcher([source]);
    for (const file of context.listFiles(staticPrefix(source), FILE_LIST_LIMIT + 1).filter(matches)) {
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
