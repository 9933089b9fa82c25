// Which source file a measure run changes between rebuilds: by default the first .go file of the
// main package the Dockerfile builds, the file a developer is most likely to touch.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DockerfileModel } from '../analysis/model/model';
import { parseDockerIgnore } from '../analysis/model/context';

const SKIPPED = new Set(['vendor', 'testdata', 'node_modules', '.git']);
const MAX_FILES = 20_000;

/** Context-relative directories holding a `package main` .go file (not tests), shallowest first. */
function mainPackageDirs(context: string, dockerignoreText: string | undefined): Map<string, string> {
  const ignore = parseDockerIgnore(dockerignoreText);
  const found = new Map<string, string>();
  let seen = 0;
  const queue = [''];
  while (queue.length > 0 && seen < MAX_FILES) {
    const rel = queue.shift()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(context, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (ignore.ignores(child)) continue;
      seen++;
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name) && !entry.name.startsWith('.')) queue.push(child);
      } else if (entry.isFile() && entry.name.endsWith('.go') && !entry.name.endsWith('_test.go') && !found.has(rel || '.')) {
        const head = fs.readFileSync(path.join(context, child), 'utf8').slice(0, 4096);
        if (/^\s*package\s+main\b/m.test(head)) found.set(rel || '.', child);
      }
    }
  }
  return found;
}

/** The text of every `go build` and `go install` in the Dockerfile, where package paths are named. */
function buildCommandText(model: DockerfileModel): string {
  return model.runs
    .flatMap((run) => run.go.filter((g) => g.subcommand === 'build' || g.subcommand === 'install').map((g) => model.document.getText(g.range)))
    .join('\n');
}

/**
 * The context-relative path of the file to change, or undefined when the context has no main
 * package. A main package whose directory a `go build` names (`./cmd/server`) wins; otherwise the
 * shallowest one.
 */
export function defaultChangeFile(model: DockerfileModel, context: string, dockerignoreText: string | undefined): string | undefined {
  const dirs = mainPackageDirs(context, dockerignoreText);
  const built = buildCommandText(model);
  const named = [...dirs.keys()].filter((dir) => dir !== '.' && new RegExp(`(^|[\\s./])${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|\\s|$)`, 'm').test(built));
  const dir = named[0] ?? [...dirs.keys()][0];
  return dir === undefined ? undefined : dirs.get(dir);
}
