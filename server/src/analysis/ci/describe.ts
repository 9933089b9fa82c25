// Where a Dockerfile is built, in words: the hover, the profile summary and rule messages share it.
import { ciLocation, mainCacheExport, type BuildSite, type CiBuild } from './types';

/** Whether BuildKit's cache mounts start empty on each build at this site. */
export function cacheMountsStartEmpty(site: BuildSite | undefined): boolean {
  return site?.where === 'ci' && !site.ci?.restoresCacheMounts && !site.ci?.selfHosted;
}

/** "CI by .github/workflows/image.yml:27 (cache-to type=gha,mode=max)", or what is known of it. */
export function ciSiteWords(site: BuildSite): string {
  return site.ci ? `CI by ${ciLocation(site.ci)} (${cacheExportWords(site.ci)})` : site.source === 'ci-variable' ? 'CI (CI=true)' : 'CI';
}

export function cacheExportWords(build: CiBuild): string {
  const main = mainCacheExport(build);
  if (main) return `cache-to ${main.text}`;
  return build.cacheToUnknown ? 'cache-to known only when it runs' : 'exports no cache';
}

/** How a GitHub Actions workflow keeps a cache mount between runs, in the words every message and hover use. */
export const GITHUB_MOUNT_RESTORE = 'an actions cache injected into the mount before the build and saved after it (reproducible-containers/buildkit-cache-dance)';

/** "Built in CI by .github/workflows/image.yml:31 (cache-to type=gha,mode=max): cache mounts start empty there". */
export function describeBuildSite(site: BuildSite | undefined): string {
  if (!site) return 'Where this Dockerfile is built is unknown: the advice assumes a local builder, whose cache mounts persist between builds.';
  if (site.where === 'local') {
    return site.source === 'setting'
      ? 'Built locally (set to local): cache mounts persist between builds on the same builder.'
      : 'Built locally: no CI file of this repository builds it, so cache mounts persist between builds on the same builder.';
  }
  const mounts = site.ci?.restoresCacheMounts
    ? 'cache mounts are restored there from the CI cache before the build'
    : site.ci?.selfHosted
      ? 'on a self-hosted runner cache mounts last as long as its builder'
      : 'cache mounts start empty there';
  const by = site.ci ? ` by ${ciLocation(site.ci)} (${cacheExportWords(site.ci)})` : site.source === 'ci-variable' ? ' (CI=true)' : ' (set to ci)';
  const restore = site.ci?.system === 'github-actions' && cacheMountsStartEmpty(site)
    ? ` To keep a cache mount between runs, the workflow must restore it: ${GITHUB_MOUNT_RESTORE}.`
    : '';
  return `Built in CI${by}: ${mounts}; only layers come back, through the exported cache.${restore}`;
}
