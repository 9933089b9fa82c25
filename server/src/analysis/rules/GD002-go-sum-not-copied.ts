import * as posix from 'node:path/posix';
import { normalizeContextPath } from '../model/context';
import { readsModules } from '../go/gocommand';
import { downloadsModules } from '../go/modulemode';
import { insertLinesAfter } from '../fixing/edits';
import { flagsOf } from '../parse/written';
import { isCopy, isRun, type CopyInstruction, type DockerfileModel, type RunInstruction, type Stage } from '../model/model';
import { globPattern, type CopySource } from '../model/sources';
import type { Fix, TextEdit } from '../model/types';
import { defineRule } from './api';

/** Whether a COPY source brings `file` (context-relative) along: the file itself, a glob, or a parent directory. */
function sourceCovers(source: CopySource, file: string): boolean {
  const path = normalizeContextPath(source.value);
  return path === file || path === '.' || file.startsWith(`${path}/`) || (/[*?[]/.test(path) && globPattern(path).test(file));
}

function isDirectoryDest(dest: string): boolean {
  return dest.endsWith('/') || dest === '.' || dest.endsWith('/.');
}

/** `go.mod` as written (JSON strings keep their quotes) turned into the same reference to go.sum. */
function sumSourceText(model: DockerfileModel, source: CopySource): string | undefined {
  const written = model.document.getText(source.range);
  return /go\.mod"?$/.test(written) ? written.replace(/go\.mod("?)$/, 'go.sum$1') : undefined;
}

function addGoSumFix(model: DockerfileModel, copy: CopyInstruction, source: CopySource): Fix | undefined {
  const sumText = sumSourceText(model, source);
  const dest = copy.dest;
  if (!sumText || !dest) return undefined;
  const json = sumText.startsWith('"');
  const destText = json ? dest.value : model.document.getText(dest.range);
  const title = `Copy ${sumText.replace(/"/g, '')} along with ${source.value}`;
  if (posix.basename(dest.value) === 'go.mod') {
    // go.mod is copied to a file name: go.sum gets its own COPY to the matching name.
    const flags = flagsOf(copy.node).map((f) => `${f.toString()} `).join('');
    const line = `${copy.keyword} ${flags}${sumText.replace(/"/g, '')} ${destText.replace(/go\.mod$/, 'go.sum')}`;
    return { title, edits: [insertLinesAfter(model, copy, [line])], preferred: true };
  }
  const edits: TextEdit[] = [{ range: { start: source.range.end, end: source.range.end }, newText: json ? `, ${sumText}` : ` ${sumText}` }];
  if (!isDirectoryDest(dest.value)) {
    // Two sources need a directory destination, and one ending in `/` says so.
    const end = json ? { line: dest.range.end.line, character: dest.range.end.character - 1 } : dest.range.end;
    edits.push({ range: { start: end, end }, newText: '/' });
  }
  return { title, edits, preferred: true };
}

/** Where the COPY puts go.mod, when it can be known. */
function manifestFolder(copy: CopyInstruction): string | undefined {
  const dest = copy.destResolved;
  if (!dest) return undefined;
  return dest.endsWith('/') ? dest.replace(/(.)\/$/, '$1') : posix.basename(dest) === 'go.mod' ? posix.dirname(dest) : dest;
}

/** Go finds go.mod in the directory it runs in or one above it: a go.mod elsewhere is not this module's. */
function servesStep(copy: CopyInstruction, workdir: string): boolean {
  const folder = manifestFolder(copy);
  return folder === undefined || folder === workdir || folder === '/' || workdir.startsWith(`${folder}/`);
}

/** COPYs from the build context in the stage before `position`. */
function contextCopiesBefore(stage: Stage, position: number): CopyInstruction[] {
  return stage.instructions.filter(isCopy).filter((c) => !c.from && c.position < position);
}

export default defineRule({
  id: 'GD002',
  name: 'go-sum-not-copied',
  severity: 'error',
  summary: 'go.mod is copied for a module download without go.sum, so the download cannot check modules against the committed checksums.',
  fixable: true,
  needsCache: true,
  scoped: true,
  check({ model, inScope, report }) {
    for (const stage of model.stages) {
      if (!inScope(stage)) continue;
      // Each download gets one finding: its fix on any of the COPYs of go.mod above it clears
      // the others, so offering one keeps the result the same whichever the user picks first.
      const candidates = new Map<RunInstruction, { copy: CopyInstruction; source: CopySource; sum: string }[]>();
      for (const copy of stage.instructions.filter(isCopy)) {
        if (copy.from || copy.heredoc) continue;
        const source = copy.sources.find((s) => s.kind === 'manifest' && posix.basename(normalizeContextPath(s.value)) === 'go.mod');
        if (!source) continue;
        const step = stage.instructions.filter(isRun).find((r) => r.position > copy.position && r.go.some(readsModules));
        if (!step) continue;
        // GOPATH mode, vendor mode and a go.mod with no requirements download nothing and never read go.sum.
        if (!downloadsModules(model, step, step.go.find(readsModules)!)) continue;
        const dir = posix.dirname(normalizeContextPath(source.value));
        const sum = dir === '.' ? 'go.sum' : `${dir}/go.sum`;
        const inContext = !model.context?.root || (model.context.exists(sum) && !model.dockerignore.ignores(sum));
        if (!inContext) continue;
        if (contextCopiesBefore(stage, step.position).some((c) => c.sources.some((s) => sourceCovers(s, sum)))) continue;
        // Source copied above the go.mod COPY is GD001's finding, and its fix copies go.mod and
        // go.sum above the source: this COPY stops mattering, whichever fix comes first.
        if (contextCopiesBefore(stage, copy.position).some((c) => c.sources.some((s) => s.kind === 'module' || s.kind === 'source'))) continue;
        // After a `cd` in the RUN, Go's directory is not known: any go.mod may be the module's.
        const changesDirectory = step.commands.some((c) => c.words[0]?.value === 'cd');
        if (!changesDirectory && !servesStep(copy, step.workdir)) continue;
        candidates.set(step, [...(candidates.get(step) ?? []), { copy, source, sum }]);
      }
      for (const [step, copies] of candidates) {
        const { copy, source, sum } = copies.find((c) => manifestFolder(c.copy) === step.workdir) ?? copies[0];
        const go = step.go.find(readsModules)!;
        const fix = addGoSumFix(model, copy, source);
        report({
          range: source.range,
          message: `${sum} is in the build context but is not copied with ${source.value}: \`go ${go.subcommand}\` on line ${step.range.start.line + 1} cannot check the modules it downloads against the committed checksums, and its layer is not rebuilt when go.sum changes.`,
          related: [{ range: go.nameRange, message: 'modules are downloaded here without go.sum' }],
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});
