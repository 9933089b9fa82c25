// Paths a stage writes only inside a cache mount, which never reach its image: `COPY --from`
// of such a path copies nothing (GD007), and a stage that seeds its cache that way is waiting
// for GD007's fix to mount the same cache instead.
import * as posix from 'node:path/posix';
import { resolvedOutput, stageChain } from './artifacts';
import { stageReads } from './cachemounts';
import { compiles, readsModules, type GoCommand } from '../go/gocommand';
import { effectiveGoEnv, mountCovers, pathsOverlap } from '../go/goenv';
import { cacheMounts } from '../go/gofacts';
import { perObject } from '../model/memo';
import { isCopy, isRun, type DockerfileModel, type Mount, type RunInstruction, type Stage } from '../model/model';
import { shellInvocation } from '../parse/shellTree';
import { PLAIN_UTILITIES } from '../go/delegated';

export type WriteKind = 'GOMODCACHE' | 'GOCACHE' | 'output';

export interface CacheWrite {
  run: RunInstruction;
  mount: Mount;
  kind: WriteKind;
}

/** Where a Go command writes: its binary (-o, or $GOBIN for `go install`) and its caches. */
function goWrites(model: DockerfileModel, stage: Stage, run: RunInstruction, go: GoCommand): { path: string; kind: WriteKind }[] {
  const env = effectiveGoEnv(run, go);
  const writes: { path: string; kind: WriteKind }[] = [];
  const output = resolvedOutput(model, { run, go, stage });
  if (output) writes.push({ path: output.replace(/(.)\/$/, '$1'), kind: 'output' });
  if (readsModules(go)) writes.push({ path: env.GOMODCACHE.value, kind: 'GOMODCACHE' });
  if (compiles(go)) writes.push({ path: env.GOCACHE.value, kind: 'GOCACHE' });
  return writes;
}

/** Absolute paths a RUN's commands name outside its cache mounts: it may write any of them. */
function pathsNamedInLayer(run: RunInstruction): string[] {
  const mounts = cacheMounts(run);
  return run.commands.flatMap((c) => c.words)
    .filter((w) => w.value.startsWith('/') && !w.value.includes('$'))
    .map((w) => posix.normalize(w.value))
    .filter((p) => !mounts.some((m) => mountCovers(m.targetResolved, p)));
}

/**
 * The cache mount `path` of `stage` was written in, when nothing in the stage (or the stages it is
 * built FROM) puts anything there in an image layer.
 */
export function writtenOnlyInCacheMount(model: DockerfileModel, stage: Stage, path: string): CacheWrite | undefined {
  const known = cacheOnlyWrites(model);
  const key = `${stage.index}\0${path}`;
  if (!known.has(key)) known.set(key, findCacheOnlyWrite(model, stage, path));
  return known.get(key);
}

/** Answers of writtenOnlyInCacheMount, per model: several rules ask about the same reads. */
const cacheOnlyWrites = perObject((_model: DockerfileModel) => new Map<string, CacheWrite | undefined>());

function findCacheOnlyWrite(model: DockerfileModel, stage: Stage, path: string): CacheWrite | undefined {
  // Most reads are of paths no cache mount of the stage comes near: nothing more to look at.
  const chain = stageChain(stage);
  if (!chain.some((s) => s.runs.some((run) => cacheMounts(run).some((m) => m.targetResolved !== undefined && pathsOverlap(m.targetResolved, path))))) return undefined;
  let found: CacheWrite | undefined;
  for (const instruction of chain.flatMap((s) => s.instructions)) {
    if (isCopy(instruction) && instruction.destResolved && pathsOverlap(instruction.destResolved.replace(/(.)\/$/, '$1'), path)) return undefined;
    if (!isRun(instruction)) continue;
    if (pathsNamedInLayer(instruction).some((p) => pathsOverlap(p, path))) return undefined;
    for (const go of instruction.go) {
      for (const write of goWrites(model, instruction.stage ?? stage, instruction, go).filter((w) => pathsOverlap(w.path, path))) {
        const mount = cacheMounts(instruction).find((m) => mountCovers(m.targetResolved, write.path));
        if (!mount) return undefined;
        if (mountCovers(mount.targetResolved, path)) found ??= { run: instruction, mount, kind: write.kind };
      }
    }
  }
  return found;
}

