// Compose files that build the Dockerfile (`build: ./dir`, or `build:` with `context`,
// `dockerfile` and `no_cache`): `docker compose up --build` is how many teams build an image on
// their machines. Such a build says how the image is built (its flags), not where: it is a local
// build, like a Makefile's.
import { repositoryPath } from './buildCommand';
import { buildFromStrings, foldersUp, type FoundBuild } from './found';
import type { WorkspaceFiles } from './types';
import { lineOfNode, pairsOf, parseYaml, stringOf, valueOf } from './yamlNodes';

/** `compose.yaml`, `docker-compose.yml`, and their variants and overrides (`compose.prod.yaml`). */
const COMPOSE_FILE = /^(docker-)?compose(\.[\w-]+)*\.ya?ml$/;

/** The build of one service, or undefined when it builds nothing or its paths are only known at run time. */
function serviceBuild(file: string, dir: string, build: unknown, line: number): FoundBuild | undefined {
  const short = stringOf(build);
  const written = short ?? stringOf(valueOf(build, 'context')) ?? '.';
  // A context given by URL (a git repository) or a variable is not this repository's folder.
  const context = repositoryPath(dir, written);
  if (context === undefined || valueOf(build, 'dockerfile_inline') !== undefined) return undefined;
  const dockerfileWritten = short === undefined ? stringOf(valueOf(build, 'dockerfile')) ?? 'Dockerfile' : 'Dockerfile';
  const dockerfile = repositoryPath(context, dockerfileWritten);
  if (dockerfile === undefined) return undefined;
  const noCache = short === undefined && stringOf(valueOf(build, 'no_cache')) === 'true';
  return { ...buildFromStrings('compose', file, line, dockerfile, [], []), context, noCache, ...(noCache && { noCacheSetting: 'no_cache: true' }), local: true };
}

/** The builds of `dockerfile` the compose files beside it and in the folders above it declare. */
export function composeBuilds(workspace: WorkspaceFiles, dockerfile: string): FoundBuild[] {
  const out: FoundBuild[] = [];
  for (const dir of foldersUp(dockerfile)) {
    for (const name of workspace.filesIn(dir).filter((n) => COMPOSE_FILE.test(n))) {
      const file = dir === '.' ? name : `${dir}/${name}`;
      const text = workspace.readText(file);
      const yaml = text === undefined ? undefined : parseYaml(text);
      if (!yaml) continue;
      for (const service of pairsOf(valueOf(yaml.root, 'services'))) {
        const build = valueOf(service.value, 'build');
        const found = build === undefined || build === null ? undefined : serviceBuild(file, dir, build, lineOfNode(yaml, build));
        if (found) out.push(found);
      }
    }
  }
  return out;
}
