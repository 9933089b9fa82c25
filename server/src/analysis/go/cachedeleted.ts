// A RUN that deletes Go's caches after its Go command (`rm -rf /root/.cache`, `go clean -cache`):
// the step is written to leave nothing of the toolchain's work in its layer. A cache mount there
// would not help the way GD003 says: `rm -rf` of a directory holding the mount point fails
// ("Resource busy") and the build stops, and what it does remove is the mounted cache itself.
import * as posix from 'node:path/posix';
import { expandVariables, referencedVariables } from '../parse/expand';
import type { RunInstruction } from '../model/model';
import type { GoCommand } from './gocommand';
import { isGoBinary } from './gocommand';
import { effectiveGoEnv, mountCovers } from './goenv';

/** `rm -r`, `rm -rf`, `rm -fR`, `rm --recursive`. */
function recursiveRm(words: string[]): boolean {
  return words[0] === 'rm' && words.slice(1).some((w) => /^-[a-zA-Z]*[rR]/.test(w) || w === '--recursive');
}

/** The paths a `rm -r` removes, variables expanded from the RUN's environment and the Go environment; a trailing `/*` removes the directory's contents. */
function removedPaths(words: string[], run: RunInstruction, home: string): string[] {
  const lookup = (name: string) => (name === 'HOME' ? home : run.env.get(name)?.value);
  return words.slice(1).filter((w) => !w.startsWith('-'))
    .filter((w) => referencedVariables(w).every((name) => lookup(name) !== undefined))
    .map((w) => expandVariables(w, lookup, '\\').replace(/\/\*$/, '').replace(/(.)\/+$/, '$1'))
    .filter((p) => p.startsWith('/') && !/[*?[]/.test(p))
    .map((p) => posix.normalize(p));
}

/** Which of Go's caches the RUN deletes after the Go command runs. */
export function goCachesDeletedAfter(run: RunInstruction, go: GoCommand): { GOCACHE: boolean; GOMODCACHE: boolean } {
  const env = effectiveGoEnv(run, go);
  const deleted = { GOCACHE: false, GOMODCACHE: false };
  const index = run.commands.indexOf(go.command);
  if (index < 0) return deleted;
  for (const command of run.commands.slice(index + 1)) {
    const words = command.words.map((w) => w.value);
    if (recursiveRm(words)) {
      for (const path of removedPaths(words, run, env.HOME.value)) {
        if (mountCovers(path, env.GOCACHE.value)) deleted.GOCACHE = true;
        if (mountCovers(path, env.GOMODCACHE.value)) deleted.GOMODCACHE = true;
      }
    } else if (isGoBinary(words[0] ?? '') && words[1] === 'clean') {
      if (words.includes('-cache')) deleted.GOCACHE = true;
      if (words.includes('-modcache')) deleted.GOMODCACHE = true;
    }
  }
  return deleted;
}
