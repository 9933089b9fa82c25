import * as posix from 'node:path/posix';
import { compiles, readsModules, type GoCommand } from '../go/gocommand';
import { compareGoVersions, goMinorVersion, moduleFacts, workspaceFile } from '../go/gomod';
import { goVersionOfTag } from '../go/goversion';
import { moduleReadBy } from '../go/modulefiles';
import { stageFamilyRuns } from '../cache/cachemounts';
import { referencedVariables } from '../parse/expand';
import { imageTagRange, resolvedImage } from '../model/imageref';
import { repositoryPath } from '../model/images';
import { isArg, type ArgInstruction, type DockerfileModel, type RunInstruction, type Stage } from '../model/model';
import type { Fix, Range, Severity } from '../model/types';
import { defineRule } from './api';

/** The official golang images set GOTOOLCHAIN=local from Go 1.21 on: an older image knows no toolchain switching. */
const TOOLCHAIN_AWARE = '1.21';

/** The first Go step, in the stage or a stage built FROM it, whose module (or workspace) can be read. */
function firstGoStep(model: DockerfileModel, stage: Stage): { run: RunInstruction; go: GoCommand; required: NonNullable<ReturnType<typeof requiredGo>> } | undefined {
  for (const run of stageFamilyRuns(model, stage)) {
    for (const go of run.go.filter((g) => compiles(g) || readsModules(g))) {
      const required = requiredGo(model, run, go);
      if (required) return { run, go, required };
    }
  }
  return undefined;
}

/** What the module (or workspace) the step reads asks for: its `go` line, its `toolchain` line, and which file says so. */
function requiredGo(model: DockerfileModel, run: RunInstruction, go: GoCommand): { go?: string; goLine?: number; toolchain?: string; file: string } | undefined {
  const read = moduleReadBy(model, run, go);
  if (!read || !model.context) return undefined;
  const dir = posix.dirname(read.root.contextPath);
  if (read.mode === 'workspace') {
    const work = workspaceFile(model.context, dir);
    return work ? { go: work.go, toolchain: work.toolchain, file: read.root.contextPath } : undefined;
  }
  const mod = moduleFacts(model.context, dir)?.goMod;
  return mod ? { go: mod.go, goLine: mod.goLine, toolchain: mod.toolchain, file: read.root.contextPath } : undefined;
}

/** Whether an image tag's Go is at least `wanted`: `1.22` stands for the newest 1.22.x, `1.22.3` for itself. */
function imageHas(imageVersion: string, wanted: string): boolean {
  const exact = /^\d+\.\d+\.\d+$/.test(imageVersion) || /(rc|beta)\d+$/.test(imageVersion);
  if (exact) return (compareGoVersions(imageVersion, wanted) ?? 0) >= 0;
  const minorWanted = goMinorVersion(wanted);
  return minorWanted === undefined || (compareGoVersions(imageVersion, minorWanted) ?? 0) >= 0;
}

/** GOTOOLCHAIN as the step sees it: set inline, by ENV or ARG, else the image's `local`; undefined when only known at build time. */
function toolchainMode(run: RunInstruction, go: GoCommand): { value: string; where: string } | undefined {
  const inline = go.inlineEnv.get('GOTOOLCHAIN');
  if (inline !== undefined) return { value: inline, where: 'set inline on the command' };
  const set = run.env.get('GOTOOLCHAIN');
  if (set && set.origin.kind !== 'image') {
    if (set.value === undefined) return undefined;
    return { value: set.value, where: `${set.isArg ? 'ARG' : 'ENV'} on line ${(set.origin.line ?? 0) + 1}` };
  }
  return { value: 'local', where: 'the official golang image sets it' };
}

/** Where the tag's Go version is written: in the FROM line itself, or in the default of a global ARG it uses. */
function versionText(model: DockerfileModel, stage: Stage, version: string): { range: Range; arg?: ArgInstruction } | undefined {
  const raw = stage.image.raw;
  if (!raw.includes('$')) {
    const tag = imageTagRange(model, stage);
    if (!tag || !model.document.getText(tag).startsWith(version)) return undefined;
    return { range: { start: tag.start, end: { line: tag.start.line, character: tag.start.character + version.length } } };
  }
  for (const name of referencedVariables(raw)) {
    const arg = model.instructions.filter((i): i is ArgInstruction => isArg(i) && !i.stage && i.vars.some((v) => v.name === name)).pop();
    const declared = arg?.vars.find((v) => v.name === name);
    if (!arg || !declared || declared.defaultValue === undefined) continue;
    const line = model.document.getText({ start: declared.nameRange.end, end: { line: declared.nameRange.end.line + 1, character: 0 } });
    // The version in the written default: not a longer version's prefix (1.2 in 1.22).
    const match = new RegExp(`^=["']?(?:[^\\s"']*?[:@-])?(${version.replace(/\./g, '\\.')})(?![\\d.])`).exec(line);
    if (!match) continue;
    const start = declared.nameRange.end.character + match[0].length - version.length;
    return { range: { start: { line: declared.nameRange.end.line, character: start }, end: { line: declared.nameRange.end.line, character: start + version.length } }, arg };
  }
  return undefined;
}

