// What the cache a CI build exports holds for a stage of the Dockerfile.
import type { DockerfileModel, Mount, RunInstruction, Stage } from '../model/model';
import { effectiveGoEnv, mountCovers } from '../go/goenv';
import { isModuleDownload } from '../go/gofacts';
import { cacheMountsStartEmpty } from './describe';
import type { BuildSite } from './types';

/**
 * Whether the next CI run gets this stage's layers back from the exported cache: mode=max exports
 * every stage, mode=min only the layers of the image built (the final stage and the stages it
 * starts FROM). undefined when that is not known (no CI file read, or a cache-to set at run time).
 */
export function exportsStageLayers(site: BuildSite | undefined, model: DockerfileModel, stage: Stage): boolean | undefined {
  const build = site?.ci;
  if (!build || build.cacheToUnknown) return undefined;
  if (build.cacheTo.some((c) => c.mode === 'max')) return true;
  return build.cacheTo.length > 0 && (model.finalStage?.chain.includes(stage) ?? false);
}

/**
 * Whether GD021 takes this cache mount off a `go mod download` (so other fixes wait for it): built
 * where cache mounts start empty, the step downloads modules, and the mount holds no build cache
 * of that step.
 */
export function downloadMountDroppedInCi(site: BuildSite | undefined, run: RunInstruction, mount: Mount): boolean {
  const go = run.go.find(isModuleDownload);
  return cacheMountsStartEmpty(site) && go !== undefined && !mountCovers(mount.targetResolved, effectiveGoEnv(run, go).GOCACHE.value);
}
