import { compiles, readsModules, type GoCommand } from '../gocommand';
import { effectiveGoEnv, type GoEnv } from '../goenv';
import { cacheMounts, looksLikeGoCacheMount } from '../gofacts';
import { insertLinesBefore, replaceRange, safeMountTarget } from '../edits';
import { pathsOverlap } from '../cachemounts';
import { isRun, type RunInstruction } from '../model';
import type { Fix } from '../types';
import { defineRule } from './api';

const DESCRIPTION = {
  GOCACHE: { what: 'build cache', cost: 'every build compiles every package from scratch' },
  GOMODCACHE: { what: 'module cache', cost: 'every build downloads all modules again' },
} as const;

/** Go's directory follows from a home directory the analysis only guessed (a named USER). */
function restsOnAssumedHome(env: GoEnv, which: 'GOCACHE' | 'GOMODCACHE'): boolean {
  if (env.HOME.origin.detail !== 'assumed') return false;
  return which === 'GOCACHE'
    ? env.GOCACHE.origin.detail === '$HOME/.cache/go-build'
    : env.GOMODCACHE.origin.kind === 'derived' && env.GOPATH.origin.kind === 'derived';
}

/** /root is closed to other users: pointing a non-root user's Go at a cache there fails. */
function underRootHomeOfOtherUser(run: RunInstruction, target: string): boolean {
  const user = run.user?.name.split(':')[0];
  return user !== undefined && user !== 'root' && user !== '0' && (target === '/root' || target.startsWith('/root/'));
}

/** The Go command of a RUN that uses that cache, or its first one. */
function goCommandUsing(run: RunInstruction, which: 'GOCACHE' | 'GOMODCACHE'): GoCommand | undefined {
  return run.go.find(which === 'GOCACHE' ? compiles : readsModules) ?? run.go[0];
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
 */
function onlyMissedTarget(run: RunInstruction, which: 'GOCACHE' | 'GOMODCACHE', target: string): boolean {
  // Every mount of that cache in the stage, right or wrong, so the answer does not change as
  // the other mounts get fixed.
  return (run.stage?.instructions.filter(isRun) ?? []).every((other) => cacheMounts(other)
    .every((m) => looksLikeGoCacheMount(m) !== which || !m.targetResolved || m.targetResolved === target));
}

export default defineRule({
  id: 'GD005',
  name: 'cache-mount-misses-go-cache-dir',
  severity: 'warning',
  summary: 'A cache mount meant for Go is not on the directory Go really uses for that cache at this step, so the cache stays empty.',
  fixable: true,
  check({ model, report }) {
    for (const run of model.instructions.filter(isRun)) {
      // A RUN before any FROM is not part of an image: Docker rejects the file before running it.
      if (!run.stage) continue;
      const mounts = cacheMounts(run);
      // Two misdirected mounts for the same cache: report the first; once it is fixed the other
      // is merely redundant, and the result does not depend on which fix ran first.
      const reported = new Set<string>();
      for (const mount of mounts) {
        const which = looksLikeGoCacheMount(mount);
        const target = mount.targetResolved;
        if (!which || !target || !mount.targetRange) continue;
        const go = goCommandUsing(run, which);
        const env = effectiveGoEnv(run, go);
        const dir = env[which];
        // A mount on either Go cache (or a part of one) does its job, whatever its name says.
        if (pathsOverlap(target, env.GOCACHE.value) || pathsOverlap(target, env.GOMODCACHE.value)) continue;
        // Another mount of this RUN already serves the directory: this one is only unused.
        if (mounts.some((m) => m !== mount && m.targetResolved && pathsOverlap(m.targetResolved, dir.value))) continue;
        if (reported.has(which)) continue;
        reported.add(which);
        const fixes: Fix[] = [];
        // Retargeting changes only this mount, so it is the fix `fix` applies: setting ENV moves
        // Go's directory for every later step of the stage too, which the user should choose.
        if (!restsOnAssumedHome(env, which) && safeMountTarget(dir.value)) {
          fixes.push({ title: `Retarget the cache mount to ${dir.value}`, edits: [replaceRange(mount.targetRange, dir.value)], preferred: true });
        }
        // Only where the image's default is in effect: overriding an ENV the file already sets
        // could move the cache away from another step that relies on it.
        if (dir.origin.kind !== 'inline' && dir.origin.kind !== 'env' && safeMountTarget(target) && !underRootHomeOfOtherUser(run, target) && onlyMissedTarget(run, which, target)) {
          fixes.push({
            title: `Set ENV ${which}=${target} to match the cache mount`,
            edits: [insertLinesBefore(model, firstRunWithSameMiss(run, which, target, dir.value), [`ENV ${which}=${target}`])],
            preferred: fixes.length === 0,
          });
        }
        const command = go ? `\`go ${go.subcommand}\`` : 'Go';
        report({
          range: mount.targetRange,
          message: `This cache mount on ${target} looks meant for Go's ${DESCRIPTION[which].what}, but ${command} uses ${which}=${dir.value} here (${dir.because}): the mount stays empty and ${DESCRIPTION[which].cost}.`,
          fixes,
        });
      }
    }
  },
});
