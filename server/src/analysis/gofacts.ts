// Questions several rules ask about a parsed Dockerfile: does it build Go, where do modules get
// downloaded, which mounts cover which Go cache.
import { stageChain } from './artifacts';
import { compiles, readsModules, type GoCommand } from './gocommand';
import { effectiveGoEnv, mountCovers } from './goenv';
import { perObject, perObjectAnd } from './memo';
import type { DockerfileModel, Mount, RunInstruction, Stage } from './model';

export function buildsGo(model: DockerfileModel): boolean {
  return runsOf(model).some((run) => run.go.length > 0);
}

/** Every RUN of the file, in order. */
export function runsOf(model: DockerfileModel): readonly RunInstruction[] {
  return model.runs;
}

export function runsIn(stage: Stage): readonly RunInstruction[] {
  return stage.runs;
}

export function cacheMounts(run: RunInstruction): readonly Mount[] {
  return run.cacheMounts;
}

/** The cache mount covering the effective GOCACHE / GOMODCACHE of a command, if any. */
export function mountOnGoCache(run: RunInstruction, go: GoCommand | undefined, which: 'GOCACHE' | 'GOMODCACHE'): Mount | undefined {
  const dir = effectiveGoEnv(run, go)[which].value;
  return cacheMounts(run).find((m) => mountCovers(m.targetResolved, dir));
}

export function isModuleDownload(go: GoCommand): boolean {
  return go.subcommand === 'mod download';
}

/** The first RUN in the stage that downloads modules or builds Go code. */
export function firstModuleStep(stage: Stage): { run: RunInstruction; go: GoCommand } | undefined {
  for (const run of runsIn(stage)) {
    const go = run.go.find((g) => readsModules(g));
    if (go) return { run, go };
  }
  return undefined;
}

/**
 * The RUN before `before` (same stage, or inherited from a parent stage) that downloaded modules
 * into the image layers, i.e. without a cache mount on GOMODCACHE.
 */
export function layerDownloadBefore(stage: Stage, before: RunInstruction): { run: RunInstruction; go: GoCommand } | undefined {
  const first = firstLayerDownload(stage);
  if (!first) return undefined;
  // Parents come before their children in the file, so the chain's order is the file's order.
  const beforeInChain = before.stage !== undefined && stageChain(stage).includes(before.stage);
  return !beforeInChain || first.run.position < before.position ? first : undefined;
}

/** The first RUN of the stage and the stages it starts FROM that downloads modules into a layer. */
const firstLayerDownload = perObject((stage: Stage): { run: RunInstruction; go: GoCommand } | undefined => {
  for (const s of stageChain(stage)) {
    for (const run of runsIn(s)) {
      for (const go of run.go) {
        if (readsModules(go) && !mountOnGoCache(run, go, 'GOMODCACHE') && (isModuleDownload(go) || compiles(go))) return { run, go };
      }
    }
  }
  return undefined;
});

/** Words that mark a cache mount as meant for Go. */
export function looksLikeGoCacheMount(mount: Mount): 'GOCACHE' | 'GOMODCACHE' | undefined {
  // The target says more than the id: `target=/go/pkg/mod,id=go-cache` is the module cache.
  for (const text of [mount.target ?? '', mount.id ?? '']) {
    const lower = text.toLowerCase();
    if (/pkg\/mod|gomod|go-mod|gomodcache/.test(lower)) return 'GOMODCACHE';
    if (/go-build|gocache|go-cache|gobuild/.test(lower)) return 'GOCACHE';
  }
  return undefined;
}

/**
 * Whether some RUN of the stage has a cache mount meant for this Go cache that misses Go's
 * directory. That is GD005's finding, and its fix may move the directory (ENV), so rules that
 * would add mounts on the current directory wait until it is settled.
 */
export const stageHasMisdirectedGoMount = perObjectAnd((stage: Stage, which: 'GOCACHE' | 'GOMODCACHE'): boolean =>
  runsIn(stage).some((run) => {
    const meant = cacheMounts(run).filter((m) => looksLikeGoCacheMount(m) === which && m.targetResolved !== undefined);
    if (meant.length === 0) return false;
    const env = effectiveGoEnv(run, run.go[0]);
    const overlaps = (a: string, b: string) => mountCovers(a, b) || mountCovers(b, a);
    // Same test as GD005: on (or inside, or above) either Go cache, a mount does its job.
    return meant.some((m) => !overlaps(m.targetResolved!, env.GOCACHE.value) && !overlaps(m.targetResolved!, env.GOMODCACHE.value));
  }));

