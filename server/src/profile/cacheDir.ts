// Where profiled builds keep their manifests. Apart from manifest.ts so that `profile` knows it
// without loading the analysis core before docker has started.
import * as os from 'node:os';
import * as path from 'node:path';

/** `$XDG_CACHE_HOME/go-dockerfile-cache`, else `~/.cache/go-dockerfile-cache`. */
export function defaultManifestDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'go-dockerfile-cache');
}
