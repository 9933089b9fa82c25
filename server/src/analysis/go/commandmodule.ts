// Which go.mod a Go command finds: the directory it runs in (WORKDIR, then `cd` earlier in the
// same RUN, then `-C`), and from there up to / the first directory of the image that holds a
// go.mod, traced back through the COPY instructions of the stage (and the stages it starts FROM)
// to the build context. Go itself looks the same way: the nearest go.mod at or above its directory.
import * as posix from 'node:path/posix';
import { expandVariables, referencedVariables } from '../parse/expand';
import { normalizeContextPath, type BuildContext } from '../model/context';
import { globPattern } from '../model/sources';
import { perObject, perOwnedObjectAnd } from '../model/memo';
import { isCopy, isRun, type CopyInstruction, type DockerfileModel, type InstructionModel, type RunInstruction } from '../model/model';
import { moduleFacts, type ModuleFacts } from './gomod';
import type { GoCommand } from './gocommand';

export interface CommandModule {
  /** The directory of the image the command runs in; undefined when a `cd` cannot be followed. */
  imageDir?: string;
  /** The image directory holding the go.mod the command finds. */
  imageModuleDir?: string;
  /** That go.mod as the build context has it. */
  module?: ModuleFacts;
  /**
   * Whether the image can be told to hold no go.mod at or above the command's directory: every
   * file in the stage came from the build context (or a stage whose files are known), and none
   * of the COPYs brings a go.mod there. False when something else may have put one there.
   */
  noGoModInImage: boolean;
}

