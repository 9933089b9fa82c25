// The files a Go command reads before it can download or build anything, and where in the image it
// reads them: the go.mod of the module it runs in (found upwards from its directory) and go.sum
// beside it, the go.mod of each module that go.mod replaces with a local directory, or, in
// workspace mode (a go.work found upwards, GOWORK not off), go.work, go.work.sum and the go.mod
// and go.sum of every module the workspace uses. Without a replaced module's go.mod the command
// fails (`reading lib/go.mod: open /src/lib/go.mod: no such file or directory`).
import * as posix from 'node:path/posix';
import { mayBeWrittenOtherwise } from '../model/imagefiles';
import { commandDirectory, imageFileCopy } from './commandmodule';
import { perObject } from '../model/memo';
import type { CopyInstruction, DockerfileModel, RunInstruction } from '../model/model';
import type { GoCommand } from './gocommand';
import { goSetting } from './goenv';
import { moduleFacts, replacementApplies, workspaceFile, type GoModFile, type GoModReplace } from './gomod';

export interface ManifestFile {
  contextPath: string;
  /** Absolute path where the Go command reads it. */
  imagePath: string;
  /** Why Go reads it, for messages: "`replace example.com/lib => ./lib` on go.mod line 7". */
  reason: string;
  /** Go fails without it; without go.sum or go.work.sum it only cannot check what it downloads. */
  required: boolean;
}

export interface ModuleRead {
  mode: 'module' | 'workspace';
  /** The directory the Go command runs in. */
  dir: string;
  /** go.mod (module mode) or go.work (workspace mode) as the command finds it. */
  root: { contextPath: string; copy: CopyInstruction; imagePath: string };
  /** Every file the command reads before it reads any source, the root first. */
  files: ManifestFile[];
  /** A workspace module that requires another one, which `go mod download` then looks up by version (and fails on one never published). */
  requiresOwnModule?: { file: string; path: string; version: string };
}

function parentDirs(dir: string): string[] {
  const out = [dir];
  for (let d = dir; d !== '/';) out.push((d = posix.dirname(d)));
  return out;
}

function envValue(run: RunInstruction, go: GoCommand, name: string): string | undefined {
  return goSetting(run, go, name)?.value;
}

function replaceText(replace: GoModReplace): string {
  return `replace ${replace.from}${replace.fromVersion ? ` ${replace.fromVersion}` : ''} => ${replace.to}`;
}

