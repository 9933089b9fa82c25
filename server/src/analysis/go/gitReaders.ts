// The other Dockerfiles of a build context whose builds read git from the `.git` a whole-context
// COPY brings: adding `.git` to the context's .dockerignore, which they read too, would take
// their version stamps away. GD013's fix then gives the Dockerfile an ignore file of its own.
import { isCopy, parseDockerfile } from '../model/model';
import { CONTEXT_IGNORE_FILE, type BuildContext } from '../model/context';
import { WHOLE_CONTEXT_SOURCES } from '../model/sources';
import { gitReadAfter, gitRepositoryNeededAfter } from './readsgit';

/** `Dockerfile`, `Dockerfile.dev`, `build.Dockerfile`, `Containerfile`: not their ignore files. */
const DOCKERFILE_NAME = /(^|\/)((Dockerfile|Containerfile)(\.[^/]+)?|[^/]+\.[Dd]ockerfile)$/;
/** Folders whose Dockerfiles are not the project's own builds. */
const SKIPPED = /(^|\/)(vendor|testdata|node_modules|third_party)\//;
const MAX_FILES = 20_000;
const MAX_DOCKERFILES = 100;
const MAX_LENGTH = 512 * 1024;

/** Per listing of the context (an editor's stays the same object until a watched file changes). */
const found = new WeakMap<readonly string[], Map<string, string[]>>();

function readsGit(context: BuildContext, file: string): boolean {
  const text = context.readText(file);
  if (text === undefined || text.length > MAX_LENGTH) return false;
  const model = parseDockerfile(text, context, undefined, file);
  if (model.dockerignore.path !== CONTEXT_IGNORE_FILE) return false;
  return model.instructions.filter(isCopy).some((copy) => !copy.from
    && copy.sources.some((s) => WHOLE_CONTEXT_SOURCES.has(s.value.trim()))
    && (gitReadAfter(model, copy) !== undefined || gitRepositoryNeededAfter(model, copy) !== undefined));
}

/**
 * The Dockerfiles of the context other than `dockerfile` that read the context's .dockerignore
 * and whose builds read git from the context they copy, taking them as built from this context.
 */
export function otherDockerfilesReadingGit(context: BuildContext, dockerfile: string): string[] {
  const files = context.listFiles('.', MAX_FILES);
  let byDockerfile = found.get(files);
  if (!byDockerfile) found.set(files, (byDockerfile = new Map()));
  let readers = byDockerfile.get(dockerfile);
  if (!readers) {
    const candidates = files.filter((f) => f !== dockerfile && DOCKERFILE_NAME.test(f) && !SKIPPED.test(f)).slice(0, MAX_DOCKERFILES);
    readers = candidates.filter((f) => readsGit(context, f));
    byDockerfile.set(dockerfile, readers);
  }
  return readers;
}
