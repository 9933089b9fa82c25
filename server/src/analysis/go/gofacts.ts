// Questions several rules ask about a parsed Dockerfile: does it build Go, where do modules get
// downloaded, which mounts cover which Go cache.
import * as posix from 'node:path/posix';
import { goBuildsIn, stageChain } from '../cache/artifacts';
import { commandDirectory } from './commandmodule';
import { compiles, packageArgs, readsModules, type GoCommand } from './gocommand';
import { safeMountTarget } from '../fixing/edits';
import { effectiveGoEnv, mountCovers, pathsOverlap, type GoEnv } from './goenv';
import { perObject, perObjectAnd } from '../model/memo';
import { variablesThatCouldMove } from './imageassumptions';
import type { DockerfileModel, Mount, RunInstruction, Stage } from '../model/model';
import type { ShellCommand } from '../parse/shell';

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

/** A cache mount meant for one of Go's caches that misses the directory Go uses for it (GD005). */
export interface MisdirectedMount {
  mount: Mount;
  which: 'GOCACHE' | 'GOMODCACHE';
  /** The Go command of the RUN that uses that cache. */
  go: GoCommand | undefined;
  env: GoEnv;
  /** Where the mount belongs, when moving it there is safe: GD005's retarget fix. */
  retarget?: string;
}

/** Go's directory follows from a home directory the analysis only guessed (a named USER). */
function restsOnAssumedHome(env: GoEnv, which: 'GOCACHE' | 'GOMODCACHE'): boolean {
  if (env.HOME.origin.detail !== 'assumed') return false;
  return which === 'GOCACHE'
    ? env.GOCACHE.origin.detail === '$HOME/.cache/go-build'
    : env.GOMODCACHE.origin.kind === 'derived' && env.GOPATH.origin.kind === 'derived';
}

/** The Go command of a RUN that uses that cache, or its first one. */
export function goCommandUsing(run: RunInstruction, which: 'GOCACHE' | 'GOMODCACHE'): GoCommand | undefined {
  return run.go.find(which === 'GOCACHE' ? compiles : readsModules) ?? run.go[0];
}

/** A mount on either Go cache (or a part of one, or above one) does its job, whatever its name says. */
export function sitsOnGoCache(target: string, env: GoEnv): boolean {
  return pathsOverlap(target, env.GOCACHE.value) || pathsOverlap(target, env.GOMODCACHE.value);
}

/**
 * The cache mounts of a RUN that look meant for a Go cache but miss Go's directory there, at
 * most one per cache: once the first is fixed, a second is merely redundant. GD005 reports these,
 * other rules wait for them or count on where the retarget fix will put them.
 */
export const misdirectedGoMounts = perObject((run: RunInstruction): readonly MisdirectedMount[] => {
  // A RUN before any FROM is not part of an image: Docker rejects the file before running it.
  if (!run.stage) return [];
  const mounts = cacheMounts(run);
  const candidates: MisdirectedMount[] = [];
  for (const mount of mounts) {
    const which = looksLikeGoCacheMount(mount);
    const target = mount.targetResolved;
    if (!which || !target || !mount.targetRange) continue;
    const go = goCommandUsing(run, which);
    const env = effectiveGoEnv(run, go);
    if (sitsOnGoCache(target, env)) continue;
    // A directory that is only a guess (an assumed home, an unknown image's default) is no place to move a mount to.
    const retarget = !restsOnAssumedHome(env, which) && !variablesThatCouldMove(run, go, which) && safeMountTarget(env[which].value) ? env[which].value : undefined;
    candidates.push({ mount, which, go, env, retarget });
  }
  // Another mount of this RUN already holds the directory, where it is or where its own fix
  // moves it: this one is only unused. Deciding the mounts bound for the shorter directories
  // first (a mount on /go holds /go/pkg/mod too) gives the same answer whichever gets fixed first.
  const found: MisdirectedMount[] = [];
  const byDir = [...candidates].sort((a, b) => a.env[a.which].value.length - b.env[b.which].value.length);
  for (const candidate of byDir) {
    const dir = candidate.env[candidate.which].value;
    const held = mounts.some((m) => !candidates.some((c) => c.mount === m) && mountCovers(m.targetResolved, dir))
      || found.some((f) => mountCovers(f.retarget ?? f.mount.targetResolved, dir));
    // At most one per cache: once the first is fixed, a second is merely redundant.
    if (held || found.some((f) => f.which === candidate.which)) continue;
    found.push(candidate);
  }
  found.sort((a, b) => mounts.indexOf(a.mount) - mounts.indexOf(b.mount));
  return found;
});