/** The tag's version for the Go the module needs: as precise as the tag was (`1.24` or `1.24.1`). */
function newVersion(imageVersion: string, wanted: string): string | undefined {
  const exactTag = /^\d+\.\d+\.\d+$/.test(imageVersion);
  const clean = wanted.replace(/^go/, '');
  if (exactTag && /^\d+\.\d+\.\d+$/.test(clean)) return clean;
  return goMinorVersion(clean);
}

export default defineRule({
  id: 'GD024',
  name: 'image-go-older-than-module',
  severity: 'error',
  summary: "The golang image's Go is older than the go.mod `go` (or `toolchain`) line: the build fails (GOTOOLCHAIN=local, the image's default) or downloads a newer Go first (GOTOOLCHAIN=auto).",
  fixable: true,
  scoped: true,
  check({ model, inScope, report }) {
    for (const stage of model.stages) {
      if (stage.image.stage || !inScope(stage)) continue;
      const image = resolvedImage(model, stage);
      if (!image || repositoryPath(image.name) !== 'golang') continue;
      const imageVersion = goVersionOfTag(image.tag);
      if (!imageVersion || compareGoVersions(imageVersion, TOOLCHAIN_AWARE) === undefined || compareGoVersions(imageVersion, TOOLCHAIN_AWARE)! < 0) continue;
      const step = firstGoStep(model, stage);
      if (!step) continue;
      const required = step.required;
      const mode = toolchainMode(step.run, step.go);
      if (!mode) continue;
      const local = mode.value === 'local';
      const auto = mode.value === 'auto' || mode.value === 'local+auto';
      if (!local && !auto) continue;
      // With `local` only the go line binds (Go refuses an older toolchain); with `auto` Go switches
      // to the newer of the go and toolchain lines.
      const candidates = local ? [required.go] : [required.go, required.toolchain?.replace(/^go/, '')];
      const wanted = candidates.filter((v): v is string => v !== undefined && compareGoVersions(v, '1.0') !== undefined)
        .sort((a, b) => compareGoVersions(b, a) ?? 0)[0];
      if (!wanted || imageHas(imageVersion, wanted)) continue;
      const where = versionText(model, stage, imageVersion);
      const replacement = newVersion(imageVersion, wanted);
      const viaArg = where?.arg ? ` (the default of ARG ${where.arg.vars[0]?.name} on line ${where.arg.range.start.line + 1})` : '';
      const line = `${step.run.range.start.line + 1}`;
      const which = wanted === required.go ? `\`go ${wanted}\`` : `\`toolchain go${wanted}\``;
      const severity: Severity = local ? 'error' : 'warning';
      const message = local
        ? `${image.reference}${viaArg} has Go ${imageVersion}, but ${required.file} says ${which}: with GOTOOLCHAIN=local (${mode.where}) \`go ${step.go.subcommand}\` on line ${line} fails with \`go: ${required.file.split('/').pop()} requires go >= ${wanted} (running go ${/^\d+\.\d+$/.test(imageVersion) ? `${imageVersion}.x` : imageVersion}; GOTOOLCHAIN=local)\`. Use a golang image of Go ${goMinorVersion(wanted)} or later.`
        : `${image.reference}${viaArg} has Go ${imageVersion}, but ${required.file} says ${which}: with GOTOOLCHAIN=${mode.value} (${mode.where}) \`go ${step.go.subcommand}\` on line ${line} first downloads go${wanted} (about 70 MB) into the module cache, whenever that cache does not hold it yet (a fresh CI runner, a rebuilt layer). Use a golang image of Go ${goMinorVersion(wanted)} or later.`;
      const fix: Fix | undefined = where && replacement ? {
        title: `Use Go ${replacement} in the image tag${where.arg ? ` (ARG ${where.arg.vars[0]?.name})` : ''}`,
        edits: [{ range: where.range, newText: replacement }],
        preferred: true,
      } : undefined;
      report({
        range: imageTagRange(model, stage) ?? stage.image.range,
        message,
        severity,
        related: [{ range: step.go.nameRange, message: `Go runs here with the image's Go ${imageVersion}` }],
        fixes: fix ? [fix] : [],
      });
    }
  },
});
