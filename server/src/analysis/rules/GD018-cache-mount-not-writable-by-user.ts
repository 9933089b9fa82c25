import { mountOwnerSuffix } from '../fixing/edits';
import { isRootUser } from '../go/goenv';
import { runsInheriting, settledTarget, stageCacheOwner, stageFamilyRuns } from '../cache/cachemounts';
import { cacheMounts, isModuleDownload, mountOnGoCache } from '../go/gofacts';
import { effectiveGoEnv, mountCovers } from '../go/goenv';
import { readsModules } from '../go/gocommand';
import { downloadsModules } from '../go/modulemode';
import type { BuildSite } from '../ci/types';
import { instructionAtLine, isRun, type DockerfileModel, type Mount, type RunInstruction } from '../model/model';
import { defineRule, type Report } from './api';

/** `mode=0777` (or any mode writable by others) opens the directory to every user. */
function writableByAll(mount: Mount): boolean {
  const mode = mount.flag.getOptions().find((o) => o.getName().toLowerCase() === 'mode')?.getValue();
  return mode !== undefined && mode !== null && /^0?[0-7]*[2367]$/.test(mode);
}

/** BuildKit's name for the cache a mount holds: its id, else its target (once the file is fixed). */
function cacheKey(run: RunInstruction, mount: Mount): string | undefined {
  return mount.id ?? settledTarget(run, mount);
}

/**
 * The mounts of the stage on the same cache that set no owner, in steps run by the same user: each
 * of them may be the one that creates the cache. Root steps get the stage's owner instead (below).
 */
function sameCacheWithoutOwner(run: RunInstruction, mount: Mount): Mount[] {
  const key = cacheKey(run, mount);
  const suffix = mountOwnerSuffix(run);
  const runs = (run.stage?.runs ?? [run]).filter((r) => mountOwnerSuffix(r) === suffix);
  const others = runs.flatMap((r) => cacheMounts(r).filter((m) => m !== mount && m.uid === undefined && !writableByAll(m) && key !== undefined && cacheKey(r, m) === key));
  return [mount, ...others];
}

/**
 * In CI, a module-cache mount that hides what an earlier `go mod download` put in its layer is
 * dropped by GD006's fix (the layer is what the exported cache carries): it will not share the
 * cache, so it asks no owner of other mounts. Its target is taken as GD005 will leave it.
 */
function droppedInCi(model: DockerfileModel, site: BuildSite | undefined, run: RunInstruction, mount: Mount): boolean {
  if (site?.where !== 'ci' || !run.go.some(readsModules)) return false;
  const target = settledTarget(run, mount);
  if (target === undefined) return false;
  const go = run.go.find(readsModules)!;
  if (mountCovers(target, effectiveGoEnv(run, go).GOCACHE.value)) return false;
  return model.runs.some((download) => download.go.some((g) => isModuleDownload(g) && !mountOnGoCache(download, g, 'GOMODCACHE') && downloadsModules(model, download, g)
    && mountCovers(target, effectiveGoEnv(download, g).GOMODCACHE.value))
    && runsInheriting(model, download).includes(run));
}

/**
 * Where a step of the stage (or of a stage built FROM it) uses the same cache as a user other than
 * root, and the owner a root step's mount of it should say: the stage's (stageCacheOwner), which
 * fixes give every root step's new mounts too, else the one written on that step's mount.
 */
function ownerOfSameCache(model: DockerfileModel, site: BuildSite | undefined, run: RunInstruction, mount: Mount): { suffix: string; line: number } | undefined {
  const key = cacheKey(run, mount);
  if (key === undefined) return undefined;
  for (const other of stageFamilyRuns(model, run.stage)) {
    if (!other.user || isRootUser(other.user.name)) continue;
    const shared = cacheMounts(other).find((m) => cacheKey(other, m) === key && !droppedInCi(model, site, other, m));
    if (!shared) continue;
    const written = shared.uid !== undefined ? `,uid=${shared.uid}${shared.gid !== undefined ? `,gid=${shared.gid}` : ''}` : '';
    const suffix = stageCacheOwner(model, run.stage) || written;
    return suffix ? { suffix, line: other.range.start.line } : undefined;
  }
  return undefined;
}

