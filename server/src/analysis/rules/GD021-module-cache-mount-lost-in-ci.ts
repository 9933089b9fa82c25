import { cacheMountsStartEmpty, ciSiteWords } from '../ci/describe';
import { downloadMountDroppedInCi, exportsStageLayers } from '../ci/layers';
import { mountsHidingModules } from '../cache/cachemounts';
import { effectiveGoEnv, mountCovers } from '../go/goenv';
import { isModuleDownload, mountOnGoCache, stageHasMisdirectedGoMount } from '../go/gofacts';
import { dropMountEdit } from '../fixing/edits';
import { assumptionWords, unknownImageAssumption } from '../go/imageassumptions';
import { defineRule } from './api';

export default defineRule({
  id: 'GD021',
  name: 'module-cache-mount-lost-in-ci',
  // Warning: on the CI rebuild benchmark (README) the layer beat the mount under every network profile.
  severity: 'warning',
  summary: 'In CI, `go mod download` runs in a cache mount on the module cache: the runner starts with an empty mount and --cache-to never exports it, so the cached download layer holds no modules and every CI build downloads them again; the fix puts them in the exported layer instead.',
  fixable: true,
  needsCache: true,
  check({ model, site, report }) {
    if (!site || !cacheMountsStartEmpty(site)) return;
    for (const run of model.runs) {
      const go = run.go.find(isModuleDownload);
      const stage = run.stage;
      if (!go || !stage) continue;
      const mount = mountOnGoCache(run, go, 'GOMODCACHE');
      if (!mount) continue;
      // A Go cache mount on the wrong directory is GD005's to fix first.
      if (stageHasMisdirectedGoMount(stage, 'GOMODCACHE') || stageHasMisdirectedGoMount(stage, 'GOCACHE')) continue;
      const env = effectiveGoEnv(run, go);
      const modcache = env.GOMODCACHE.value;
      // A mount that also holds this step's build cache stays; so do later mounts that hold one.
      const keepsBuildCache = (m: { targetResolved?: string }, gocache: string) => mountCovers(m.targetResolved, gocache);
      const hiding = mountsHidingModules(model, run, modcache)
        .filter(({ run: later, mount: m }) => !keepsBuildCache(m, effectiveGoEnv(later, later.go[0]).GOCACHE.value));
      const fixable = downloadMountDroppedInCi(site, run, mount);
      // With mode=min (or no export) the layer is not restored either: GD022 asks for mode=max,
      // and this fix is what makes that export carry the modules.
      const exported = exportsStageLayers(site, model, stage) !== false;
      const then = exported ? 'the exported cache carries them' : 'the exported cache carries them once this stage\'s layers are exported (mode=max, GD022)';
      // On a base image the analysis does not know, the mount holds the modules only if that image keeps Go's default there.
      const assumed = unknownImageAssumption(model, run, go, 'GOMODCACHE');
      report({
        range: mount.range,
        ...(assumed ? { severity: 'info' as const } : {}),
        message: `\`go mod download\` runs in a cache mount on ${assumed ? `Go's default GOMODCACHE (${modcache}), ${assumptionWords(assumed)},` : `GOMODCACHE (${modcache}),`} and this image is built in ${ciSiteWords(site)}: there the mount starts empty and --cache-to never exports it, so this step comes back from the layer cache as cached with no modules in it, and the build downloads the modules it needs again on every run. Downloading into the layer (no mount on the download), ${then}: importing the module layer from the cache backend replaces downloading from the module proxy, which on a measured 160-module service made the CI rebuild 2.6× faster on a typical hosted-runner network and 1.3× on a slow one; how much depends on the size of the module graph and on the runner's network.`,
        related: hiding.map(({ mount: m }) => ({ range: m.range, message: `this mount on ${m.targetResolved} would hide the downloaded modules; the fix drops it too` })),
        fixes: fixable ? [{
          title: `Download modules into the layer (drop the cache mount on ${mount.targetResolved})`,
          edits: [dropMountEdit(model, mount), ...hiding.map(({ mount: m }) => dropMountEdit(model, m))],
          preferred: true,
        }] : [],
      });
    }
  },
});
