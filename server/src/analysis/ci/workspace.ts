// The repository around a Dockerfile, on disk or in memory: CI discovery reads it through
// WorkspaceFiles only, so the CLI, the language server and the tests share one code path.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeContextPath } from '../model/context';
import { loadShellParser } from '../parse/bashGrammar';
import { contextOfBuilds, discoverBuilds, resolveBuildSite } from './discover';
import { ciLocation, type BuildSite, type BuildsInSetting, type CiBuild, type WorkspaceFiles } from './types';

/** Files CI discovery reads are small; a larger one is not a CI file worth reading. */
const MAX_FILE_BYTES = 1024 * 1024;

export function diskWorkspace(root: string): WorkspaceFiles {
  const abs = (p: string) => path.join(root, normalizeContextPath(p));
  /** The names of a folder's entries of one kind, sorted; none when it cannot be read. */
  const namesIn = (dir: string, kind: (entry: fs.Dirent) => boolean) => {
    try {
      return fs.readdirSync(abs(dir), { withFileTypes: true }).filter(kind).map((e) => e.name).sort();
    } catch {
      return [];
    }
  };
  return {
    root,
    readText: (p) => {
      try {
        const stat = fs.statSync(abs(p), { throwIfNoEntry: false });
        if (!stat?.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
        return fs.readFileSync(abs(p), 'utf8');
      } catch {
        return undefined;
      }
    },
    filesIn: (dir) => namesIn(dir, (e) => e.isFile()),
    hasFolder: (dir) => {
      try {
        return fs.statSync(abs(dir), { throwIfNoEntry: false })?.isDirectory() === true;
      } catch {
        return false;
      }
    },
    foldersIn: (dir) => namesIn(dir, (e) => e.isDirectory()),
  };
}

/** An in-memory repository: path → content. */
export function memoryWorkspace(files: Record<string, string>, root = '/workspace'): WorkspaceFiles {
  const byPath = new Map(Object.entries(files).map(([p, text]) => [normalizeContextPath(p), text]));
  /** The paths under a folder, relative to it. */
  const under = (dir: string) => {
    const base = normalizeContextPath(dir);
    return [...byPath.keys()].flatMap((p) => (base === '.' ? [p] : p.startsWith(`${base}/`) ? [p.slice(base.length + 1)] : []));
  };
  return {
    root,
    readText: (p) => byPath.get(normalizeContextPath(p)),
    filesIn: (dir) => under(dir).filter((p) => !p.includes('/')).sort(),
    hasFolder: (dir) => normalizeContextPath(dir) === '.' || under(dir).length > 0,
    foldersIn: (dir) => [...new Set(under(dir).filter((p) => p.includes('/')).map((p) => p.split('/')[0]))].sort(),
  };
}

const CI_MARKERS = ['.github/workflows', '.gitlab-ci.yml', 'docker-bake.hcl', 'docker-bake.json'];

/**
 * The repository a Dockerfile belongs to: the nearest folder above it holding `.git`; without one,
 * the nearest holding a CI file; without either, the Dockerfile's own folder.
 */
export function findRepositoryRoot(dockerfilePath: string): string {
  const start = path.dirname(path.resolve(dockerfilePath));
  let withCi: string | undefined;
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (!withCi && CI_MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) withCi = dir;
    if (path.dirname(dir) === dir) return withCi ?? start;
  }
}

/** The Dockerfile's path relative to the repository root, forward slashes. */
export function relativeDockerfile(root: string, dockerfilePath: string): string {
  return path.relative(root, path.resolve(dockerfilePath)).split(path.sep).join('/');
}

/** The CI steps that build a Dockerfile on disk, read from its repository's CI files, then the builds its Makefiles run (local). */
export function ciBuildsOnDisk(dockerfilePath: string): CiBuild[] {
  const root = findRepositoryRoot(dockerfilePath);
  return discoverBuilds(diskWorkspace(root), relativeDockerfile(root, dockerfilePath));
}

/** ciBuildsOnDisk for a command that has not loaded the shell parser: scripts and Makefile recipes are read with it. */
export async function readBuildsOnDisk(dockerfilePath: string): Promise<CiBuild[]> {
  await loadShellParser();
  return ciBuildsOnDisk(dockerfilePath);
}

/**
 * The build context folder `builds` (ciBuildsOnDisk's, for the Dockerfile) agree on, absolute, with
 * the build that says so; undefined when no build names one, they disagree, or it is not there.
 */
function buildContextOnDisk(dockerfilePath: string, builds: readonly CiBuild[]): { dir: string; build: CiBuild } | undefined {
  const root = findRepositoryRoot(dockerfilePath);
  const build = contextOfBuilds(builds);
  const dir = build?.context === undefined ? undefined : path.join(root, build.context);
  return build && dir && fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? { dir, build } : undefined;
}

/**
 * The build context of a Dockerfile on disk when the user named none: the folder the repository's
 * builds of it agree on (with the build that says so), else the Dockerfile's own folder, as
 * `docker build -f` users write it. Every command that reads or builds the file starts from it.
 */
export function defaultContextOnDisk(dockerfilePath: string, builds: readonly CiBuild[]): { dir: string; build?: CiBuild } {
  return buildContextOnDisk(dockerfilePath, builds) ?? { dir: path.dirname(path.resolve(dockerfilePath)) };
}

/**
 * What to tell the user when the default context is not the Dockerfile's folder: `doing` is what
 * the command does with it ("analysed with"); undefined when it is that folder.
 */
export function defaultContextNote(dockerfilePath: string, found: { dir: string; build?: CiBuild }, doing: string): string | undefined {
  if (!found.build || path.resolve(found.dir) === path.dirname(path.resolve(dockerfilePath))) return undefined;
  return `${dockerfilePath}: ${doing} the build context ${found.dir}, as ${ciLocation(found.build)} builds it (--context to choose another)`;
}

/**
 * For a command run without --context (profile, measure, history): the repository's builds of the
 * Dockerfile, the default context they give, and the note that says so when it is not the
 * Dockerfile's folder (`doing`: what the command does with it, "built with").
 */
export async function chooseContextOnDisk(dockerfilePath: string, doing: string): Promise<{ dir: string; builds: CiBuild[]; note?: string }> {
  const builds = await readBuildsOnDisk(dockerfilePath);
  const chosen = defaultContextOnDisk(dockerfilePath, builds);
  return { dir: chosen.dir, builds, note: defaultContextNote(dockerfilePath, chosen, doing) };
}

/** Where a Dockerfile on disk is built, for a setting; `ciVariable` is the CI environment variable, when the caller honours it. */
export function buildSiteOnDisk(dockerfilePath: string, setting: BuildsInSetting, ciVariable?: string, builds?: readonly CiBuild[]): BuildSite {
  return resolveBuildSite(setting, setting === 'local' ? [] : builds ?? ciBuildsOnDisk(dockerfilePath), ciVariable);
}
