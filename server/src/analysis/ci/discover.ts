// Finds the CI steps that build a Dockerfile, and decides where the analysis takes it to be built.
import * as posix from 'node:path/posix';
import { bakeBuild, readBakeFiles } from './bake';
import { composeBuilds } from './compose';
import { buildFromStrings, type FoundBuild } from './found';
import { githubActionsBuilds } from './githubActions';
import { gitlabBuilds } from './gitlab';
import { goProgramBuilds } from './goPrograms';
import { makefileBuilds, scriptBuilds } from './scripts';
import type { BuildSite, BuildsInSetting, CiBuild, WorkspaceFiles } from './types';

/** Bake targets that export a cache: a bake file written for CI, whoever runs it. */
function bakeFileBuilds(workspace: WorkspaceFiles): FoundBuild[] {
  const definition = readBakeFiles(workspace);
  return [...definition.targets.values()]
    .map((target) => bakeBuild(definition, target))
    .filter((b) => b.cacheTo.length > 0 || b.cacheToUnknown)
    .map((b) => buildFromStrings('bake', b.file, b.line, b.dockerfile, b.cacheTo, [], b.cacheToUnknown));
}

/** What the next CI run gets back decides the advice: a build exporting mode=max first, then any export. */
function rank(build: CiBuild): number {
  if (build.cacheTo.some((c) => c.mode === 'max')) return 0;
  return build.cacheTo.length > 0 || build.cacheToUnknown ? 1 : 2;
}

/** The builds among `found` that build `dockerfile` from files the analysis sees. */
function buildsOf(workspace: WorkspaceFiles, dockerfile: string, found: readonly FoundBuild[]): CiBuild[] {
  const wanted = posix.normalize(dockerfile);
  return found
    .filter((b) => b.dockerfile !== undefined && posix.normalize(b.dockerfile) === wanted)
    // A context folder the repository does not hold is made by the CI run (prebuilt binaries moved
    // into it, say): that build reads files the analysis cannot see, so it does not speak for this one.
    .filter((b) => b.context === undefined || wanted.startsWith(`${b.context}/`) || workspace.hasFolder(b.context))
    .map(({ dockerfile: _dockerfile, ...build }) => build);
}

/** What `sources` find; one unreadable file must not hide what the others say. */
function collect(workspace: WorkspaceFiles, sources: ((workspace: WorkspaceFiles) => FoundBuild[])[]): FoundBuild[] {
  return sources.flatMap((source) => {
    try {
      return source(workspace);
    } catch {
      return [];
    }
  });
}

/** The CI steps of the repository that build `dockerfile` (relative to the repository root). */
export function discoverCiBuilds(workspace: WorkspaceFiles, dockerfile: string): CiBuild[] {
  return buildsOf(workspace, dockerfile, collect(workspace, [githubActionsBuilds, gitlabBuilds, bakeFileBuilds, scriptBuilds]))
    .sort((a, b) => rank(a) - rank(b));
}

/**
 * Every build of `dockerfile` the repository runs: its CI steps (best first), then the builds its
 * Makefiles, compose files and Go test programs run, marked local (how it is built, not where).
 */
export function discoverBuilds(workspace: WorkspaceFiles, dockerfile: string): CiBuild[] {
  const local = collect(workspace, [(w) => makefileBuilds(w, dockerfile), (w) => composeBuilds(w, dockerfile), (w) => goProgramBuilds(w, dockerfile)]);
  return [...discoverCiBuilds(workspace, dockerfile), ...buildsOf(workspace, dockerfile, local)];
}

/**
 * The build context the repository's builds of the Dockerfile use: the folder of the first build
 * that names one (CI steps first), when every build that names one names the same; undefined when
 * none does or they disagree (then no one context is how the file is built).
 */
export function contextOfBuilds(builds: readonly CiBuild[]): CiBuild | undefined {
  const named = builds.filter((b) => b.context !== undefined);
  return named.length > 0 && named.every((b) => b.context === named[0].context) ? named[0] : undefined;
}

/** A build for two or more architectures in a job that sets up QEMU: all but the runner's run emulated. */
function emulatesArchitectures(build: CiBuild): boolean {
  const architectures = new Set((build.platforms ?? []).map((p) => p.split('/').slice(0, 2).join('/')));
  return build.emulates === true && architectures.size >= 2 && ![...architectures].some((a) => a.includes('$') || a.includes('{'));
}

/**
 * Where the Dockerfile is built: the setting when it says local or ci; for auto, CI when a CI file
 * builds it (builds marked local say how it is built, not where), or when the CI variable says the
 * tool itself runs in CI (the CLI passes it).
 */
export function resolveBuildSite(setting: BuildsInSetting, found: readonly CiBuild[], ciVariable?: string): BuildSite {
  // Every build the repository runs passes --no-cache: no layer is ever reused, wherever it runs.
  // A build by the classic builder is how the file is built too, wherever else it is.
  const classic = found.find((b) => b.classic);
  const how = { ...(found.length > 0 && found.every((b) => b.noCache) && { noCache: found[0] }), ...(classic && { classicBuilder: classic }) };
  if (setting === 'local') return { where: 'local', source: 'setting', ...how };
  const builds = found.filter((b) => !b.local);
  const emulated = builds.find(emulatesArchitectures);
  if (setting === 'ci') return { where: 'ci', source: 'setting', ci: builds[0], ...(emulated && { emulated }), ...how };
  if (builds.length > 0) return { where: 'ci', source: 'ci-files', ci: builds[0], ...(emulated && { emulated }), ...how };
  if (ciVariable === 'true' || ciVariable === '1') return { where: 'ci', source: 'ci-variable', ...how };
  return { where: 'local', source: 'no-ci-files', ...how };
}

export function isBuildsInSetting(value: unknown): value is BuildsInSetting {
  return value === 'auto' || value === 'local' || value === 'ci';
}
