// A build a CI file runs, before it is matched against the Dockerfile being analysed.
import * as posix from 'node:path/posix';
import { bakeBuild, bakeTargets, readBakeFiles } from './bake';
import { dockerInvocations, parseCacheExport } from './buildCommand';
import type { CacheExport, CiBuild, CiSystem, WorkspaceFiles } from './types';

export interface FoundBuild extends CiBuild {
  /** The Dockerfile it builds, relative to the repository root; undefined when only known at run time. */
  dockerfile?: string;
}

/** The folders from the Dockerfile's up to the repository root, nearest first. */
export function foldersUp(dockerfile: string): string[] {
  const dirs: string[] = [];
  for (let dir = posix.dirname(dockerfile); ; dir = posix.dirname(dir)) {
    dirs.push(dir);
    if (dir === '.' || dir === '/' || dir === '') return dirs;
  }
}

export function buildFromStrings(
  system: CiSystem, file: string, line: number, dockerfile: string | undefined,
  cacheTo: readonly string[], cacheFrom: readonly string[], cacheToUnknown = false, platforms: readonly string[] = [],
): FoundBuild {
  const exports = cacheTo.map(parseCacheExport);
  return {
    system,
    file,
    line,
    dockerfile,
    platforms: platforms.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean),
    cacheTo: exports.filter((e): e is CacheExport => e !== undefined),
    cacheToUnknown: cacheToUnknown || exports.some((e) => e === undefined),
    cacheFrom: [...cacheFrom],
    restoresCacheMounts: false,
    selfHosted: false,
  };
}

/** The builds a bake run makes: its targets, each with its Dockerfile and cache exports. */
export function bakeRunBuilds(
  workspace: WorkspaceFiles, system: CiSystem, file: string, line: number,
  bakeFiles: readonly string[], targets: readonly string[], sets: readonly string[],
): FoundBuild[] {
  const definition = readBakeFiles(workspace, bakeFiles);
  return bakeTargets(definition, targets).map((target) => {
    const build = bakeBuild(definition, target, sets);
    return buildFromStrings(system, file, line, build.dockerfile, build.cacheTo, [], build.cacheToUnknown, build.platforms);
  });
}

/**
 * The builds one piece of shell text runs (a `run:` step, a script line, a recipe), and those of
 * the scripts it calls, each placed where its docker command is written.
 */
export function shellBuilds(workspace: WorkspaceFiles, system: CiSystem, file: string, text: string, workdir: string, lineOf: (valueLine: number) => number): FoundBuild[] {
  return dockerInvocations(text, workdir, { read: (path) => workspace.readText(path) }).flatMap((invocation) => {
    // A script's lines are its own, one-based like every line shown.
    const [where, line] = invocation.script ? [invocation.script.file, invocation.script.line + 1] : [file, lineOf(invocation.line)];
    return invocation.kind === 'build'
      ? [{ ...buildFromStrings(system, where, line, invocation.dockerfile, invocation.cacheTo, invocation.cacheFrom, false, invocation.platforms), context: invocation.context, noCache: invocation.noCache }]
      : bakeRunBuilds(workspace, system, where, line, invocation.files, invocation.targets, invocation.sets);
  });
}
