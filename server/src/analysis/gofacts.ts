// Questions several rules ask about a parsed Dockerfile: does it build Go, where do modules get
// downloaded, which mounts cover which Go cache.
import { compiles, readsModules, type GoCommand } from './gocommand';
import { effectiveGoEnv, mountCovers } from './goenv';
import { isRun, type DockerfileModel, type Mount, type RunInstruction, type Stage } from './model';

export function buildsGo(model: DockerfileModel): boolean {
  return model.instructions.some((i) => isRun(i) && i.go.length > 0);
}

export function runsIn(stage: Stage): RunInstruction[] {
  return stage.instructions.filter(isRun);
}

export function cacheMounts(run: RunInstruction): Mount[] {
  return run.mounts.filter((m) => m.type === 'cache');
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
  const chain: Stage[] = [];
  for (let s: Stage | undefined = stage; s; s = s.image.stage) chain.unshift(s);
  for (const s of chain) {
    for (const run of runsIn(s)) {
      if (run === before) return undefined;
      for (const go of run.go) {
        if (readsModules(go) && !mountOnGoCache(run, go, 'GOMODCACHE') && (isModuleDownload(go) || compiles(go))) return { run, go };
      }
    }
  }
  return undefined;
}

/** Whether any RUN in the stage keeps GOMODCACHE on a cache mount. */
export function stageUsesModuleCacheMount(stage: Stage): boolean {
  return runsIn(stage).some((run) => run.go.some((go) => mountOnGoCache(run, go, 'GOMODCACHE')));
}

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
export function stageHasMisdirectedGoMount(stage: Stage, which: 'GOCACHE' | 'GOMODCACHE'): boolean {
  return runsIn(stage).some((run) => cacheMounts(run)
    .some((m) => looksLikeGoCacheMount(m) === which && !mountCovers(m.targetResolved, effectiveGoEnv(run, run.go[0])[which].value)));
}