/**
 * Whether some RUN of the stage has a cache mount meant for this Go cache that misses Go's
 * directory. That is GD005's finding, and its fix may move the directory (ENV), so rules that
 * would add mounts on the current directory wait until it is settled.
 */
export const stageHasMisdirectedGoMount = perObjectAnd((stage: Stage, which: 'GOCACHE' | 'GOMODCACHE'): boolean =>
  runsIn(stage).some((run) => misdirectedGoMounts(run).some((m) => m.which === which)));

/** Build runners whose targets the analysis does not read: any of them may run `go build`. */
const BUILD_RUNNERS = new Set(['make', 'gmake', 'mage', 'task', 'just', 'bazel', 'bazelisk', 'goreleaser', 'ko', 'earthly', 'npm', 'yarn', 'xx-go']);

/**
 * Whether a RUN may run Go commands the analysis cannot see: a build runner (`make bins`), a
 * script (`./build.sh`, `sh build.sh`), or a shell given its commands as a string (`sh -c '…'`).
 * Where it does, what that Go reads (modules, caches) is not known.
 */
export function mayRunGoUnseen(run: RunInstruction): boolean {
  // A make target or script read to its end is seen: its Go commands are among run.go.
  return run.commands.some((command) => !run.readThrough?.has(command) && mayRunGoUnseenIn(command, run));
}

/**
 * Whether one shell command may run Go the analysis cannot see (see mayRunGoUnseen). Given the
 * RUN it is in, a program named by its path that a Go build of the stage wrote there earlier
 * (`RUN ./app version` after `go build -o app`) is that compiled program, not a script.
 */
export function mayRunGoUnseenIn(command: ShellCommand, run?: RunInstruction): boolean {
  {
    const name = command.words[0]?.value ?? '';
    const base = name.split('/').pop() ?? '';
    // `xx-go --wrap` only puts wrappers in PATH so that a plain `go` cross-compiles.
    if (base === 'xx-go' && command.words[1]?.value === '--wrap') return false;
    if (BUILD_RUNNERS.has(base)) return true;
    if (name.includes('/') && !name.startsWith('/usr/') && !name.startsWith('/bin/') && !name.startsWith('/sbin/')) {
      return run === undefined || !runsBuiltProgram(run, command, name);
    }
    if (/\.(sh|bash)$/.test(name)) return true;
    if (['sh', 'bash', 'ash', 'dash', 'zsh'].includes(base)) return command.words.length > 1;
    return false;
  }
}

/** Whether `name`, as `command` of the RUN runs it, is the binary a `go build` earlier in the stage (or a parent) wrote. */
function runsBuiltProgram(run: RunInstruction, command: ShellCommand, name: string): boolean {
  const here = commandDirectory(run, { command, flags: new Map() });
  if (!run.stage || here === undefined || /[$`*?[]/.test(name)) return false;
  const path = posix.join(name.startsWith('/') ? '/' : here, name);
  const at = run.commands.indexOf(command);
  return goBuildsIn(run.stage).some(({ run: built, go }) => {
    // Built by an earlier RUN, or earlier in this one (`go build -o app && ./app --version`).
    const index = built === run ? run.commands.indexOf(go.command) : -1;
    const before = built === run ? index >= 0 && index < at : built.position < run.position;
    if (!before || go.subcommand !== 'build') return false;
    const dir = commandDirectory(built, go);
    if (dir === undefined) return false;
    if (go.output !== undefined) return !/[$`]/.test(go.output) && posix.join(go.output.startsWith('/') ? '/' : dir, go.output) === path;
    // Without -o, `go build` of one main package writes it into the directory it runs in, under the
    // package's name (no extension on Linux).
    return packageArgs(go).length <= 1 && posix.dirname(path) === posix.join(dir, '.').replace(/(.)\/$/, '$1') && !posix.basename(path).includes('.');
  });
}
