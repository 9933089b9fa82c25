// How a Go command treats modules: GOPATH mode (GO111MODULE=off, a Go before modules, or no go.mod
// in the build context), vendor mode (-mod=vendor, GOFLAGS, or vendor/modules.txt beside a go.mod
// whose `go` line is 1.14 or later), or module mode, where modules are downloaded into GOMODCACHE
// unless go.mod requires none. Only module mode with requirements downloads anything and reads
// go.sum: module-download advice (GD001, GD002, GD004, GD006, the module half of GD003) asks here.
import * as posix from 'node:path/posix';
import { runsInheriting } from '../cache/cachemounts';
import { cacheMountsStartEmpty } from '../ci/describe';
import type { BuildSite } from '../ci/types';
import { perOwnedObjectAnd } from '../model/memo';
import { isCopy, isRun, type CopyInstruction, type DockerfileModel, type RunInstruction, type Stage } from '../model/model';
import type { CopySource } from '../model/sources';
import { isModuleDownload, misdirectedGoMounts, mountOnGoCache, runsIn } from './gofacts';
import { moduleOfCommand, contextHasModule, imageFileFromContext } from './commandmodule';
import { compiles, packageArgs, readsModules, type GoCommand } from './gocommand';
import { buildsFromStandardLibraryOnly } from './goImports';
import { moduleReadBy } from './modulefiles';
import { effectiveGoEnv } from './goenv';
import { compareGoVersions, type ModuleFacts } from './gomod';
import { goOlderThan } from './goversion';

export type ModuleMode = 'gopath' | 'module' | 'vendor';

export interface ModuleModeOf {
  /** undefined when the Dockerfile and the context do not tell: rules then advise as for modules. */
  mode: ModuleMode | undefined;
  /** Why, in words for a message: "GO111MODULE=off (ENV on line 3)". */
  because: string;
  /** The go.mod the command finds, when the context has it. */
  module?: ModuleFacts;
  /**
   * Whether the command's module has modules to download (and a go.sum to check them against):
   * false in GOPATH mode, vendor mode and for a go.mod with no requirements; true otherwise,
   * including when the analysis cannot tell.
   */
  downloads: boolean;
}

/** `-mod=…` in GOFLAGS, as go reads it (space-separated flags, one or two dashes). */
function modFlagIn(goflags: string | undefined): string | undefined {
  const m = /(?:^|\s)--?mod=(\S+)/.exec(goflags ?? '');
  return m?.[1];
}

/** Arguments like `golang.org/x/tools/cmd/goimports@v0.1.0`: installed in module mode, outside any local module. */
function namesVersionedPackage(go: GoCommand): boolean {
  return (go.subcommand === 'install' || go.subcommand === 'run') && go.args.some((a) => !a.value.startsWith('-') && /^[^@\s]+@\S+$/.test(a.value));
}

/** The command's module mode. */
export const moduleMode = perOwnedObjectAnd((model: DockerfileModel, run: RunInstruction, go: GoCommand): ModuleModeOf => readModuleMode(model, run, go));

