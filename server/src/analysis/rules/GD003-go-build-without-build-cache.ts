import { compiles, runsConditionally, servedByModuleCacheMount } from '../go/gocommand';
import { effectiveGoEnv, mountCovers } from '../go/goenv';
import { isModuleDownload, layerDownloadBefore, mountOnGoCache, stageHasMisdirectedGoMount } from '../go/gofacts';
import { cacheMountFlagFor, staysInLayer } from '../cache/cachemounts';
import { seedsCacheBefore } from '../cache/cacheonly';
import { addRunFlag, mountOwnerSuffix, safeMountTarget } from '../fixing/edits';
import { isRun } from '../model/model';
import { buildCacheDefeat } from '../go/cachedefeat';
import { goOlderThan } from '../go/goversion';
import { goCachesDeletedAfter } from '../go/cachedeleted';
import { downloadsModules, goModFromBaseImage, sourceBeforeDownload } from '../go/modulemode';
import { assumptionWords, bothAssumptions, unknownImageAssumption } from '../go/imageassumptions';
import { dependsOnLinesOnly } from '../model/sources';
import { defineRule } from './api';
import { cacheMountsStartEmpty, GITHUB_MOUNT_RESTORE } from '../ci/describe';
import { ciLocation, type BuildSite } from '../ci/types';

/** On GitHub Actions runners the build cache mount starts empty unless the workflow restores it. */
function ciBuildCacheNote(site: BuildSite | undefined): string {
  if (!cacheMountsStartEmpty(site) || site?.ci?.system !== 'github-actions') return '';
  return ` Built in GitHub Actions (${ciLocation(site.ci)}), the mount starts empty on each runner unless the workflow restores it: ${GITHUB_MOUNT_RESTORE}.`;
}