/** A directory as the shell sees it after expansion; undefined when it rests on a value not known. */
function shellPath(written: string, run: RunInstruction, from: string): string | undefined {
  const lookup = (name: string) => run.env.get(name)?.value;
  if (referencedVariables(written).some((name) => lookup(name) === undefined)) return undefined;
  const expanded = expandVariables(written, lookup, '\\');
  if (expanded === '' || /[$`*?[]/.test(expanded) || expanded.startsWith('~') || expanded === '-') return undefined;
  return posix.normalize(expanded.startsWith('/') ? expanded : posix.join(from, expanded));
}

/** The directory the command runs in: the WORKDIR, then each `cd` before it in the same RUN, then `-C`. */
export function commandDirectory(run: RunInstruction, go: Pick<GoCommand, 'command' | 'flags'>): string | undefined {
  let dir: string | undefined = run.workdir;
  const index = run.commands.indexOf(go.command);
  const before = index >= 0 ? run.commands.slice(0, index) : [];
  for (const command of before) {
    if (command.words[0]?.value !== 'cd' || dir === undefined) continue;
    const target = command.words[1]?.value;
    // `cd` alone goes to HOME, which the analysis does not follow.
    dir = target === undefined ? undefined : shellPath(target, run, dir);
  }
  const chdir = go.flags.get('C')?.value;
  if (chdir !== undefined && dir !== undefined) dir = shellPath(chdir, run, dir);
  return dir;
}

/** A COPY source's last segment (`go.*`, `go.[ms]*`) as a test of one file name. */
function baseMatches(pattern: string, name: string): boolean {
  return /[*?[]/.test(pattern) ? globPattern(pattern).test(name) : pattern === name;
}

/**
 * The context path a COPY puts at `imagePath`, if it puts something there. Directory sources copy
 * their contents into the destination; a file goes into a destination ending in `/` (or given
 * several sources) under its own name, otherwise to the destination itself.
 */
function contextPathBy(copy: CopyInstruction, imagePath: string, context: BuildContext): string | undefined {
  const dest = copy.destResolved;
  if (!dest) return undefined;
  const destDir = dest.replace(/(.)\/$/, '$1');
  // `COPY go.mod /src` with WORKDIR /src copies into the directory that exists there.
  const intoDirectory = dest.endsWith('/') || copy.sources.length > 1 || destDir === copy.workdir || copy.workdir.startsWith(`${destDir}/`);
  for (const source of [...copy.sources].reverse()) {
    const path = normalizeContextPath(source.value);
    if (/^[a-z]+:\/\//i.test(source.value) || path.startsWith('..')) continue;
    const base = posix.basename(path);
    const dir = posix.dirname(path);
    if (/[*?[]/.test(dir)) continue;
    if (/[*?[]/.test(base) || (path !== '.' && !context.isDirectory(path))) {
      // A file (or files matching a glob) named after itself in a directory, or renamed.
      const wanted = posix.basename(imagePath);
      const landsIn = intoDirectory || /[*?[]/.test(base) ? destDir : undefined;
      if (landsIn !== undefined) {
        if (posix.dirname(imagePath) === landsIn && baseMatches(base, wanted)) {
          const candidate = dir === '.' ? wanted : `${dir}/${wanted}`;
          if (context.exists(candidate) && !context.isDirectory(candidate)) return candidate;
        }
      } else if (imagePath === destDir && context.exists(path)) {
        return path;
      }
      continue;
    }
    // A directory: its contents land under the destination.
    if (imagePath === destDir || imagePath.startsWith(destDir === '/' ? '/' : `${destDir}/`)) {
      const rel = destDir === '/' ? imagePath.slice(1) : imagePath.slice(destDir.length + 1);
      const candidate = normalizeContextPath(path === '.' ? rel || '.' : rel ? `${path}/${rel}` : path);
      if (context.exists(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Instructions of the stage and the stages it starts FROM that run before `instruction`. */
function instructionsBefore(instruction: InstructionModel): InstructionModel[] {
  const stage = instruction.stage;
  if (!stage) return [];
  const out: InstructionModel[] = [];
  for (const s of stage.chain) {
    for (const i of s.instructions) {
      if (s === stage && i.position >= instruction.position) break;
      out.push(i);
    }
  }
  return out;
}

/**
 * The build-context file the image holds at `imagePath` when `instruction` runs, by the last COPY
 * from the context that puts one there (and that .dockerignore lets through).
 */
export function imageFileFromContext(model: DockerfileModel, instruction: InstructionModel, imagePath: string): string | undefined {
  return imageFileCopy(model, instruction, imagePath)?.contextPath;
}

/**
 * imageFileFromContext with the COPY that puts the file there. Rules ask it for the same paths
 * (go.mod, go.sum, go.work up the directory tree) again and again: answered once per instruction
 * and path.
 */
export const imageFileCopy = perOwnedObjectAnd((model: DockerfileModel, instruction: InstructionModel, imagePath: string): { contextPath: string; copy: CopyInstruction } | undefined => {
  const context = model.context;
  if (!context?.root) return undefined;
  const copies = contextCopiesBefore(instruction);
  for (let i = copies.length - 1; i >= 0; i--) {
    const found = contextPathBy(copies[i], imagePath, context);
    if (found !== undefined && !model.dockerignore.ignores(found)) return { contextPath: found, copy: copies[i] };
  }
  return undefined;
});

/** The COPYs and ADDs from the build context (not another stage, not a here-document) before `instruction`. */
const contextCopiesBefore = perObject((instruction: InstructionModel): CopyInstruction[] => instructionsBefore(instruction).filter(isCopy).filter((c) => !c.from && !c.heredoc));

/** Commands that bring files into the image from elsewhere than the build context. */
const FETCHES = /^(git|wget|curl|go|tar|unzip|svn|hg)$/;

/**
 * Whether every file of the image at `instruction` can be accounted for: no COPY from another
 * stage or image, no ADD of a URL, no RUN that clones, fetches or creates a module (`go mod init`).
 */
const filesAccountedFor = perObject((instruction: InstructionModel): boolean => {
  for (const i of instructionsBefore(instruction)) {
    if (isCopy(i) && (i.from || i.sources.some((s) => /^[a-z]+:\/\//i.test(s.value) || s.value.startsWith('git@')))) return false;
    if (isRun(i)) {
      for (const command of i.commands) {
        const name = command.words[0]?.value ?? '';
        if (!FETCHES.test(posix.basename(name))) continue;
        if (name === 'go' || name.endsWith('/go')) {
          if (command.words[1]?.value === 'mod' && command.words[2]?.value === 'init') return false;
          continue;
        }
        return false;
      }
      if (i.mounts.some((m) => m.type === 'bind' && m.from)) return false;
    }
  }
  return true;
});

/** Whether the build context holds a go.mod or go.work anywhere (a GOPATH-mode repository holds none). */
export const contextHasModule = perObject((context: BuildContext): boolean => {
  if (context.exists('go.mod') || context.exists('go.work')) return true;
  return context.listFiles('.', 5000).some((f) => /(^|\/)go\.(mod|work)$/.test(f));
});

/** The module a Go command runs in, as far as the Dockerfile and the build context tell. */
export const moduleOfCommand = perOwnedObjectAnd((model: DockerfileModel, run: RunInstruction, go: GoCommand): CommandModule => locateModule(model, run, go));

function locateModule(model: DockerfileModel, run: RunInstruction, go: GoCommand): CommandModule {
  const imageDir = commandDirectory(run, go);
  if (!model.context?.root || imageDir === undefined) return { imageDir, noGoModInImage: false };
  for (let dir = imageDir; ; dir = posix.dirname(dir)) {
    const found = imageFileFromContext(model, run, posix.join(dir, 'go.mod'));
    if (found !== undefined) {
      const module = moduleFacts(model.context, posix.dirname(found));
      return { imageDir, imageModuleDir: dir, module, noGoModInImage: false };
    }
    if (dir === '/') break;
  }
  return { imageDir, noGoModInImage: filesAccountedFor(run) };
}