function readModuleMode(model: DockerfileModel, run: RunInstruction, go: GoCommand): ModuleModeOf {
  const env = effectiveGoEnv(run, go);
  const gomodule = env.GO111MODULE?.value.toLowerCase();
  if (gomodule === 'off') return { mode: 'gopath', because: `GO111MODULE=off (${env.GO111MODULE!.because})`, downloads: false };
  if (goOlderThan(model, run, '1.11', go)) return { mode: 'gopath', because: 'the Go in the image predates modules (1.11)', downloads: false };
  if (namesVersionedPackage(go)) return { mode: 'module', because: 'a package@version is installed in module mode', downloads: true };
  const located = moduleOfCommand(model, run, go);
  const module = located.module;
  if (!module || located.imageModuleDir === undefined) {
    if (!model.context?.root || gomodule === 'on') return { mode: undefined, because: 'the module is not known', downloads: true };
    if (!contextHasModule(model.context) && located.noGoModInImage) {
      return { mode: 'gopath', because: 'the build context has no go.mod', downloads: false };
    }
    return { mode: undefined, because: 'the module is not known', downloads: true };
  }
  // Go 1.11 and 1.12 ignore go.mod inside GOPATH/src unless GO111MODULE=on.
  if (gomodule !== 'on' && goOlderThan(model, run, '1.13', go)) {
    const src = posix.join(env.GOPATH.value.split(':')[0] || env.GOPATH.value, 'src');
    if (located.imageModuleDir === src || located.imageModuleDir.startsWith(`${src}/`)) {
      return { mode: 'gopath', because: `Go before 1.13 ignores a go.mod inside GOPATH/src (${src})`, module, downloads: false };
    }
  }
  const own = compiles(go) || go.subcommand === 'generate' ? go.flags.get('mod')?.value : undefined;
  const fromGoflags = modFlagIn(env.GOFLAGS?.value);
  const explicit = own ?? fromGoflags;
  if (explicit === 'vendor') {
    return { mode: 'vendor', because: own ? '`-mod=vendor`' : `GOFLAGS=${env.GOFLAGS!.value} (${env.GOFLAGS!.because})`, module, downloads: false };
  }
  if (explicit === undefined && vendorsByDefault(model, run, go, module, located.imageModuleDir)) {
    return { mode: 'vendor', because: `${module.dir === '.' ? '' : `${module.dir}/`}vendor/modules.txt is copied and go.mod says go ${module.goMod.go}, so Go builds from vendor/`, module, downloads: false };
  }
  if (!compiles(go)) {
    // `go mod download` fetches modules for the builds after it: what they read decides whether the modules matter.
    const builds = laterBuildsIn(model, run, module);
    if (builds.length > 0 && builds.every((b) => moduleMode(model, b.run, b.go).mode === 'vendor')) {
      const first = builds[0];
      return { mode: 'vendor', because: `the builds after it use vendor/ (\`go ${first.go.subcommand}\` on line ${first.run.range.start.line + 1}: ${moduleMode(model, first.run, first.go).because})`, module, downloads: false };
    }
  }
  if (!module.requiresModules) return { mode: 'module', because: 'go.mod requires no modules', module, downloads: false };
  const packages = go.subcommand === 'build' || go.subcommand === 'install' ? builtPackageDirs(module, located.imageDir, located.imageModuleDir, go) : undefined;
  if (packages && model.context && buildsFromStandardLibraryOnly(model.context, module, packages)) {
    return { mode: 'module', because: 'the packages it builds import only the standard library and the module\'s own packages', module, downloads: false };
  }
  return { mode: 'module', because: 'go.mod requires modules', module, downloads: true };
}

/**
 * The context directories of the packages a `go build` or `go install` names (its directory when
 * it names none); undefined for a pattern (`./...`) or a package outside the module.
 */
function builtPackageDirs(module: ModuleFacts, imageDir: string | undefined, imageModuleDir: string, go: GoCommand): string[] | undefined {
  if (imageDir === undefined) return undefined;
  const args = packageArgs(go).map((w) => w.value);
  const modulePath = module.goMod.module ?? '';
  const dirs: string[] = [];
  for (const arg of args.length === 0 ? ['.'] : args) {
    if (arg.includes('...') || arg.includes('$')) return undefined;
    const inModule = modulePath !== '' && (arg === modulePath || arg.startsWith(`${modulePath}/`)) ? posix.join(imageModuleDir, arg.slice(modulePath.length + 1)) : undefined;
    if (inModule === undefined && !arg.startsWith('.') && !arg.startsWith('/') && !arg.endsWith('.go')) return undefined;
    const imagePath = inModule ?? posix.resolve(imageDir, arg.endsWith('.go') ? posix.dirname(arg) : arg);
    const rel = posix.relative(imageModuleDir, imagePath);
    if (rel.startsWith('..')) return undefined;
    dirs.push(rel === '' ? module.dir : posix.join(module.dir, rel));
  }
  return dirs;
}