/**
 * A step running as root mounts, without an owner, a cache another step mounts with one: when
 * this step runs first, BuildKit creates the cache owned by root and the other user cannot write.
 */
function reportOwnerlessCopies(model: DockerfileModel, site: BuildSite | undefined, run: RunInstruction, report: (report: Report) => void): void {
  for (const mount of cacheMounts(run)) {
    if (mount.uid !== undefined || writableByAll(mount)) continue;
    const owner = ownerOfSameCache(model, site, run, mount);
    if (!owner) continue;
    const target = mount.targetResolved ?? mount.target ?? 'the mount';
    report({
      range: mount.range,
      message: `This mount of ${target} sets no owner, but line ${owner.line + 1} uses the same cache as another user: BuildKit creates a cache owned as the first step to use it says, so when this step runs first the cache is owned by root and the other user cannot write to it. Add \`${owner.suffix.slice(1)}\`, the owner of the stage's caches.`,
      related: [{ range: instructionAtLine(model, owner.line)?.range ?? run.range, message: 'the same cache, used by another user' }],
      fixes: [{ title: `Add ${owner.suffix.slice(1)} to the cache mount`, edits: [{ range: { start: mount.range.end, end: mount.range.end }, newText: owner.suffix }], preferred: true }],
    });
  }
}

/** Which Go cache the mount holds, for the message. */
function goCacheOn(run: RunInstruction, mount: Mount): string | undefined {
  if (run.go.some((go) => mountOnGoCache(run, go, 'GOCACHE') === mount)) return 'the build cache (GOCACHE)';
  if (run.go.some((go) => mountOnGoCache(run, go, 'GOMODCACHE') === mount)) return 'the module cache (GOMODCACHE)';
  return undefined;
}

export default defineRule({
  id: 'GD018',
  name: 'cache-mount-not-writable-by-user',
  severity: 'warning',
  summary: 'A cache mount without uid/gid is used by a non-root USER, who cannot write to it: BuildKit creates cache directories owned by root.',
  fixable: true,
  scoped: true,
  check({ model, site, inScope, report }) {
    for (const run of model.instructions.filter(isRun)) {
      // In CI a mount's fate depends on every download of the file (droppedInCi).
      if (!inScope(site?.where === 'ci' ? undefined : run.stage)) continue;
      const user = run.user;
      if (!user || isRootUser(user.name)) {
        reportOwnerlessCopies(model, site, run, report);
        continue;
      }
      for (const mount of cacheMounts(run)) {
        if (mount.uid !== undefined || writableByAll(mount)) continue;
        const target = mount.targetResolved ?? mount.target ?? 'the mount';
        const suffix = mountOwnerSuffix(run);
        const ids = suffix ? `\`${suffix.slice(1)}\`` : `\`uid\` and \`gid\` with the numeric ids of ${user.name.split(':')[0]}`;
        report({
          range: mount.range,
          message: `\`USER ${user.name}\` (line ${user.line + 1}) cannot write to this cache mount: BuildKit creates ${target} owned by root with mode 0755, so Go fails with "permission denied" when it writes ${goCacheOn(run, mount) ?? 'there'}. Add ${ids} to the mount.`,
          related: [{ range: instructionAtLine(model, user.line)?.range ?? run.range, message: 'the user the RUN runs as' }],
          fixes: suffix ? [{
            title: `Add ${suffix.slice(1)} to the cache mount`,
            edits: sameCacheWithoutOwner(run, mount).map((m) => ({ range: { start: m.range.end, end: m.range.end }, newText: suffix })),
            preferred: true,
          }] : [],
        });
      }
    }
  },
});
