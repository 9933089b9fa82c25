// A copy of the build context as docker would send it: what .dockerignore keeps out is not
// copied, so a measured build reads exactly the files a real one would, and the copy is no bigger.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDockerIgnore } from '../analysis/model/context';

export interface CopyStats {
  files: number;
  bytes: number;
}

/**
 * Copies `from` into `to` (created), leaving out what `dockerignoreText` ignores. A directory
 * that is ignored is skipped whole unless an exception (`!pattern`) might bring a file back.
 * Symbolic links are copied as links, as docker sends them.
 */
export function copyBuildContext(from: string, to: string, dockerignoreText: string | undefined): CopyStats {
  const ignore = parseDockerIgnore(dockerignoreText);
  const hasExceptions = ignore.patterns.some((p) => p.startsWith('!'));
  const stats: CopyStats = { files: 0, bytes: 0 };
  const walk = (rel: string) => {
    const source = path.join(from, rel);
    const target = path.join(to, rel);
    fs.mkdirSync(target, { recursive: true });
    for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const ignored = ignore.ignores(childRel);
      if (entry.isDirectory()) {
        if (!ignored || hasExceptions) walk(childRel);
      } else if (!ignored) {
        const dest = path.join(to, childRel);
        if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(path.join(from, childRel)), dest);
        else if (entry.isFile()) {
          fs.copyFileSync(path.join(from, childRel), dest);
          stats.files++;
          stats.bytes += fs.statSync(dest).size;
        }
      }
    }
  };
  walk('');
  return stats;
}
