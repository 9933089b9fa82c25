import { compiles, readsModules } from '../go/gocommand';
import { effectiveGoEnv } from '../go/goenv';
import { cacheMounts, misdirectedGoMounts, mountOnGoCache } from '../go/gofacts';
import { addRunFlag, indentOf, instructionLines, mountOwnerSuffix } from '../fixing/edits';
import { cacheMountFlagFor, ownerOptionsOf, sameCacheMountFlag, settledTarget, stageReads, type StageRead } from '../cache/cachemounts';
import { neverWrittenGoCache, writtenOnlyInCacheMount, type CacheWrite, type UnwrittenGoCache } from '../cache/cacheonly';
import { isRun, type CopyInstruction, type DockerfileModel, type Mount, type RunInstruction, type Stage } from '../model/model';
import type { Fix, TextEdit } from '../model/types';
import { defineRule } from './api';
import { downloadMountDroppedInCi } from '../ci/layers';

/**
 * Take one source out of a COPY; when it is the only one, turn the COPY into a comment, so the
 * user's line stays in the file, visibly retired, instead of vanishing.
 */
function removeSource(model: DockerfileModel, copy: CopyInstruction, index: number): TextEdit {
  const sources = copy.sources;
  if (sources.length === 1) {
    const { text, edit } = instructionLines(model, copy);
    const indent = indentOf(model, copy);
    const commented = text.split(/(?<=\n)/).map((line) => line.replace(/^([ \t]*)/, '$1# ')).join('');
    return { range: edit.range, newText: `${indent}# go-dockerfile-cache: this COPY read an empty cache mount; the cache is now mounted where it is used${model.eol}${commented}` };
  }
  const range = index === 0
    ? { start: sources[0].range.start, end: sources[1].range.start }
    : { start: sources[index - 1].range.end, end: sources[index].range.end };
  return { range, newText: '' };
}

/**
 * The other stage's cache mount, for a step of this stage: the stage's own mount of that same
 * cache when it has one (the one every fix copies, GD006's included), else a copy of the other's.
 */
function sharedCacheFlag(model: DockerfileModel, run: RunInstruction, dir: string, mount: Mount, sharedKey: string | undefined): string {
  const own = sharedKey !== undefined && run.stage?.runs.some((r) => cacheMounts(r).some((m) => settledTarget(r, m) === dir && (m.id ?? dir) === sharedKey));
  return own ? cacheMountFlagFor(model, run.stage, dir, mountOwnerSuffix(run), sharedKey) : sameCacheMountFlag(mount, dir);
}

/** Remove the COPY and mount the same cache on the Go steps after it that need that cache. */
function mountInsteadFix(model: DockerfileModel, copy: CopyInstruction, index: number, write: CacheWrite): Fix | undefined {
  if (write.kind === 'output' || !copy.stage) return undefined;
  const kind = write.kind;
  const needs = kind === 'GOMODCACHE' ? readsModules : compiles;
  const users = copy.stage.instructions.filter(isRun).filter((r) => r.position > copy.position && r.go.some(needs));
  if (users.length === 0) return undefined;
  // A mount of that cache in the wrong place on one of them is GD005's to move first: where it
  // ends up decides whether the step already has the cache.
  if (users.some((r) => misdirectedGoMounts(r).some((m) => m.which === kind))) return undefined;
  const edits = [removeSource(model, copy, index)];
  const sharedKey = write.mount.id ?? write.mount.targetResolved;
  for (const run of users) {
    const go = run.go.find(needs)!;
    const dir = effectiveGoEnv(run, go)[kind].value;
    const existing = mountOnGoCache(run, go, kind);
    if (!existing) edits.push(addRunFlag(run, sharedCacheFlag(model, run, dir, write.mount, sharedKey)));
    // A mount of another cache on that very directory becomes the copied one: the step wanted
    // the other stage's cache, and the result is the same whether that mount came first or not.
    else if (existing.targetResolved === dir && (existing.id ?? existing.targetResolved) !== sharedKey) edits.push({ range: existing.range, newText: sameCacheMountFlag(write.mount, dir, ownerOptionsOf(existing)) });
  }
  const what = kind === 'GOMODCACHE' ? 'module cache' : 'build cache';
  return { title: `Mount the ${what} where it is used instead of copying it`, edits, preferred: true };
}

