// How Go's caches travel between the steps and stages of a build: which RUNs see a stage's layers,
// what later instructions read out of a stage, which cache mounts hide modules an earlier step put
// into a layer, and how to mount the very same cache somewhere else.
import * as posix from 'node:path/posix';
import { goBuildsIn, resolvedOutput } from './artifacts';
import { readsModules } from '../go/gocommand';
import { mountCovers, pathsOverlap } from '../go/goenv';
import { cacheMounts, misdirectedGoMounts } from '../go/gofacts';
import { perObject, perObjectAnd } from '../model/memo';
import { mountOwnerSuffix } from '../fixing/edits';
import { isCopy, isRun, type CopyInstruction, type DockerfileModel, type Mount, type RunInstruction, type Stage } from '../model/model';
import type { Range } from '../model/types';

/** Whether `stage` is `ancestor` or is built FROM it, directly or not. */
export function inheritsFrom(stage: Stage, ancestor: Stage): boolean {
  // A FROM only names an earlier stage: the walk up always ends.
  for (let s: Stage | undefined = stage; s; s = s.image.stage) if (s === ancestor) return true;
  return false;
}

/** RUNs after `run` that see its layers: later in its stage, or in stages built FROM its stage. */
export function runsInheriting(model: DockerfileModel, run: RunInstruction): RunInstruction[] {
  return stageFamilyRuns(model, run.stage).filter((r) => r.position > run.position);
}

/** A stage and the stages built FROM it, directly or not, in file order. */
const stagesInheriting = perObjectAnd((model: DockerfileModel, stage: Stage): Stage[] => model.stages.filter((s) => inheritsFrom(s, stage)));

/**
 * Cache mounts of later RUNs (that read modules) laid over `dir`, where `run` downloaded modules
 * into a layer: the later step sees the cache's contents instead of the downloaded modules.
 */
export function mountsHidingModules(model: DockerfileModel, run: RunInstruction, dir: string): { run: RunInstruction; mount: Mount }[] {
  return runsInheriting(model, run)
    .filter((later) => later.go.some(readsModules))
    .flatMap((later) => {
      // Of nested mounts, the deepest is the one the step sees at `dir`.
      const covering = cacheMounts(later).filter((m) => mountCovers(m.targetResolved, dir));
      const deepest = covering.reduce<Mount | undefined>((a, m) => (!a || m.targetResolved!.length > a.targetResolved!.length ? m : a), undefined);
      return deepest ? [{ run: later, mount: deepest }] : [];
    });
}

export interface StageRead {
  /** The stage read from. */
  stage: Stage;
  /** Absolute path inside that stage. */
  path: string;
  range: Range;
  copy?: CopyInstruction;
}

function absolute(path: string): string {
  return posix.normalize(posix.join('/', path)).replace(/(.)\/$/, '$1');
}

/** Paths instructions read out of other stages: `COPY --from` sources and `RUN --mount=from=` binds. */
export const stageReads = perObject((model: DockerfileModel): readonly StageRead[] => {
  const reads: StageRead[] = [];
  const byName = (name: string) => model.stages.findLast((s) => s.name?.toLowerCase() === name.toLowerCase() || String(s.index) === name);
  for (const instruction of model.instructions) {
    // A stage cannot read from itself (Docker refuses the cycle): such a `--from` names an image.
    if (isCopy(instruction) && instruction.from?.stage && instruction.from.stage !== instruction.stage) {
      // Sources of `COPY --from` are resolved from the root of the other stage, not its WORKDIR.
      for (const source of instruction.sources) reads.push({ stage: instruction.from.stage, path: absolute(source.value), range: source.range, copy: instruction });
    } else if (isRun(instruction)) {
      for (const mount of instruction.mounts) {
        const stage = mount.type === 'bind' && mount.from ? byName(mount.from) : undefined;
        if (stage && stage !== instruction.stage) reads.push({ stage, path: absolute(mount.source ?? '/'), range: mount.range });
      }
    }
  }
  return reads;
});

function isTargetOption(name: string): boolean {
  return ['target', 'dst', 'destination'].includes(name.toLowerCase());
}

const OWNER_OPTIONS = new Set(['uid', 'gid']);

/** A mount's options on `target`; with `owner` (`,uid=…,gid=…`), that owner in place of its own. */
function optionsOn(mount: Mount, target: string, owner: string): string[] {
  return mount.flag.getOptions()
    .filter((o) => !owner || !OWNER_OPTIONS.has(o.getName().toLowerCase()))
    .map((o) => (isTargetOption(o.getName()) ? `${o.getName()}=${target}` : o.toString()));
}

/** A mount's own owner options (`,uid=…,gid=…` as written), or ''. */
export function ownerOptionsOf(mount: Mount): string {
  return mount.flag.getOptions().filter((o) => OWNER_OPTIONS.has(o.getName().toLowerCase())).map((o) => `,${o.toString()}`).join('');
}

/**
 * The `--mount=` flag for the same cache as `mount` (same id, sharing, owner and other options)
 * at `target`, with `owner` in place of its own owner when given. BuildKit names a cache after its
 * target when it has no id, so a moved target keeps the old name as its id.
 */
export function sameCacheMountFlag(mount: Mount, target = mount.targetResolved ?? mount.target ?? '', owner = ''): string {
  const options = optionsOn(mount, target, owner);
  if (!mount.id && mount.targetResolved && target !== mount.targetResolved) options.push(`id=${mount.targetResolved}`);
  return `--mount=${options.join(',')}${owner}`;
}

