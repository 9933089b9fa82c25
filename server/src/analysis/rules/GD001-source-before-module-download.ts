import * as posix from 'node:path/posix';
import { effectiveGoEnv } from '../go/goenv';
import { listed, moduleReadBy, type ModuleRead } from '../go/modulefiles';
import { destinationFor } from '../model/imagefiles';
import { imageFileFromContext } from '../go/commandmodule';
import { accessMounts, downloadInlineEnv, downloadSetup, type DownloadSetup } from '../fixing/downloadsetup';
import { isModuleDownload, misdirectedGoMounts, mountOnGoCache, runsIn } from '../go/gofacts';
import { inheritedSourceBeforeDownload, sourceBeforeDownload } from '../go/modulemode';
import { cacheMountFlagFor, staysInLayer } from '../cache/cachemounts';
import { copyOwnershipFlags, cutInstructionLines, dropMountEdit, indentOf, leadingCommentsStart, mountOwnerSuffix, safeMountTarget } from '../fixing/edits';
import { readsModules, runsConditionally, servedByModuleCacheMount, type GoCommand } from '../go/gocommand';
import { isCopy, isRun, type CopyInstruction, type DockerfileModel, type InstructionModel, type RunInstruction, type Stage } from '../model/model';
import type { CopySource } from '../model/sources';
import type { Fix, TextEdit } from '../model/types';
import { defineRule } from './api';

function manifestDest(copy: CopyInstruction, source: CopySource): string {
  const dest = copy.dest?.value ?? './';
  if (source.kind !== 'module') return './';
  if (dest === '.') return './';
  return dest.endsWith('/') ? dest : `${dest}/`;
}

function manifestPaths(model: DockerfileModel, source: CopySource): string[] {
  const dir = source.moduleDir ?? (source.kind === 'module' ? source.value : '.');
  const clean = dir.replace(/^\.\/?/, '').replace(/\/+$/, '');
  const prefix = clean === '' || clean === '.' ? '' : `${clean}/`;
  const withSum = !model.context?.root || model.context.exists(`${prefix}go.sum`);
  return withSum ? [`${prefix}go.mod`, `${prefix}go.sum`] : [`${prefix}go.mod`];
}

/** The files to copy above the source: what the step reads first, where it reads them, less what is there already. */
interface ManifestCopies {
  /** COPY lines (without the keyword), grouped by destination directory. */
  lines: string[];
  /** Every manifest the step reads, for the title and message: `go.mod`, `go.sum`, `lib/go.mod`. */
  names: string[];
}

function manifestCopies(model: DockerfileModel, stage: Stage, copy: CopyInstruction, source: CopySource, step: ModuleStep, read: ModuleRead | undefined): ManifestCopies {
  if (!read) {
    // No build context to read, or no go.mod where the step looks: copy the module the source belongs to, as it is written.
    const paths = manifestPaths(model, source);
    return { lines: [`${copyOwnershipFlags(copy)}${paths.join(' ')} ${manifestDest(copy, source)}`], names: paths.map((p) => p.split('/').pop()!) };
  }
  const rootDir = posix.dirname(read.root.contextPath);
  const names = read.files.map((f) => (posix.dirname(f.contextPath) === rootDir ? posix.basename(f.contextPath) : f.contextPath));
  const byDir = new Map<string, string[]>();
  // go.mod already copied above the source (without a download): a missing go.sum is GD002's
  // finding, whose fix adds it to that COPY.
  const rootCopied = imageFileFromContext(model, copy, read.root.imagePath) !== undefined;
  for (const file of read.files) {
    // Already in the image above the source COPY (an earlier manifest COPY): nothing to add for it.
    if ((rootCopied && !file.required) || imageFileFromContext(model, copy, file.imagePath)) continue;
    const dir = posix.dirname(file.imagePath);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file.contextPath]);
  }
  const lines = [...byDir].map(([dir, files]) => `${copyOwnershipFlags(copy)}${files.join(' ')} ${destinationFor(dir, step.run.workdir)}`);
  return { lines, names };
}

type ModuleStep = { run: RunInstruction; go: GoCommand };

/**
 * The download the fix puts above the source: the stage's own `RUN go mod download` moved as it
 * is when it runs alone, else a new one run where the first module step runs. `step` is the RUN
 * and Go command it stands for: what it must find in the image, where and with what.
 */