function stageLabel(stage: Stage): string {
  return stage.name ? `stage \`${stage.name}\`` : `stage ${stage.index}`;
}

/** Why a stage has none of a Go cache: the Go commands it runs, none of which fills that cache. */
function neverWrittenBecause(unwritten: UnwrittenGoCache): string {
  const { kind, goCommands } = unwritten;
  if (goCommands.length === 0) return 'it runs no Go command';
  const shown = goCommands.slice(0, 2).map(({ go }) => `\`go ${go.subcommand}\` on line ${go.range.start.line + 1}`);
  const listed = goCommands.length > 2 ? `${shown.join(', ')} and ${goCommands.length - 2} more` : shown.join(' and ');
  const one = goCommands.length === 1;
  const does = kind === 'GOCACHE' ? (one ? 'compiles nothing' : 'compile nothing') : (one ? 'downloads no module' : 'download no module');
  return `${one ? 'its only Go command' : 'its Go commands'} (${listed}) ${does}`;
}

export default defineRule({
  id: 'GD007',
  name: 'copy-from-cache-mount',
  severity: 'error',
  summary: '`COPY --from` copies a path the other stage only wrote inside a cache mount, which never reaches the image, or a Go cache it never wrote at all: it copies an empty or missing directory.',
  fixable: true,
  scoped: true,
  check({ model, site, inScope, report }) {
    const copies = stageReads(model).filter((r): r is StageRead & { copy: CopyInstruction } => r.copy !== undefined);
    for (const read of copies) {
      // What the copy finds depends on the stage it reads from, whose related stages include the reader.
      if (!inScope(read.stage)) continue;
      const write = writtenOnlyInCacheMount(model, read.stage, read.path);
      if (!write) {
        const unwritten = neverWrittenGoCache(model, read.stage, read.path);
        if (!unwritten) continue;
        const cache = unwritten.kind === 'GOCACHE' ? 'build cache (GOCACHE)' : 'module cache (GOMODCACHE)';
        report({
          range: read.range,
          message: `${read.path}, Go's ${cache} in ${stageLabel(read.stage)}, is never written there, not even inside a cache mount: ${neverWrittenBecause(unwritten)}, and its base image \`${read.stage.chain[0].image.raw}\` has none. The path is not in that stage's image, so this COPY fails the build (\`not found\`).`,
          related: unwritten.goCommands.slice(0, 2).map(({ go }) => ({ range: go.nameRange, message: unwritten.kind === 'GOCACHE' ? 'compiles nothing' : 'downloads no module' })),
          fixes: [],
        });
        continue;
      }
      const index = read.copy.sources.findIndex((s) => s.range === read.range);
      const mountLine = write.run.range.start.line + 1;
      const empty = read.path === write.mount.targetResolved;
      const cost = write.kind === 'GOMODCACHE' ? ', so the steps after it download every module again'
        : write.kind === 'GOCACHE' ? ', so the steps after it compile everything from scratch' : '';
      const result = empty ? `an empty directory (only the mount point is in the image)${cost}` : 'a path that is not in the image, and the build fails';
      // In CI, GD021 takes the mount off the download: the modules land in the layer this COPY reads.
      const fix = write.kind === 'GOMODCACHE' && downloadMountDroppedInCi(site, write.run, write.mount) ? undefined : mountInsteadFix(model, read.copy, index, write);
      report({
        range: read.range,
        message: `${read.path} was only written inside the cache mount on line ${mountLine} of ${stageLabel(read.stage)}, and a cache mount's contents never reach the image: this copies ${result}.`,
        related: [{ range: write.mount.range, message: `${read.path} is written inside this cache mount` }],
        fixes: fix ? [fix] : [],
      });
    }
  },
});
