// File names as CI services want them: relative to the directory the check ran in, with forward
// slashes and no leading `./`.
import * as path from 'node:path';

export function relativeToBase(file: string, baseDir: string): string {
  const relative = path.isAbsolute(file) ? path.relative(baseDir, file) : path.normalize(file);
  return relative.split(path.sep).join('/').replace(/^(\.\/)+/, '');
}
