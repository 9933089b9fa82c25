// What the packages a `go build` compiles import, read from their files in the build context.
// With module graph pruning (a go.mod at `go 1.17` or later), the go command loads a required
// module only for a package that imports from it: a program that imports nothing but the
// standard library and its own module's packages builds without downloading any module, and
// without go.sum, whatever go.mod requires (checked with Go 1.26: no module cache is created).
import * as posix from 'node:path/posix';
import type { BuildContext } from '../model/context';
import { perObjectAnd } from '../model/memo';
import { compareGoVersions, type ModuleFacts } from './gomod';

/** Beyond this many files read, or listed under one package's directory, the answer is "may import a module". */
const MAX_FILES = 400;
const MAX_LISTED = 5000;

/** The import block of a Go file: everything before its first top-level declaration. */
function header(source: string): string {
  // Block comments first: one may hold a line that reads like a declaration.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, ' ');
  const declaration = /^(?:func|type|var|const)\b/m.exec(code);
  return (declaration ? code.slice(0, declaration.index) : code).replace(/\/\/[^\n]*/g, ' ');
}

/** The import paths of a Go file's source. */
export function importPaths(source: string): string[] {
  const head = header(source);
  const paths: string[] = [];
  for (const block of head.matchAll(/\bimport\s*\(([^)]*)\)/g)) {
    for (const spec of block[1].matchAll(/(?:^|[\s;])(?:[A-Za-z_]\w*\s+|[._]\s+)?["`]([^"`]+)["`]/g)) paths.push(spec[1]);
  }
  for (const single of head.matchAll(/\bimport\s+(?:[A-Za-z_]\w*\s+|[._]\s+)?["`]([^"`]+)["`]/g)) paths.push(single[1]);
  return paths;
}

/** A standard library package: its first path element has no dot (`net/http`, not `golang.org/x/…`); `C` is cgo. */
function isStandard(path: string): boolean {
  return !path.split('/')[0].includes('.');
}

/**
 * Whether the packages in `dirs` (context paths inside the module) and the module's packages they
 * import, transitively, import nothing but the standard library: then building them downloads no
 * module. False when a file cannot be read, or there are too many to read.
 */
const importsOnlyStandard = perObjectAnd((context: BuildContext, key: string): boolean => {
  const [moduleDir, modulePath, ...dirs] = key.split('\0');
  const queue = [...dirs];
  const seen = new Set<string>();
  let files = 0;
  while (queue.length > 0) {
    const dir = queue.shift()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    // The listing is recursive: one that reaches its limit may have left out files of `dir` itself.
    const listed = context.listFiles(dir, MAX_LISTED);
    if (listed.length >= MAX_LISTED) return false;
    const sources = listed.filter((f) => posix.dirname(f) === dir && f.endsWith('.go') && !f.endsWith('_test.go'));
    if (sources.length === 0) return false;
    for (const file of sources) {
      if (++files > MAX_FILES) return false;
      const text = context.readText(file);
      if (text === undefined) return false;
      for (const path of importPaths(text)) {
        if (path === modulePath || path.startsWith(`${modulePath}/`)) {
          const rel = path.slice(modulePath.length + 1);
          queue.push(rel === '' ? moduleDir : posix.join(moduleDir, rel));
        } else if (!isStandard(path)) return false;
      }
    }
  }
  return true;
});

/**
 * Whether compiling the packages at `packageDirs` (context paths) of `module` downloads no module:
 * its go.mod prunes the module graph (`go 1.17` or later) and those packages import only the
 * standard library and the module's own packages.
 */
export function buildsFromStandardLibraryOnly(context: BuildContext, module: ModuleFacts, packageDirs: readonly string[]): boolean {
  const modulePath = module.goMod.module;
  if (!modulePath || !module.goMod.go || (compareGoVersions(module.goMod.go, '1.17') ?? -1) < 0 || packageDirs.length === 0) return false;
  return importsOnlyStandard(context, [module.dir, modulePath, ...packageDirs].join('\0'));
}