/** The compiling commands after `run` (in its stage and the stages built FROM it) that find the same go.mod. */
function laterBuildsIn(model: DockerfileModel, run: RunInstruction, module: ModuleFacts): { run: RunInstruction; go: GoCommand }[] {
  const builds: { run: RunInstruction; go: GoCommand }[] = [];
  for (const later of runsInheriting(model, run)) {
    for (const go of later.go) {
      if (compiles(go) && moduleOfCommand(model, later, go).module?.dir === module.dir) builds.push({ run: later, go });
    }
  }
  return builds;
}

/** vendor/modules.txt in the image beside a go.mod whose `go` line is 1.14 or later, with a Go that knows it. */
function vendorsByDefault(model: DockerfileModel, run: RunInstruction, go: GoCommand, module: ModuleFacts, imageModuleDir: string): boolean {
  if (!module.hasVendor || !module.goMod.go) return false;
  if ((compareGoVersions(module.goMod.go, '1.14') ?? -1) < 0 || goOlderThan(model, run, '1.14', go)) return false;
  return imageFileFromContext(model, run, posix.join(imageModuleDir, 'vendor/modules.txt')) !== undefined;
}

/**
 * Whether module-download advice applies to the command: false in GOPATH mode, vendor mode and
 * for a go.mod with no requirements, where nothing is downloaded and go.sum is not read.
 */
export function downloadsModules(model: DockerfileModel, run: RunInstruction, go: GoCommand): boolean {
  return moduleMode(model, run, go).downloads;
}

/** Whether the command runs with modules at all (not GOPATH mode): go.mod advice applies. */
export function usesModules(model: DockerfileModel, run: RunInstruction, go: GoCommand): boolean {
  return moduleMode(model, run, go).mode !== 'gopath';
}

/**
 * Whether the command reads a go.mod this Dockerfile never copies from the build context: the
 * context is known, so is the directory the command runs in, yet no COPY puts a go.mod or go.work
 * at or above it, and the stage starts FROM an image the analysis does not know. The module then
 * comes with that image (a project's own dependencies image, for one), which may hold its modules
 * too: what the command downloads cannot be known, and module-download advice says nothing.
 */
export function goModFromBaseImage(model: DockerfileModel, run: RunInstruction, go: GoCommand): boolean {
  // A known image (golang, alpine…) holds no project's go.mod: without one copied, nothing is there.
  if (!model.context?.root || namesVersionedPackage(go) || run.stage?.chain[0]?.facts.family !== 'other') return false;
  const located = moduleOfCommand(model, run, go);
  if (located.imageDir === undefined || located.imageModuleDir !== undefined) return false;
  if (!contextHasModule(model.context) || moduleReadBy(model, run, go) !== undefined) return false;
  return effectiveGoEnv(run, go).GO111MODULE?.value.toLowerCase() !== 'off';
}

/**
 * The stage's first step that reads the module of the source: `go install tool@v1.2` (and `go run
 * tool@v1.2`) reads only the tool's modules, the same whatever the source, so a tool installed
 * before the source COPY does not stand for the download after it.
 */
function firstModuleStep(stage: Stage): { run: RunInstruction; go: GoCommand } | undefined {
  for (const run of runsIn(stage)) {
    const go = run.go.find((g) => readsModules(g) && !namesVersionedPackage(g));
    if (go) return { run, go };
  }
  return undefined;
}

/** A parent stage that already downloaded modules makes the child's order irrelevant. */
function inheritsDownload(stage: Stage): boolean {
  for (let parent = stage.image.stage; parent; parent = parent.image.stage) {
    if (parent.instructions.some((i) => isRun(i) && i.go.some(isModuleDownload))) return true;
  }
  return false;
}

/**
 * The stage's first step that reads modules, when it downloads them into the image each time it
 * runs: not in GOPATH or vendor mode, not under a parent that downloaded them, and not where the
 * step mounts the module cache itself on a persistent builder (in CI the mount starts empty).
 */