function downloadPlan(stage: Stage, copy: CopyInstruction, first: ModuleStep): { download?: RunInstruction; downloadOnly?: RunInstruction; step: ModuleStep } {
  const laterRuns = stage.instructions.slice(stage.instructions.indexOf(copy) + 1).filter(isRun);
  const download = laterRuns.find((run) => run.go.some(isModuleDownload));
  const downloadOnly = download && download.commands.length === 1 && !download.heredoc && !download.execForm ? download : undefined;
  return { download, downloadOnly, step: downloadOnly ? { run: downloadOnly, go: downloadOnly.go.find(isModuleDownload)! } : first };
}

function buildFix(model: DockerfileModel, stage: Stage, copy: CopyInstruction, source: CopySource, step: ModuleStep, intoLayer: boolean): Fix | undefined {
  const edits: TextEdit[] = [];
  // Above the comments that describe the source COPY, so they stay with it.
  const anchor = { line: leadingCommentsStart(model, copy), character: 0 };
  const insertAt = (text: string) => edits.push({ range: { start: anchor, end: anchor }, newText: text });
  const indent = indentOf(model, copy);
  const insertLine = (line: string) => insertAt(`${indent}${line}${model.eol}`);
  const moveUp = (instruction: InstructionModel) => {
    const moved = cutInstructionLines(model, instruction);
    insertAt(moved.text);
    edits.push(moved.edit);
  };
  const { download, downloadOnly } = downloadPlan(stage, copy, step);
  const setup = downloadSetup(model, stage, copy, step.run, step.go, downloadOnly !== undefined);
  if (!setup) return undefined;
  const read = moduleReadBy(model, step.run, step.go);
  // `go mod download` fails in a workspace whose modules require each other at versions that were
  // never published (Go looks them up although the workspace provides them): no download to add.
  if (read?.mode === 'workspace' && read.requiresOwnModule) return undefined;
  const { lines, names } = manifestCopies(model, stage, copy, source, step, read);

  for (const instruction of setup.moved) moveUp(instruction);
  // go.mod already copied above (without a download): the download is all that is missing, and
  // GD002 adds a missing go.sum to that COPY.
  const manifestCopied = !read && stage.instructions.slice(0, stage.instructions.indexOf(copy))
    .some((i) => isCopy(i) && !i.from && i.sources.some((s) => s.kind === 'manifest' && /(^|\/)go\.(mod|\*)$/.test(s.value)));
  if (!manifestCopied) for (const line of lines) insertLine(`COPY ${line}`);
  if (downloadOnly) {
    moveUp(downloadOnly);
  } else {
    const existing = download?.go.find(isModuleDownload);
    if (download && existing && download.commands[0] === existing.command && download.commands.length > 1 && existing.command.terminator === '&&') {
      // `RUN go mod download && go build …`: take the download out, it moves above the source.
      edits.push({ range: { start: existing.command.range.start, end: download.commands[1].range.start }, newText: '' });
      // Its module-cache mount goes with it when nothing left in that RUN reads modules.
      const mount = mountOnGoCache(download, existing, 'GOMODCACHE');
      if (mount && !download.go.some((g) => g !== existing && servedByModuleCacheMount(g))) {
        edits.push(dropMountEdit(model, mount));
      }
    }
    const modcache = effectiveGoEnv(step.run, step.go).GOMODCACHE.value;
    // The download gets the module cache mount GD004 would ask for (reusing the stage's own mount,
    // id and owner included, so the build sees the same cache), unless another stage copies the
    // modules out of this one and needs them in a layer. Adding it here rather than leaving it to
    // GD004 makes the result the same whether GD003 mounted the build's module cache first or not.
    // In CI the download goes into the layer the exported cache carries: a mount would start empty
    // (GD021). A file the classic builder also builds (through Docker's API) cannot take RUN --mount.
    const cacheFlag = !intoLayer && safeMountTarget(modcache) && !staysInLayer(model, stage, modcache) ? [cacheMountFlagFor(model, stage, modcache, mountOwnerSuffix(step.run))] : [];
    // Secrets and ssh the step had (private modules), and the commands and inline variables it ran with.
    const flags = [...accessMounts(model, step.run), ...cacheFlag].map((f) => `${f} `).join('');
    const command = [...downloadInlineEnv(step.go), 'go mod download'].join(' ');
    insertLine(`RUN ${flags}${[...downloadPrefix(setup, step.run, read), command].join(' && ')}`);
  }
  return { title: `Copy ${listed(names)} and download modules before the source`, edits, preferred: true };
}