/** Whether a Go build of the stage writes its binary inside `dir`: a cache mount there would hide it. */
function holdsBuildOutput(model: DockerfileModel, stage: Stage, dir: string): boolean {
  return buildOutputs(model, stage).some((output) => mountCovers(dir, output));
}

/** Where the Go builds of a stage (and the stages it starts FROM) write their binaries, when known. */
const buildOutputs = perObjectAnd((model: DockerfileModel, stage: Stage): string[] =>
  goBuildsIn(stage).map((step) => resolvedOutput(model, step)?.replace(/(.)\/$/, '$1')).filter((o): o is string => o !== undefined));

/**
 * Whether what a stage puts in `dir` (a Go cache) must stay in an image layer rather than a cache
 * mount: some instruction copies it out of this stage (or a stage built FROM it), or a build
 * writes its binary inside (GOMODCACHE=/go with `-o /go/bin/app`).
 */
export function staysInLayer(model: DockerfileModel, stage: Stage, dir: string): boolean {
  const known = layerDirs(model);
  const key = `${stage.index}\0${dir}`;
  let answer = known.get(key);
  if (answer === undefined) {
    // A binary read out of a stage is the build's output, not the cache (holdsBuildOutput covers
    // a binary this stage writes inside `dir`; one a later stage builds there is its own layer).
    answer = stageReads(model).some((r) => inheritsFrom(r.stage, stage) && pathsOverlap(r.path, dir) && !readsBuildOutput(model, r)) || holdsBuildOutput(model, stage, dir);
    known.set(key, answer);
  }
  return answer;
}

function readsBuildOutput(model: DockerfileModel, read: StageRead): boolean {
  return buildOutputs(model, read.stage).some((output) => mountCovers(output, read.path));
}

/** Answers of staysInLayer, per model: each Go step of a stage asks about the same directories. */
const layerDirs = perObject((_model: DockerfileModel) => new Map<string, boolean>());

/**
 * Where a cache mount ends up once the file is fixed: GD005 moves a mount meant for a Go cache
 * onto the directory Go uses. Fixes that copy a stage's mount look at this, so what they copy
 * does not depend on whether the move happened before or after them.
 */
export function settledTarget(run: RunInstruction, mount: Mount): string | undefined {
  return misdirectedGoMounts(run).find((m) => m.mount === mount)?.retarget ?? mount.targetResolved;
}

/**
 * The owner (`,uid=…,gid=…`) of the caches of a stage's root steps: the first numeric non-root
 * user a Go step of the stage (or of a stage built FROM it) runs as, in file order. BuildKit sets
 * a cache's owner when the first step that mounts it creates it, so a root step's mount must say
 * the owner the other steps need. It depends on the stage's users only, so it is the same before
 * and after any mount is added.
 */
export function stageCacheOwner(model: DockerfileModel, stage: Stage | undefined): string {
  return stage ? ownerOfStage(model, stage) : '';
}

const ownerOfStage = perObjectAnd((model: DockerfileModel, stage: Stage): string => {
  // The users of the Go steps, and of the COPYs before the last one: a fix may put a Go step there
  // (GD001's download runs as its COPY's user), and the answer must not change when it does.
  const users = stagesInheriting(model, stage).flatMap((s) => {
    const lastGo = Math.max(-1, ...s.runs.filter((run) => run.go.length > 0).map((run) => run.position));
    return s.instructions.filter((i) => (isRun(i) && i.go.length > 0) || (isCopy(i) && i.position < lastGo));
  });
  return users.map(mountOwnerSuffix).find((suffix) => suffix !== '') ?? '';
});

/** The RUNs of a stage and of the stages built FROM it, which share what it leaves in its caches. */
export function stageFamilyRuns(model: DockerfileModel, stage: Stage | undefined): readonly RunInstruction[] {
  return stage ? familyRuns(model, stage) : [];
}

const familyRuns = perObjectAnd((model: DockerfileModel, stage: Stage): RunInstruction[] => stagesInheriting(model, stage).flatMap((s) => s.runs));

/**
 * The `--mount=` flag a fix adds for a cache on `target` in a step running as `ownerSuffix`'s
 * user: a copy of the existing mount on that directory of the stage (or of a stage built FROM
 * it) when there is one (same id and sharing, so it is the same cache), else a plain cache mount.
 * Its owner is the step's own user, or for a root step the stage's (stageCacheOwner): never
 * copied, so it does not depend on whether the copied mount got its owner before or after.
 * `onlyCache` limits the copy to mounts of that cache (its id, or its target when it has none).
 */
export function cacheMountFlagFor(model: DockerfileModel, stage: Stage | undefined, target: string, ownerSuffix: string, onlyCache?: string): string {
  const owner = ownerSuffix || stageCacheOwner(model, stage);
  // The stage's own mounts first, then those of the stages built FROM it, whose steps read what
  // this one leaves in the cache.
  for (const run of stageFamilyRuns(model, stage)) {
    const existing = cacheMounts(run).find((m) => settledTarget(run, m) === target && (onlyCache === undefined || (m.id ?? target) === onlyCache));
    if (!existing) continue;
    // Copied as GD005 moves it: the same options on the new target, so the copy is the same
    // before and after the move. A user known only by name keeps the copied owner.
    return `--mount=${optionsOn(existing, target, owner).join(',')}${owner}`;
  }
  return `--mount=type=cache,target=${target}${owner}`;
}
