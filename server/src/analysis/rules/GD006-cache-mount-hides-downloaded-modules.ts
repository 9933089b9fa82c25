import { readsModules, type GoCommand } from '../go/gocommand';
import { effectiveGoEnv, mountCovers } from '../go/goenv';
import { isModuleDownload, misdirectedGoMounts, mountOnGoCache } from '../go/gofacts';
import { addRunFlag, dropMountEdit, mountOwnerSuffix } from '../fixing/edits';
import { cacheMountFlagFor, mountsHidingModules, runsInheriting } from '../cache/cachemounts';
import { isRun, type DockerfileModel, type Mount, type RunInstruction } from '../model/model';
import type { BuildSite } from '../ci/types';
import { downloadsModules, sourceBeforeDownload } from '../go/modulemode';
import { assumptionWords, unknownImageAssumption } from '../go/imageassumptions';
import { defineRule } from './api';

/** A download whose modules later cache mounts hide, with those mounts; undefined when there is nothing to say. */
function hiddenDownload(model: DockerfileModel, site: BuildSite | undefined, download: RunInstruction): { go: GoCommand; modcache: string; mounts: { run: RunInstruction; mount: Mount }[] } | undefined {
  const go = download.go.find(isModuleDownload);
  if (!go || mountOnGoCache(download, go, 'GOMODCACHE')) return undefined;
  // Nothing downloaded (vendored, GOPATH mode, no requirements): nothing a mount could hide.
  if (!downloadsModules(model, download, go)) return undefined;
  // A download after the source copy is GD001's to move first: a mount added here would
  // keep modules across builds and silence it, leaving the download where it is.
  if (download.stage && sourceBeforeDownload(site, model, download.stage)) return undefined;
  // A Go cache mount on the wrong directory, on the download or a later step, is GD005's to
  // fix first: where it ends up decides what is hidden.
  if ([download, ...runsInheriting(model, download)].some((r) => misdirectedGoMounts(r).length > 0)) return undefined;
  const modcache = effectiveGoEnv(download, go).GOMODCACHE.value;
  return { go, modcache, mounts: mountsHidingModules(model, download, modcache) };
}

/** A mount hiding the modules of several downloads is reported once, for the first of them. */
function hiddenEarlier(model: DockerfileModel, site: BuildSite | undefined, download: RunInstruction, mount: Mount): boolean {
  return model.runs.some((earlier) => earlier.position < download.position && earlier.go.some(isModuleDownload)
    && hiddenDownload(model, site, earlier)?.mounts.some((m) => m.mount === mount) === true);
}

export default defineRule({
  id: 'GD006',
  name: 'cache-mount-hides-downloaded-modules',
  severity: 'warning',
  summary: 'A cache mount on the module cache hides the modules an earlier `go mod download` put into the image, so the later step downloads them again.',
  fixable: true,
  scoped: true,
  check({ model, site, inScope, report }) {
    for (const download of model.instructions.filter(isRun)) {
      if (!inScope(download.stage)) continue;
      const hidden = hiddenDownload(model, site, download);
      if (!hidden) continue;
      const { go, modcache } = hidden;
      const reported = new Set<Mount>();
      for (const { run, mount } of hidden.mounts) {
        if (reported.has(mount) || hiddenEarlier(model, site, download, mount)) continue;
        reported.add(mount);
        const later = run.go.find(readsModules)!;
        // On a base image the analysis does not know, where the download put the modules is Go's default only if that image moves nothing.
        const assumed = unknownImageAssumption(model, download, go, 'GOMODCACHE');
        report({
          range: mount.range,
          message: `${assumed ? `The download on line ${download.range.start.line + 1} puts the modules in Go's default GOMODCACHE (${modcache}) ${assumptionWords(assumed)}; then this` : 'This'} cache mount on ${mount.targetResolved} hides the modules \`go mod download\` put into the image on line ${download.range.start.line + 1}: \`go ${later.subcommand}\` sees only the cache's own contents (empty at first, stale later) and downloads the missing modules again, while the download layer is wasted.`,
          ...(assumed ? { severity: 'info' as const } : {}),
          related: [{ range: go.nameRange, message: `modules are downloaded into the image layer here, under ${modcache}` }],
          fixes: site?.where === 'ci'
            // In CI the download's layer is what the exported cache carries: the mount goes, unless it also holds the build cache.
            ? (mountCovers(mount.targetResolved, effectiveGoEnv(run, later).GOCACHE.value) ? [] : [{
              title: 'Drop this cache mount: the modules are in the download\'s layer',
              edits: [dropMountEdit(model, mount)],
              preferred: true,
            }])
            : [{
              title: `Mount the same cache on the download on line ${download.range.start.line + 1}`,
              // The stage's own mount of that directory, or a child stage's: the one every fix copies.
              edits: [addRunFlag(download, cacheMountFlagFor(model, download.stage, mount.targetResolved!, mountOwnerSuffix(download)))],
              preferred: true,
            }],
        });
      }
    }
  },
});