function readBy(model: DockerfileModel, run: RunInstruction, go: GoCommand): ModuleRead | undefined {
  const context = model.context;
  const stage = run.stage;
  if (!context || !stage) return undefined;
  const dir = commandDirectory(run, go);
  if (!dir) return undefined;
  const at = (imagePath: string) => imageFileCopy(model, run, imagePath);
  const files: ManifestFile[] = [];
  const add = (contextPath: string, imagePath: string, reason: string, required: boolean) => {
    if (!context.exists(contextPath) || model.dockerignore.ignores(contextPath) || files.some((f) => f.imagePath === imagePath)) return;
    files.push({ contextPath, imagePath, reason, required });
  };
  // A module's local replacements, each relative to the directory of the go.mod that names it.
  const addReplaces = (goMod: GoModFile, contextDir: string, imageDir: string, where: string) => {
    for (const replace of goMod.replaces) {
      if (!replace.local || replace.to.startsWith('/') || !replacementApplies(goMod, replace)) continue;
      const contextPath = posix.normalize(posix.join(contextDir, replace.to, 'go.mod'));
      if (contextPath.startsWith('../')) continue;
      add(contextPath, posix.join(imageDir, replace.to, 'go.mod'), `\`${replaceText(replace)}\` on ${where} line ${replace.line + 1}`, true);
    }
  };

  const gowork = envValue(run, go, 'GOWORK');
  if (gowork !== 'off') {
    // GOWORK names the file (an absolute path); otherwise Go looks for go.work upwards.
    const candidates = gowork ? (gowork.startsWith('/') ? [gowork] : []) : parentDirs(dir).map((d) => posix.join(d, 'go.work'));
    if (gowork && candidates.length === 0) return undefined;
    for (const imagePath of candidates) {
      const found = at(imagePath);
      if (!found) continue;
      const work = workspaceFile(context, posix.dirname(found.contextPath) || '.');
      if (!work) return undefined;
      const workContext = posix.dirname(found.contextPath);
      const workImage = posix.dirname(imagePath);
      add(found.contextPath, imagePath, 'the workspace file', true);
      add(posix.join(workContext, 'go.work.sum'), posix.join(workImage, 'go.work.sum'), 'the workspace checksums', false);
      for (const use of work.uses) {
        const moduleContext = posix.normalize(posix.join(workContext, use.dir));
        if (moduleContext.startsWith('../')) continue;
        const moduleImage = posix.join(workImage, use.dir);
        add(posix.join(moduleContext, 'go.mod'), posix.join(moduleImage, 'go.mod'), `\`use ${use.dir}\` on go.work line ${use.line + 1}`, true);
        add(posix.join(moduleContext, 'go.sum'), posix.join(moduleImage, 'go.sum'), `the checksums of ${use.dir}`, false);
        const facts = moduleFacts(context, moduleContext);
        if (facts) addReplaces(facts.goMod, moduleContext, moduleImage, `${posix.join(use.dir, 'go.mod')}`);
      }
      // The workspace's own replacements apply to whatever any of its modules requires.
      for (const replace of work.replaces) {
        if (!replace.local || replace.to.startsWith('/')) continue;
        const contextPath = posix.normalize(posix.join(workContext, replace.to, 'go.mod'));
        if (!contextPath.startsWith('../')) add(contextPath, posix.join(workImage, replace.to, 'go.mod'), `\`${replaceText(replace)}\` on go.work line ${replace.line + 1}`, true);
      }
      const members = work.uses.map((use) => moduleFacts(context, posix.normalize(posix.join(workContext, use.dir))));
      const paths = new Set(members.map((m) => m?.goMod.module).filter((m): m is string => m !== undefined));
      // A replace of that module, in go.work or in any member's go.mod (workspace mode combines
      // them), stands in for the version: Go looks nothing up for it.
      const replaces = [...work.replaces, ...members.flatMap((m) => m?.goMod.replaces ?? [])];
      const replaced = (r: { path: string; version: string }) => replaces.some((x) => x.from === r.path && (x.fromVersion === undefined || x.fromVersion === r.version));
      let requiresOwnModule: ModuleRead['requiresOwnModule'];
      for (const member of members) {
        const own = member?.goMod.requires.find((r) => paths.has(r.path) && !replaced(r));
        if (member && own && !requiresOwnModule) requiresOwnModule = { file: posix.join(member.dir, 'go.mod'), path: own.path, version: own.version };
      }
      return { mode: 'workspace', dir, root: { ...found, imagePath }, files, requiresOwnModule };
    }
  }

  for (const d of parentDirs(dir)) {
    const imagePath = posix.join(d, 'go.mod');
    const found = at(imagePath);
    if (!found) continue;
    const moduleContext = posix.dirname(found.contextPath);
    const facts = moduleFacts(context, moduleContext);
    if (!facts) return undefined;
    add(found.contextPath, imagePath, 'the module file', true);
    add(posix.join(moduleContext, 'go.sum'), posix.join(d, 'go.sum'), 'the module checksums', false);
    addReplaces(facts.goMod, moduleContext, d, 'go.mod');
    return { mode: 'module', dir, root: { ...found, imagePath }, files };
  }
  return undefined;
}

/**
 * What a Go command of a RUN reads before any source (with the COPYs above it as the image's
 * files), or undefined when that cannot be known: no build context, a `cd` to a computed
 * directory, no go.mod or go.work the COPYs put where the command looks.
 */
export function moduleReadBy(model: DockerfileModel, run: RunInstruction, go: GoCommand): ModuleRead | undefined {
  const byCommand = readsOf(model);
  if (!byCommand.has(go)) byCommand.set(go, readBy(model, run, go));
  return byCommand.get(go);
}

/** Answers per model: a Go command belongs to one RUN of one model, whose context it is read against. */
const readsOf = perObject((_model: DockerfileModel) => new Map<GoCommand, ModuleRead | undefined>());

/** The files of `read` not in the image when the command runs (and not possibly put there by a COPY --from or ADD of a URL). */
export function missingManifests(run: RunInstruction, read: ModuleRead, model: DockerfileModel): ManifestFile[] {
  const stage = run.stage;
  if (!stage) return [];
  return read.files.filter((f) => !imageFileCopy(model, run, f.imagePath) && !mayBeWrittenOtherwise(stage, run.position, f.imagePath));
}

/** `a`, `a and b`, `a, b and c`: files and reasons in a message. */
export function listed(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
