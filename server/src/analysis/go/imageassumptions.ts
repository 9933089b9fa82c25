// What Go's directories at a step take for granted about a base image the analysis does not know
// (a private registry's builder image, a name outside model/images.ts): such an image may set HOME,
// USER, GOPATH or GOCACHE in its config, and a builder image made FROM golang sets GOPATH=/go. The
// file can settle it: the variable set there, a package manager or adduser run with no USER (the
// steps run as root, whose HOME is /root), a USER the file creates, Go installed by the file (then
// no Go image set GOPATH). Without such evidence a rule says what it assumes, at info.
import { baseImageName } from '../model/imageref';
import { installedPackages } from '../model/packages';
import { isCopy, isRun, type DockerfileModel, type InstructionModel, type RunInstruction, type Stage } from '../model/model';
import { effectiveGoEnv, isRootUser, type GoEnvValue } from './goenv';
import type { GoCommand } from './gocommand';
import { archiveGoVersion } from './goversion';

/**
 * The reference of the image a stage starts from, when the analysis knows nothing of its config:
 * outside the image table and not a distribution's own image. undefined for a known image.
 */
export function unknownBaseImage(model: DockerfileModel, stage: Stage): string | undefined {
  return stage.facts.unknownConfig ? baseImageName(model, stage) : undefined;
}

/** Commands only root can run: a RUN with them and no USER shows the image's steps run as root. */
const ROOT_ONLY = new Set(['apk', 'apt-get', 'apt', 'yum', 'dnf', 'microdnf', 'adduser', 'addgroup', 'useradd', 'groupadd', 'update-ca-certificates']);

function chainRuns(stage: Stage): RunInstruction[] {
  return stage.chain.flatMap((s) => s.instructions.filter(isRun));
}

/** A RUN of the stage's chain, under the image's own user, runs a command only root can run. */
function imageUserIsRoot(stage: Stage): boolean {
  return chainRuns(stage).some((run) => !run.user && run.commands.some((c) => {
    const name = c.words[0]?.value ?? '';
    return ROOT_ONLY.has(name.slice(name.lastIndexOf('/') + 1));
  }));
}

/** The file creates the user (`adduser -S -D app`, `useradd -m app`): its home is where the file puts it. */
function userCreatedInFile(stage: Stage, name: string): boolean {
  return chainRuns(stage).some((run) => run.commands.some((c) => {
    const words = c.words.map((w) => w.value);
    return (words[0] === 'adduser' || words[0] === 'useradd') && words.slice(1).includes(name);
  }));
}

/** HOME at the step is settled by the file: set there, or the user it runs as is known to the file. */
function homeSettled(instruction: InstructionModel, home: GoEnvValue): boolean {
  if (!['default', 'user'].includes(home.origin.kind)) return true;
  const stage = instruction.stage!;
  const user = instruction.user;
  if (!user || isRootUser(user.name)) return !user ? imageUserIsRoot(stage) : true;
  const name = user.name.split(':')[0];
  return !/^\d+$/.test(name) && userCreatedInFile(stage, name);
}

/**
 * Go comes from the file (a release archive, a distribution package, a COPY of a Go image's
 * /usr/local/go), so no Go image set GOPATH.
 */
export function goInstalledByFile(stage: Stage): boolean {
  if (archiveGoVersion(stage)) return true;
  if (stage.chain.some((s) => s.instructions.some((i) => isCopy(i) && i.from !== undefined && i.destResolved?.replace(/\/$/, '') === '/usr/local/go'))) return true;
  return chainRuns(stage).some((run) => installedPackages(run).some((p) => p === 'go' || /^golang(-go|-\d[\d.]*(-go)?)?$/.test(p)));
}

export interface ImageAssumption {
  /** The base image, as the FROM names it once its ARGs are filled in. */
  image: string;
  /** The variables that image could set to put the directory elsewhere. */
  couldSet: string[];
}

const isDefault = (value: GoEnvValue) => value.origin.kind === 'derived' || value.origin.kind === 'default';

/**
 * What the directory Go uses for this cache at the step assumes about a base image the analysis
 * does not know; undefined where the image is known or the file settles the directory.
 */
export function unknownImageAssumption(model: DockerfileModel, instruction: InstructionModel, go: GoCommand | undefined, which: 'GOCACHE' | 'GOMODCACHE'): ImageAssumption | undefined {
  const couldSet = instruction.stage ? variablesThatCouldMove(instruction, go, which) : undefined;
  return couldSet ? { image: baseImageName(model, instruction.stage!), couldSet } : undefined;
}

/**
 * The variables an unknown base image could set to move Go's directory for this cache away from
 * the default the analysis works out; undefined where the image is known or the file settles it.
 */
export function variablesThatCouldMove(instruction: InstructionModel, go: GoCommand | undefined, which: 'GOCACHE' | 'GOMODCACHE'): string[] | undefined {
  const stage = instruction.stage;
  if (!stage?.facts.unknownConfig) return undefined;
  const env = effectiveGoEnv(instruction, go);
  if (!isDefault(env[which])) return undefined;
  if (which === 'GOCACHE') {
    // $XDG_CACHE_HOME/go-build: the file set XDG_CACHE_HOME.
    if (env.GOCACHE.origin.detail !== '$HOME/.cache/go-build' || homeSettled(instruction, env.HOME)) return undefined;
    return ['GOCACHE', 'HOME', 'USER'];
  }
  if (!isDefault(env.GOPATH)) return undefined;
  if (homeSettled(instruction, env.HOME) && goInstalledByFile(stage)) return undefined;
  return ['GOMODCACHE', 'GOPATH', 'HOME', 'USER'];
}

/** What two directories of one step assume together: the variables either could be moved by. */
export function bothAssumptions(a: ImageAssumption | undefined, b: ImageAssumption | undefined): ImageAssumption | undefined {
  if (!a || !b) return a ?? b;
  return { image: a.image, couldSet: [...new Set([...a.couldSet, ...b.couldSet])] };
}

/** "if `corp/builder:1` (a base image the analysis does not know) sets none of GOCACHE, HOME or USER". */
export function assumptionWords(assumption: ImageAssumption): string {
  const names = assumption.couldSet;
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
  return `if \`${assumption.image}\` (a base image the analysis does not know) sets none of ${list}`;
}

/** Packages that put a C compiler in the image: with one, Go turns cgo on by default. */
const C_COMPILERS = /^(gcc|g\+\+|clang|build-base|build-essential|cc|gcc-\d+|clang-\d+)$/;

/** The file installs a C compiler in the stage or the stages it starts FROM. */
export function cCompilerInstalled(stage: Stage): boolean {
  return chainRuns(stage).some((run) => installedPackages(run).some((p) => C_COMPILERS.test(p)));
}

/**
 * The C library of a stage's image as its package manager shows it: apk is Alpine's (musl),
 * apt, yum and dnf are glibc distributions'. undefined when the file runs none.
 */
export function libcShownByPackageManager(stage: Stage): 'musl' | 'glibc' | undefined {
  for (const run of chainRuns(stage)) {
    for (const c of run.commands) {
      const name = c.words[0]?.value ?? '';
      if (name === 'apk') return 'musl';
      if (/^(apt-get|apt|yum|dnf|microdnf)$/.test(name)) return 'glibc';
    }
  }
  return undefined;
}