export default defineRule({
  id: 'GD003',
  name: 'go-build-without-build-cache',
  severity: 'warning',
  summary: 'A Go build runs without a BuildKit cache mount on the directory Go really uses for its build cache, so every rebuild compiles everything from scratch.',
  fixable: true,
  needsBuildKit: true,
  needsCache: true,
  scoped: true,
  check({ model, site, inScope, report }) {
    const inCi = site?.where === 'ci';
    for (const run of model.instructions.filter(isRun)) {
      if (!inScope(run.stage)) continue;
      // Commands that only read modules (`go get`, `go mod vendor`…) need the module cache, not the
      // build cache; `go mod tidy|verify|graph|why`, `go env`, `go version`, `go list -m` neither.
      // The build that always runs names the cost, rather than a `go test` behind `if [ "$RUN_TESTS" = 1 ]`.
      const go = run.go.find((g) => compiles(g) && !runsConditionally(g)) ?? run.go.find(compiles) ?? run.go.find(servedByModuleCacheMount);
      if (!go || !run.stage) continue;
      const env = effectiveGoEnv(run, go);
      // A RUN that deletes its build cache afterwards is written to leave nothing of the build in
      // its layer (a throw-away toolchain): a mount there would make the deletion fail.
      const deleted = goCachesDeletedAfter(run, go);
      if (deleted.GOCACHE) continue;
      // Go before 1.10 has no build cache; `-a` and GOCACHE=off throw it away (GD025): a mount cannot help.
      const missingBuildCache = compiles(go) && !mountOnGoCache(run, go, 'GOCACHE')
        && !goOlderThan(model, run, '1.10', go) && !buildCacheDefeat(model, run, go);
      // Modules already in a layer are there for the build; anywhere else they must come from a mount.
      // Where another stage copies the modules out, or a build writes its binary under the
      // module cache (GOPATH=/go with `-o /go/bin/app`), they belong in this layer.
      // In CI a module-cache mount starts empty: modules come from a download layer (GD001, GD021), not a mount.
      const missingModCache = !inCi && !deleted.GOMODCACHE && !mountOnGoCache(run, go, 'GOMODCACHE')
        && !layerDownloadBefore(run.stage, run) && downloadsModules(model, run, go) && !goModFromBaseImage(model, run, go)
        && !staysInLayer(model, run.stage, env.GOMODCACHE.value)
        // Source copied before the stage's module step is GD001's: its fix downloads the modules
        // first, and a module-cache mount added here first would silence it for a worse layout.
        && !sourceBeforeDownload(site, model, run.stage)
        // A `go mod download` in this RUN is GD004's: its fix mounts the module cache on the
        // download and every later step that reads the modules, which a mount here alone would not.
        && !run.go.some(isModuleDownload);
      if (!missingBuildCache && !missingModCache) continue;
      // A Go cache mount on the wrong directory anywhere in the stage is GD005's finding: its fix
      // may move Go's directories (ENV), so mounts added here first could land in the wrong place.
      if (stageHasMisdirectedGoMount(run.stage, 'GOCACHE') || stageHasMisdirectedGoMount(run.stage, 'GOMODCACHE')) continue;
      // A COPY above that seeds this stage's cache from another stage's cache mount is GD007's
      // finding: its fix mounts that very cache here, which a mount added now would not be.
      if (seedsCacheBefore(model, run, 'GOCACHE') || seedsCacheBefore(model, run, 'GOMODCACHE')) continue;
      const owner = mountOwnerSuffix(run);
      const wanted = [...(missingBuildCache ? [env.GOCACHE.value] : []), ...(missingModCache ? [env.GOMODCACHE.value] : [])];
      // One mount serves both when one cache lives inside the other (GOPATH=GOCACHE=/go-cache).
      const targets = wanted.filter((t) => !wanted.some((u) => u !== t && mountCovers(u, t)));
      // A mount there would hide what a build writes inside it (its binary, or what another
      // stage copies out) from every later step.
      const mountable = targets.filter((t) => safeMountTarget(t) && !staysInLayer(model, run.stage!, t));
      const command = `\`go ${go.subcommand}\``;
      // On a base image the analysis does not know, Go's default directories are only a guess:
      // that image may set GOCACHE, GOPATH, HOME or USER. Said as an assumption, at info.
      const assumed = bothAssumptions(missingBuildCache ? unknownImageAssumption(model, run, go, 'GOCACHE') : undefined,
        missingModCache ? unknownImageAssumption(model, run, go, 'GOMODCACHE') : undefined);
      const message = assumed
        ? `${command} runs without a cache mount on Go's default ${missingBuildCache ? `GOCACHE (${env.GOCACHE.value})` : ''}${missingBuildCache && missingModCache ? ' and ' : ''}${missingModCache ? `GOMODCACHE (${env.GOMODCACHE.value})` : ''}, ${assumptionWords(assumed)} (\`go env${missingBuildCache ? ' GOCACHE' : ''}${missingModCache ? ' GOMODCACHE' : ''}\` in that image shows ${missingBuildCache && missingModCache ? 'them' : 'it'}). Without a mount there, ${missingBuildCache ? 'whenever this layer rebuilds, every package is compiled from scratch' : 'every build downloads the modules again'}${missingBuildCache && missingModCache ? ' and the modules are downloaded again' : ''}.`
        : missingBuildCache
          ? `${command} runs without a cache mount on GOCACHE (${env.GOCACHE.value}): whenever this layer rebuilds, every package is compiled from scratch.${missingModCache ? ` Modules are not in an earlier layer either, so without a mount on GOMODCACHE (${env.GOMODCACHE.value}) they are downloaded again too.` : ''}`
            + ciBuildCacheNote(site)
          : `${compiles(go) && mountOnGoCache(run, go, 'GOCACHE') ? `${command} has a build cache mount but modules are` : `${command} reads modules that are`} not in an earlier layer: without a cache mount on GOMODCACHE (${env.GOMODCACHE.value}) every build downloads them again.`;
      // `go install tool@v1.2` right after FROM: the layer is reused until an image or a line above
      // it changes (a new base image, a version bump); the message says when the mount pays.
      const linesOnly = missingBuildCache && dependsOnLinesOnly(model.stages, run.stage, run.position);
      report({
        range: go.nameRange,
        message: linesOnly ? `${message} This step reads nothing from the build context: its layer is reused until the base image or a line above it changes, so a mount speeds up the rebuild after such a change.` : message,
        ...(assumed ? { severity: 'info' as const } : {}),
        // A directory with spaces or commas cannot go into a mount option unquoted: leave it to the user.
        fixes: mountable.length > 0 ? [{
          title: `Add a cache mount on ${mountable.join(' and ')}${assumed ? ` (Go's default, ${assumptionWords(assumed)})` : ''}`,
          edits: mountable.map((t) => addRunFlag(run, cacheMountFlagFor(model, run.stage, t, owner))),
          preferred: true,
        }] : [],
      });
    }
  },
});