const downloadingStep = perOwnedObjectAnd((site: BuildSite | undefined, model: DockerfileModel, stage: Stage): { run: RunInstruction; go: GoCommand } | undefined => {
  const step = firstModuleStep(stage);
  if (!step || inheritsDownload(stage)) return undefined;
  if (goModFromBaseImage(model, step.run, step.go)) return undefined;
  // GOPATH mode, vendor mode, a go.mod without requirements: nothing is downloaded.
  if (!downloadsModules(model, step.run, step.go)) return undefined;
  // A mount meant for the module cache that misses its directory counts too: GD005 moves it there.
  const ownMount = mountOnGoCache(step.run, step.go, 'GOMODCACHE') || misdirectedGoMounts(step.run).some((m) => m.which === 'GOMODCACHE');
  // Only where the analysis knows where builds run: without that, it says what holds in CI too.
  if (ownMount && site !== undefined && !cacheMountsStartEmpty(site)) return undefined;
  return step;
});

/**
 * The source COPY of a stage that comes before its first step that reads modules, when that step
 * downloads them (GD001's finding): every source change then downloads all modules again. Rules
 * that would add module-cache mounts in the stage wait for GD001's fix.
 */
export const sourceBeforeDownload = perOwnedObjectAnd((site: BuildSite | undefined, model: DockerfileModel, stage: Stage): SourceBeforeDownload | undefined => {
  const step = downloadingStep(site, model, stage);
  const copy = step && stage.instructions.slice(0, stage.instructions.indexOf(step.run)).filter(isCopy).find((c) => copiesSource(model, c));
  return step && copy && { step, copy, source: sourceOf(copy) };
});

/**
 * Where a stage's first module step downloads after the source COPY of a stage it starts FROM (a
 * shared base stage that copies the tree for the stages built on it), with no step of those
 * stages reading modules: every source change downloads all modules again in this stage. GD001
 * names it on that COPY; no fix moves the download there, so the mounts other rules add stay.
 */
export function inheritedSourceBeforeDownload(site: BuildSite | undefined, model: DockerfileModel, stage: Stage): SourceBeforeDownload | undefined {
  const step = downloadingStep(site, model, stage);
  const copy = step && !sourceBeforeDownload(site, model, stage) ? inheritedSourceCopy(model, stage) : undefined;
  return step && copy && { step, copy, source: sourceOf(copy) };
}

export interface SourceBeforeDownload {
  step: { run: RunInstruction; go: GoCommand };
  copy: CopyInstruction;
  source: CopySource;
}

/** The source a COPY copies: the module, else the first source path. */
function sourceOf(copy: CopyInstruction): CopySource {
  return copy.sources.find((s) => s.kind === 'module') ?? copy.sources.find((s) => s.kind === 'source')!;
}

/**
 * A source of a COPY from the build context that is a Go module's source. With the context known,
 * Go files that belong to no go.mod of it are not (the module comes from elsewhere: a clone, the
 * base image), and copying go.mod first is no fix there.
 */
export function isModuleSource(model: DockerfileModel, source: CopySource): boolean {
  return source.kind === 'module' || (source.kind === 'source' && (!model.context?.root || source.moduleDir !== undefined));
}

function copiesSource(model: DockerfileModel, copy: CopyInstruction): boolean {
  return !copy.from && copy.sources.some((s) => isModuleSource(model, s));
}

/** The source COPY of a stage this one starts FROM, when no step of those stages reads modules. */
function inheritedSourceCopy(model: DockerfileModel, stage: Stage): CopyInstruction | undefined {
  const parents = stage.chain.slice(0, -1);
  if (parents.some((parent) => firstModuleStep(parent))) return undefined;
  for (const parent of parents) {
    const copy = parent.instructions.filter(isCopy).find((c) => copiesSource(model, c));
    if (copy) return copy;
  }
  return undefined;
}
