import { cacheMountsStartEmpty, ciSiteWords, GITHUB_MOUNT_RESTORE } from '../ci/describe';
import { exportsStageLayers } from '../ci/layers';
import { buildCacheDefeat } from '../go/cachedefeat';
import { compiles } from '../go/gocommand';
import { effectiveGoEnv } from '../go/goenv';
import { isModuleDownload, layerDownloadBefore, mountOnGoCache, stageHasMisdirectedGoMount } from '../go/gofacts';
import { goOlderThan } from '../go/goversion';
import { assumptionWords, bothAssumptions, unknownImageAssumption } from '../go/imageassumptions';
import { downloadsModules, sourceBeforeDownload } from '../go/modulemode';
import { defineRule } from './api';

export default defineRule({
  id: 'GD026',
  name: 'go-cache-mount-empty-in-ci',
  severity: 'info',
  summary: 'In CI, a Go build runs with cache mounts on the build cache (and the module cache) that start empty on every runner and that no cache export carries: each CI run of the step compiles every package, and downloads every module, from scratch.',
  fixable: false,
  needsCache: true,
  check({ model, site, report }) {
    // Said only where a CI file builds the image, or the user said it is built in CI: CI=true
    // alone says where the check runs, not whether the build's runner keeps its cache mounts.
    if (!site || !cacheMountsStartEmpty(site) || (!site.ci && site.source !== 'setting')) return;
    for (const run of model.runs) {
      const stage = run.stage;
      const go = run.go.find(compiles);
      // What the CI step builds: the final image and the stages it copies from. A stage it does not
      // need (a validate or mocks target) is built only when asked for, which the CI file may not do.
      if (!go || !stage?.feedsFinal) continue;
      // A Go cache mount on the wrong directory is GD005's to fix first.
      if (stageHasMisdirectedGoMount(stage, 'GOCACHE') || stageHasMisdirectedGoMount(stage, 'GOMODCACHE')) continue;
      // Go before 1.10 has no build cache; `-a` and GOCACHE=off ignore it (GD025): an empty mount costs nothing more.
      const buildMount = !goOlderThan(model, run, '1.10', go) && !buildCacheDefeat(model, run, go) ? mountOnGoCache(run, go, 'GOCACHE') : undefined;
      // Modules in an earlier layer come back with the exported layers: the mount then holds nothing the build needs.
      // A `go mod download` (here or before) under a module cache mount is GD021's (its fix puts the
      // modules in a layer), and source copied before the modules are read is GD001's (its fix adds that layer).
      const downloads = stage.chain.some((s) => s.runs.some((r) => r.position <= run.position && r.go.some(isModuleDownload)));
      const moduleMount = !downloads && !layerDownloadBefore(stage, run) && !sourceBeforeDownload(site, model, stage) && downloadsModules(model, run, go)
        ? mountOnGoCache(run, go, 'GOMODCACHE') : undefined;
      const first = buildMount ?? moduleMount;
      if (!first) continue;
      // One mount may hold both caches (GOPATH=GOCACHE=/go-cache): it is named once.
      const ownModuleMount = moduleMount !== buildMount ? moduleMount : undefined;
      const env = effectiveGoEnv(run, go);
      const mounted = [
        ...(buildMount ? [`GOCACHE (${env.GOCACHE.value})`] : []),
        ...(ownModuleMount ? [`GOMODCACHE (${env.GOMODCACHE.value})`] : []),
      ];
      const assumed = bothAssumptions(buildMount ? unknownImageAssumption(model, run, go, 'GOCACHE') : undefined,
        moduleMount ? unknownImageAssumption(model, run, go, 'GOMODCACHE') : undefined);
      const lost = [
        ...(buildMount ? ['compiles every package of the module graph from scratch'] : []),
        ...(moduleMount ? ['downloads every module it needs again'] : []),
      ].join(' and ');
      // With the stage's layers exported, the step itself comes back while nothing it reads changed.
      const exported = exportsStageLayers(site, model, stage);
      const when = exported
        ? 'Whenever this step runs in CI (any change to a file it compiles), it'
        : 'This step runs on every CI build (no exported cache brings back this stage\'s layers), and each time it';
      const keep = site.ci?.system === 'github-actions'
        ? `use ${GITHUB_MOUNT_RESTORE}`
        : 'build on a builder that outlives the job (a self-hosted runner\'s or a remote BuildKit builder keeps its cache mounts)';
      const modules = moduleMount
        ? ` For the modules alone, a download into a layer of its own (COPY go.mod go.sum, then RUN go mod download without a mount) is carried by ${exported ? 'the exported cache' : 'a cache export of this stage\'s layers (mode=max, GD022)'}.`
        : '';
      report({
        range: first.range,
        message: `\`go ${go.subcommand}\` runs with ${mounted.length > 1 ? 'cache mounts' : 'a cache mount'} on ${mounted.join(' and ')}${assumed ? `, Go's default${mounted.length > 1 ? 's' : ''} ${assumptionWords(assumed)}` : ''}, and this image is built in ${ciSiteWords(site)}: there cache mounts start empty on every runner and no cache export carries them. ${when} ${lost}. To keep ${mounted.length > 1 ? 'the mounts' : 'the mount'} between runs, ${keep}.${modules}`,
        related: buildMount && ownModuleMount ? [{ range: ownModuleMount.range, message: 'this module cache mount starts empty too' }] : undefined,
      });
    }
  },
});
