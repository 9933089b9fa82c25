import { effectiveGoEnv } from '../go/goenv';
import { isModuleDownload, misdirectedGoMounts, mountOnGoCache, runsIn } from '../go/gofacts';
import { cacheMountFlagFor, staysInLayer } from '../cache/cachemounts';
import { cutInstructionLines, dropMountEdit, indentOf, leadingCommentsStart, mountOwnerSuffix, safeMountTarget } from '../fixing/edits';
import { sourceBeforeDownload } from '../go/modulemode';
import { servedByModuleCacheMount } from '../go/gocommand';
import { isCopy, isRun, type CopyInstruction, type DockerfileModel, type InstructionModel, type Stage } from '../model/model';
import type { CopySource } from '../model/sources';
import type { Fix, TextEdit } from '../model/types';
import { defineRule } from './api';

function manifestDest(copy: CopyInstruction, source: CopySource): string {
  const dest = copy.dest?.value ?? './';
  if (source.kind !== 'module') return './';
  if (dest === '.' ) return './';
  return dest.endsWith('/') ? dest : `${dest}/`;
}

function manifestPaths(model: DockerfileModel, source: CopySource): string[] {
  const dir = source.moduleDir ?? (source.kind === 'module' ? source.value : '.');
  const clean = dir.replace(/^\.\/?/, '').replace(/\/+$/, '');
  const prefix = clean === '' || clean === '.' ? '' : `${clean}/`;
  const withSum = !model.context?.root || model.context.exists(`${prefix}go.sum`);
  return withSum ? [`${prefix}go.mod`, `${prefix}go.sum`] : [`${prefix}go.mod`];
}

/** Flags of the source COPY the manifest copy must share so ownership matches. */
function ownershipFlags(copy: CopyInstruction): string {
  const flags = (copy.node as unknown as { getFlags?(): { getName(): string; toString(): string }[] }).getFlags?.() ?? [];
  return flags.filter((f) => ['chown', 'chmod'].includes(f.getName().toLowerCase())).map((f) => `${f.toString()} `).join('');
}

/** Instructions between the source COPY and the download that the download may depend on. */
function environmentBetween(stage: Stage, from: InstructionModel, to: InstructionModel): InstructionModel[] {
  const all = stage.instructions;
  return all.slice(all.indexOf(from) + 1, all.indexOf(to)).filter((i) => ['ENV', 'WORKDIR', 'USER'].includes(i.keyword));
}

function buildFix(model: DockerfileModel, stage: Stage, copy: CopyInstruction, source: CopySource, inCi: boolean): Fix {
  const edits: TextEdit[] = [];
  // Above the comments that describe the source COPY, so they stay with it.
  const anchor = { line: leadingCommentsStart(model, copy), character: 0 };
  const insertAt = (text: string) => edits.push({ range: { start: anchor, end: anchor }, newText: text });
  const indent = indentOf(model, copy);
  const insertLine = (line: string) => insertAt(`${indent}${line}${model.eol}`);
  const laterRuns = stage.instructions.slice(stage.instructions.indexOf(copy) + 1).filter(isRun);
  const download = laterRuns.find((run) => run.go.some(isModuleDownload));
  const downloadOnly = download && download.commands.length === 1 && !download.heredoc && !download.execForm ? download : undefined;

  if (downloadOnly) {
    for (const between of environmentBetween(stage, copy, downloadOnly)) {
      const moved = cutInstructionLines(model, between);
      insertAt(moved.text);
      edits.push(moved.edit);
    }
  }
  // go.mod already copied above (without a download): the download is all that is missing, and
  // GD002 adds a missing go.sum to that COPY.
  const manifestCopied = stage.instructions.slice(0, stage.instructions.indexOf(copy))
    .some((i) => isCopy(i) && !i.from && i.sources.some((s) => s.kind === 'manifest' && /(^|\/)go\.(mod|\*)$/.test(s.value)));
  if (!manifestCopied) insertLine(`COPY ${ownershipFlags(copy)}${manifestPaths(model, source).join(' ')} ${manifestDest(copy, source)}`);
  if (downloadOnly) {
    const moved = cutInstructionLines(model, downloadOnly);
    insertAt(moved.text);
    edits.push(moved.edit);
  } else {
    const existing = download?.go.find(isModuleDownload);
    if (download && existing && download.commands[0] === existing.command && download.commands.length > 1 && existing.command.terminator === '&&') {
      // `RUN go mod download && go build …`: take the download out, it moves above the source.
      edits.push({ range: { start: existing.command.range.start, end: download.commands[1].range.start }, newText: '' });
      // Its module-cache mount goes with it when nothing left in that RUN needs one (GD003 would
      // not ask for it there either, so the fixes agree in any order).
      const mount = mountOnGoCache(download, existing, 'GOMODCACHE');
      if (mount && !download.go.some((g) => g !== existing && servedByModuleCacheMount(g))) {
        edits.push(dropMountEdit(model, mount));
      }
    }
    const modcache = effectiveGoEnv(copy).GOMODCACHE.value;
    // The download gets the module cache mount GD004 would ask for (reusing the stage's own mount,
    // id and owner included, so the build sees the same cache), unless another stage copies the
    // modules out of this one and needs them in a layer. Adding it here rather than leaving it to
    // GD004 makes the result the same whether GD003 mounted the build's module cache first or not.
    // In CI the download goes into the layer the exported cache carries: a mount would start empty (GD021).
    const flag = !inCi && safeMountTarget(modcache) && !staysInLayer(model, stage, modcache) ? `${cacheMountFlagFor(model, stage, modcache, mountOwnerSuffix(copy))} ` : '';
    insertLine(`RUN ${flag}go mod download`);
  }
  return { title: `Copy ${manifestPaths(model, source).map((p) => p.split('/').pop()).join(' and ')} and download modules before the source`, edits, preferred: true };
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
  check({ model, site, report }) {
    for (const stage of model.stages) {
      const found = sourceBeforeDownload(site, model, stage);
      if (!found) continue;
      const { step, copy, source } = found;
      const what = step.go.subcommand === 'mod download' ? '`go mod download`' : `\`go ${step.go.subcommand}\``;
      const manifests = manifestPaths(model, source).map((p) => p.split('/').pop()).join(' and ');
      report({
        range: source.range,
        message: `\`${copy.keyword} ${source.value}\` copies the module source before ${what} on line ${step.run.range.start.line + 1}: any change to any source file invalidates this layer, so every build downloads all modules again. Copy ${manifests} and run \`go mod download\` first.`,
        related: [{ range: step.go.nameRange, message: 'modules are downloaded here, after the source copy' }],
        // A module-cache mount GD005 can only fix with an ENV that moves GOMODCACHE: which mount
        // goes with the download depends on where GOMODCACHE ends up, so the fix waits for it.
        fixes: awaitsModuleCacheEnv(stage) ? [] : [buildFix(model, stage, copy, source, site?.where === 'ci')],
      });
    }
  },
});