/** Image set-up commands that run no Go, beside the plain utilities a make recipe may use. */
const SETUP_COMMANDS = new Set([
  'apk', 'apt-get', 'apt', 'yum', 'dnf', 'microdnf', 'cd', 'adduser', 'addgroup', 'useradd', 'groupadd',
  'update-ca-certificates', 'ssh-keyscan', 'curl', 'wget', 'unzip', 'id', 'whoami', 'ldd',
]);

/**
 * Whether every command of the RUN is one the analysis knows: a Go command, a make target or
 * script read to its end, a shell running a script it reads, or a command that runs no Go. Stricter
 * than gofacts' mayRunGoUnseen, which lets unknown tools pass: a tool such as golangci-lint fills
 * the build cache, so a claim that nothing wrote it needs every command known.
 */
function runsOnlyKnownCommands(run: RunInstruction): boolean {
  const seen = new Set(run.go.map((g) => g.command));
  return run.commands.every((c) => {
    if (seen.has(c) || run.readThrough?.has(c) || c.words.length === 0) return true;
    const name = c.words[0].value;
    const base = name.slice(name.lastIndexOf('/') + 1);
    if ((PLAIN_UTILITIES.has(base) || SETUP_COMMANDS.has(base)) && base !== 'env') return true;
    // `sh -c '…'`: its script's commands are read on their own.
    return shellInvocation(c.words).script !== undefined;
  });
}

export interface UnwrittenGoCache {
  kind: 'GOCACHE' | 'GOMODCACHE';
  /** The stage's Go commands, none of which writes that cache; empty when it runs none. */
  goCommands: { run: RunInstruction; go: GoCommand }[];
}

/**
 * A Go cache directory (or a path inside it) that nothing in `stage` or the stages it is built
 * FROM ever writes, not even inside a cache mount: no Go command there fills that cache, no COPY
 * or command names it, and the base image is one known to carry no Go cache. `COPY --from` of it
 * fails the build.
 */
export function neverWrittenGoCache(model: DockerfileModel, stage: Stage, path: string): UnwrittenGoCache | undefined {
  if (/[*?[]/.test(path)) return undefined;
  const chain = stageChain(stage);
  if (chain[0].facts.family === 'other') return undefined;
  const last = stage.instructions[stage.instructions.length - 1];
  const env = effectiveGoEnv(last);
  const kind = mountCovers(env.GOCACHE.value, path) ? 'GOCACHE' : mountCovers(env.GOMODCACHE.value, path) ? 'GOMODCACHE' : undefined;
  if (!kind) return undefined;
  const goCommands: UnwrittenGoCache['goCommands'] = [];
  for (const instruction of chain.flatMap((s) => s.instructions)) {
    if (isCopy(instruction) && (!instruction.destResolved || pathsOverlap(instruction.destResolved.replace(/(.)\/$/, '$1'), path))) return undefined;
    if (!isRun(instruction)) continue;
    if (instruction.execForm || !runsOnlyKnownCommands(instruction)) return undefined;
    if (pathsNamedInLayer(instruction).some((p) => pathsOverlap(p, path))) return undefined;
    for (const go of instruction.go) {
      // Written somewhere near it, in a layer or a mount: the other case (or none) of GD007.
      if (goWrites(model, instruction.stage ?? stage, instruction, go).some((w) => pathsOverlap(w.path, path))) return undefined;
      goCommands.push({ run: instruction, go });
    }
  }
  return { kind, goCommands };
}

/**
 * Whether a `COPY --from` above `run` in its stage copies another stage's Go cache of this kind
 * out of its cache mount: GD007's fix mounts that same cache on the Go steps after it instead.
 */
export function seedsCacheBefore(model: DockerfileModel, run: RunInstruction, kind: 'GOCACHE' | 'GOMODCACHE'): boolean {
  return (seedingCopies(model).get(run.stage!) ?? []).some((seed) => seed.kind === kind && seed.position < run.position);
}

const seedingCopies = perObject((model: DockerfileModel): Map<Stage, { position: number; kind: WriteKind }[]> => {
  const seeds = new Map<Stage, { position: number; kind: WriteKind }[]>();
  for (const read of stageReads(model)) {
    const copy = read.copy;
    const kind = copy?.stage && writtenOnlyInCacheMount(model, read.stage, read.path)?.kind;
    if (copy?.stage && kind) seeds.set(copy.stage, [...(seeds.get(copy.stage) ?? []), { position: copy.position, kind }]);
  }
  return seeds;
});
