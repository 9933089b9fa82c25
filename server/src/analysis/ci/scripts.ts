// Makefiles and shell scripts that build the image for CI: a `docker buildx build` with
// `--cache-to` there exports a cache, which only makes sense where the builder starts empty.
// Makefiles are also read for how developers build the image (`make image`): their flags say
// whether any layer can be reused at all (`--no-cache`).
import { readMakefile, recipeOf } from '../parse/makefile';
import { foldersUp, shellBuilds, type FoundBuild } from './found';
import type { WorkspaceFiles } from './types';

/** Folders where repositories keep their build scripts. */
const SCRIPT_DIRS = ['.', 'scripts', 'script', 'hack', 'build', 'ci', '.ci', '.github', 'tools'];

function isMakefile(name: string): boolean {
  return name === 'Makefile' || name === 'makefile' || name === 'GNUmakefile' || name.endsWith('.mk');
}

/** A Makefile's recipe lines (tab-indented), continuation lines joined, with their one-based line. */
function recipes(text: string): { line: number; text: string }[] {
  const lines = text.split(/\r?\n/);
  const out: { line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('\t')) continue;
    const first = i;
    const parts = [lines[i].slice(1)];
    while (parts[parts.length - 1].endsWith('\\') && i + 1 < lines.length) parts.push(lines[++i].replace(/^\t/, ''));
    // `@`, `-` and `+` are make's prefixes, not the shell's.
    out.push({ line: first + 1, text: parts.join('\n').replace(/^[@+-]+/, '') });
  }
  return out;
}

export function scriptBuilds(workspace: WorkspaceFiles): FoundBuild[] {
  const out: FoundBuild[] = [];
  for (const dir of SCRIPT_DIRS) {
    for (const name of workspace.filesIn(dir)) {
      const file = dir === '.' ? name : `${dir}/${name}`;
      if (!isMakefile(name) && !name.endsWith('.sh')) continue;
      const text = workspace.readText(file);
      if (text === undefined) continue;
      const pieces = isMakefile(name) ? recipes(text) : [{ line: 1, text }];
      for (const piece of pieces) {
        // Only a build that exports a cache says it runs where the builder starts empty.
        out.push(...shellBuilds(workspace, 'script', file, piece.text, '.', (l) => piece.line + l).filter((b) => b.cacheTo.length > 0 || b.cacheToUnknown));
      }
    }
  }
  return out;
}

/** The folders a Makefile that builds `dockerfile` sits in: the Dockerfile's, those above it, and the script folders. */
function makefileDirs(dockerfile: string): string[] {
  return [...new Set([...foldersUp(dockerfile), ...SCRIPT_DIRS])];
}

/**
 * The builds Makefile targets run, whatever they export, read as make runs them: variables
 * expanded, prerequisites first, in the Makefile's folder (`make -C dir`, or make run there).
 */
export function makefileBuilds(workspace: WorkspaceFiles, dockerfile: string): FoundBuild[] {
  const out = new Map<string, FoundBuild>();
  for (const dir of makefileDirs(dockerfile)) {
    for (const name of workspace.filesIn(dir).filter(isMakefile)) {
      const file = dir === '.' ? name : `${dir}/${name}`;
      const text = workspace.readText(file);
      if (text === undefined) continue;
      const makefile = readMakefile(text);
      for (const target of makefile.rules.keys()) {
        for (const line of recipeOf(makefile, target, new Map([['CURDIR', '.']])) ?? []) {
          for (const build of shellBuilds(workspace, 'script', file, line.text, dir, (l) => line.line + 1 + l)) {
            out.set(`${build.file}:${build.line}:${build.dockerfile}`, { ...build, local: true });
          }
        }
      }
    }
  }
  return [...out.values()];
}
