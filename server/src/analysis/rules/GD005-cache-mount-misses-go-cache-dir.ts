import { effectiveGoEnv } from '../go/goenv';
import { cacheMounts, goCommandUsing, looksLikeGoCacheMount, misdirectedGoMounts, sitsOnGoCache } from '../go/gofacts';
import { settledTarget } from '../cache/cachemounts';
import { insertLinesBefore, replaceRange, safeMountTarget } from '../fixing/edits';
import { isRun, type Mount, type RunInstruction } from '../model/model';
import type { Fix } from '../model/types';
import { assumptionWords, unknownImageAssumption } from '../go/imageassumptions';
import { defineRule } from './api';

const DESCRIPTION = {
  GOCACHE: { what: 'build cache', cost: 'every build compiles every package from scratch' },
  GOMODCACHE: { what: 'module cache', cost: 'every build downloads all modules again' },
} as const;

/** /root is closed to other users: pointing a non-root user's Go at a cache there fails. */
function underRootHomeOfOtherUser(run: RunInstruction, target: string): boolean {
  const user = run.user?.name.split(':')[0];
  return user !== undefined && user !== 'root' && user !== '0' && (target === '/root' || target.startsWith('/root/'));
}

/**
 * The first RUN of the stage, up to `run`, whose mount misses Go's directory the same way: one ENV
 * above it fixes them all, so every such finding offers that same edit.
 */
function firstRunWithSameMiss(run: RunInstruction, which: 'GOCACHE' | 'GOMODCACHE', target: string, dir: string): RunInstruction {
  const runs = run.stage?.instructions.filter(isRun).filter((r) => r.position <= run.position) ?? [];
  return runs.find((r) => cacheMounts(r).some((m) => m.targetResolved === target && looksLikeGoCacheMount(m) === which)
    && effectiveGoEnv(r, goCommandUsing(r, which))[which].value === dir) ?? run;
}

/**
 * One ENV can only move Go's cache to one place: when the stage mounts that cache at several
 * places, retargeting each wrong mount is the fix that does not depend on which comes first.
 * Where the ENV is the only fix offered, the other mounts count where their own retarget puts
 * them, so whether it is offered does not change as they get fixed.
 */
function onlyMissedTarget(run: RunInstruction, which: 'GOCACHE' | 'GOMODCACHE', target: string, onlyFix: boolean, from: RunInstruction): boolean {
  // Steps above the ENV keep Go's directory: their mounts stay right whatever it says.
  // A mount sitting on one of Go's caches does that job whatever its name says: it is not one of them.
  return (run.stage?.instructions.filter(isRun).filter((r) => r.position >= from.position) ?? []).every((other) => cacheMounts(other)
    .every((m) => looksLikeGoCacheMount(m) !== which || !m.targetResolved || sitsOnGoCache(m.targetResolved, effectiveGoEnv(other, other.go[0]))
      || (onlyFix ? settledTarget(other, m) : m.targetResolved) === target));
}

/**
 * An ENV that moves a Go cache can make another misdirected mount of the stage look right or wrong,
 * so an ENV that is the only fix waits until the stage's retargets are done, and for the ENV of an
 * earlier such mount: one at a time, first to last, whichever the user picks.
 */
function movesPending(run: RunInstruction, mount: Mount): boolean {
  const misdirected = (run.stage?.runs ?? []).flatMap((r) => misdirectedGoMounts(r));
  const mine = misdirected.findIndex((m) => m.mount === mount);
  return misdirected.some((m, i) => m.mount !== mount && (m.retarget !== undefined || i < mine));
}

export default defineRule({
  id: 'GD005',
  name: 'cache-mount-misses-go-cache-dir',
  severity: 'warning',
  summary: 'A cache mount meant for Go is not on the directory Go really uses for that cache at this step, so the cache stays empty.',
  fixable: true,
  needsCache: true,
  scoped: true,
  check({ model, inScope, report }) {
    for (const run of model.instructions.filter(isRun)) {
      if (!inScope(run.stage)) continue;
      for (const { mount, which, go, env, retarget } of misdirectedGoMounts(run)) {
        const target = mount.targetResolved!;
        const dir = env[which];
        const fixes: Fix[] = [];
        const anchor = firstRunWithSameMiss(run, which, target, dir.value);
        // Retargeting changes only this mount, so it is the fix `fix` applies: setting ENV moves
        // Go's directory for every later step of the stage too, which the user should choose.
        if (retarget) {
          fixes.push({ title: `Retarget the cache mount to ${retarget}`, edits: [replaceRange(mount.targetRange!, retarget)], preferred: true });
        }
        // Only where the image's default is in effect: overriding an ENV the file already sets
        // could move the cache away from another step that relies on it.
        if (!['inline', 'env', 'shell', 'goenv'].includes(dir.origin.kind) && safeMountTarget(target) && !underRootHomeOfOtherUser(run, target) && onlyMissedTarget(run, which, target, !retarget, anchor) && (retarget || !movesPending(run, mount))) {
          fixes.push({
            title: `Set ENV ${which}=${target} to match the cache mount`,
            edits: [insertLinesBefore(model, anchor, [`ENV ${which}=${target}`])],
            preferred: fixes.length === 0,
          });
        }
        const command = go ? `\`go ${go.subcommand}\`` : 'Go';
        // On a base image the analysis does not know, Go's default is only a guess (a builder made
        // FROM golang has GOPATH=/go): said as an assumption, at info. Setting the ENV is right either way.
        const assumed = unknownImageAssumption(model, run, go, which);
        report({
          range: mount.targetRange!,
          message: assumed
            ? `This cache mount on ${target} looks meant for Go's ${DESCRIPTION[which].what}, but ${command} uses Go's default ${which}=${dir.value} here ${assumptionWords(assumed)} (\`go env ${which}\` in that image shows it): then the mount stays empty and ${DESCRIPTION[which].cost}. Setting ENV ${which}=${target} makes Go use the mount whatever the image says.`
            : `This cache mount on ${target} looks meant for Go's ${DESCRIPTION[which].what}, but ${command} uses ${which}=${dir.value} here (${dir.because}): the mount stays empty and ${DESCRIPTION[which].cost}.`,
          ...(assumed ? { severity: 'info' as const } : {}),
          fixes,
        });
      }
    }
  },
});