/**
 * The commands the new download RUN starts with. A `cd` of the step goes to a directory of the
 * source, which is not there yet above the source COPY (`cd weed && go build`): where the analysis
 * knows where go.mod lands, the download runs there instead (Go needs nothing else).
 */
function downloadPrefix(setup: DownloadSetup, run: RunInstruction, read: ModuleRead | undefined): string[] {
  if (!setup.changesDirectory || !read) return setup.prefix;
  const moduleDir = posix.dirname(read.root.imagePath);
  const rest = setup.prefix.filter((text) => !/^cd(\s|$)/.test(text.trim()));
  return posix.normalize(moduleDir) === posix.normalize(run.workdir) ? rest : [`cd ${moduleDir}`, ...rest];
}

function stageLabel(stage: Stage): string {
  return `\`${stage.name ?? stage.index}\``;
}

function awaitsModuleCacheEnv(stage: Stage): boolean {
  return runsIn(stage).some((run) => misdirectedGoMounts(run).some((m) => m.which === 'GOMODCACHE' && !m.retarget));
}

export default defineRule({
  id: 'GD001',
  name: 'source-before-module-download',
  severity: 'warning',
  summary: 'The module source is copied before its dependencies are downloaded, so any source change downloads every module again.',
  fixable: true,
  needsCache: true,
  scoped: true,
  check({ model, site, inScope, report }) {
    for (const stage of model.stages) {
      if (!inScope(stage)) continue;
      // A source COPY of this stage that the stages built FROM it download after: reported once,
      // looking at the stage that copies (it relates to all of them), for the first such stage.
      const heirs = model.stages.filter((s) => s !== stage && s.chain.includes(stage) && inheritedSourceBeforeDownload(site, model, s)?.copy.stage === stage);
      const found = sourceBeforeDownload(site, model, stage) ?? (heirs.length > 0 ? inheritedSourceBeforeDownload(site, model, heirs[0]) : undefined);
      if (!found) continue;
      const { step, copy, source } = found;
      const inherited = step.run.stage !== stage;
      // The message names what the RUN always runs (`make build`'s go build), not a `go test` behind
      // an `if` before it; the fix still puts the download above the first step.
      const named = runsConditionally(step.go) ? step.run.go.find((g) => readsModules(g) && !runsConditionally(g)) ?? step.go : step.go;
      const what = named.subcommand === 'mod download' ? '`go mod download`' : `\`go ${named.subcommand}\``;
      const plan = downloadPlan(stage, copy, step);
      const read = moduleReadBy(model, plan.step.run, plan.step.go);
      const manifests = listed(read ? manifestCopies(model, stage, copy, source, plan.step, read).names : manifestPaths(model, source).map((p) => p.split('/').pop()!));
      const replaced = read?.files.filter((f) => f.required && f !== read.files[0]) ?? [];
      const why = replaced.length > 0 ? ` (Go reads ${listed(replaced.map((f) => f.contextPath))} before downloading: ${listed(replaced.map((f) => f.reason))})` : '';
      const own = read?.mode === 'workspace' ? read.requiresOwnModule : undefined;
      const advice = own
        ? `\`go mod download\` cannot be that step in this workspace: ${own.file} requires ${own.path} ${own.version}, another module of the workspace, and the download looks that version up. Keep the modules in a cache mount on GOMODCACHE of the build instead.`
        : `Copy ${manifests}${why} and run \`go mod download\` first.`;
      const where = inherited ? ` in stage ${stageLabel(step.run.stage!)}, built FROM this one${heirs.length > 1 ? ` (and ${heirs.length - 1} more such stage${heirs.length > 2 ? 's' : ''})` : ''}` : '';
      report({
        range: source.range,
        message: `\`${copy.keyword} ${source.value}\` copies the module source before ${what} on line ${step.run.range.start.line + 1}${where}: any change to any source file invalidates this layer, so every build downloads all modules again${heirs.length > 1 ? ', in each of those stages' : ''}. ${advice}`,
        related: [{ range: named.nameRange, message: 'modules are downloaded here, after the source copy' }],
        // A module-cache mount GD005 can only fix with an ENV that moves GOMODCACHE: which mount
        // goes with the download depends on where GOMODCACHE ends up, so the fix waits for it.
        // The download would go into this stage, set up by steps of another: no fix moves those.
        fixes: inherited || awaitsModuleCacheEnv(stage) ? [] : [buildFix(model, stage, copy, source, plan.step, site?.where === 'ci' || site?.classicBuilder !== undefined)].filter((f): f is Fix => f !== undefined),
      });
    }
  },
});

