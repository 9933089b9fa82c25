// Dockerfiles a Go program of the repository builds through Docker's API, as integration tests do
// with ory/dockertest or fsouza/go-dockerclient: those libraries call the Engine API's build
// without BuildKit, so the classic builder runs the file. It rejects `RUN --mount` and builds for
// the daemon's platform only, which changes what advice can hold for that Dockerfile.
import * as posix from 'node:path/posix';
import { buildFromStrings, type FoundBuild } from './found';
import type { WorkspaceFiles } from './types';

/** Libraries that build images through the Engine API's classic builder. */
const CLASSIC_BUILD_LIBRARIES = /"github\.com\/(?:ory\/dockertest(?:\/v\d+)?|fsouza\/go-dockerclient)(?:\/[^"]*)?"/;
/** Folders no test program lives in (or whose copies of other code say nothing of this repository). */
const SKIPPED = new Set(['vendor', 'node_modules', '.git', 'testdata', 'third_party', 'web', 'ui', 'docs']);
/** Beyond this many folders or Go files, the rest of the tree is not read. */
const MAX_FOLDERS = 2000;
const MAX_GO_FILES = 4000;

/**
 * The Go files that import a classic-build library and name `dockerfile`'s file name in a string
 * literal (`Dockerfile: "Dockerfile.integration"`), as builds of it. A plain `Dockerfile` names no
 * file in particular and is not matched.
 */
export function goProgramBuilds(workspace: WorkspaceFiles, dockerfile: string): FoundBuild[] {
  const name = posix.basename(dockerfile);
  if (name === 'Dockerfile') return [];
  const literal = `"${name}"`;
  const out: FoundBuild[] = [];
  const queue = ['.'];
  let folders = 0;
  let files = 0;
  while (queue.length > 0 && folders++ < MAX_FOLDERS && files < MAX_GO_FILES) {
    const dir = queue.shift()!;
    for (const sub of workspace.foldersIn(dir)) if (!SKIPPED.has(sub) && !sub.startsWith('.')) queue.push(dir === '.' ? sub : `${dir}/${sub}`);
    for (const file of workspace.filesIn(dir).filter((f) => f.endsWith('.go'))) {
      files++;
      const path = dir === '.' ? file : `${dir}/${file}`;
      const text = workspace.readText(path);
      if (!text?.includes(literal) || !CLASSIC_BUILD_LIBRARIES.test(text)) continue;
      const line = text.slice(0, text.indexOf(literal)).split('\n').length;
      out.push({ ...buildFromStrings('script', path, line, dockerfile, [], []), local: true, classic: true });
    }
  }
  return out;
}
