import * as posix from 'node:path/posix';
import { isModuleDownload } from '../go/gofacts';
import { sourceBeforeDownload } from '../go/modulemode';
import { readsModules } from '../go/gocommand';
import { listed, missingManifests, moduleReadBy, type ManifestFile, type ModuleRead } from '../go/modulefiles';
import { copyOwnershipFlags, insertLinesAfter } from '../fixing/edits';
import { destinationFor } from '../model/imagefiles';
import { normalizeContextPath } from '../model/context';
import type { CopyInstruction, DockerfileModel, RunInstruction } from '../model/model';
import type { Fix, Range } from '../model/types';
import { defineRule } from './api';

/** Only manifests: the download it feeds is meant to run before any source is copied. */
function copiesOnlyManifests(copy: CopyInstruction): boolean {
  return copy.sources.length > 0 && copy.sources.every((s) => s.kind === 'manifest');
}

/** Where in the COPY the root go.mod (or go.work) is named, else the whole instruction. */
function rootRange(copy: CopyInstruction, read: ModuleRead): Range {
  const root = read.root.contextPath;
  return copy.sources.find((s) => normalizeContextPath(s.value) === root)?.range
    ?? copy.sources.find((s) => posix.basename(normalizeContextPath(s.value)) === posix.basename(root))?.range
    ?? copy.range;
}

/** COPY lines after the root's COPY, one per image directory, relative to its WORKDIR. */
function addCopiesFix(model: DockerfileModel, copy: CopyInstruction, missing: ManifestFile[]): Fix {
  const byDir = new Map<string, string[]>();
  for (const file of missing) {
    const dir = posix.dirname(file.imagePath);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file.contextPath]);
  }
  const lines = [...byDir].map(([dir, files]) => `COPY ${copyOwnershipFlags(copy)}${files.join(' ')} ${destinationFor(dir, copy.workdir)}`);
  return { title: `Copy ${listed(missing.map((f) => f.contextPath))} before the download`, edits: [insertLinesAfter(model, copy, lines)], preferred: true };
}

function what(run: RunInstruction): string {
  const go = run.go.find(isModuleDownload) ?? run.go.find(readsModules)!;
  return `\`go ${go.subcommand}\` on line ${run.range.start.line + 1}`;
}

export default defineRule({
  id: 'GD023',
  name: 'module-download-misses-local-module',
  severity: 'error',
  summary: 'A module download after a manifest COPY lacks the go.mod of a module that go.mod replaces with a local directory, or of a go.work workspace module: the download fails.',
  fixable: true,
  scoped: true,
  check({ model, site, inScope, report }) {
    for (const stage of model.stages) {
      if (!inScope(stage)) continue;
      // Source copied above the first module step is GD001's finding: its fix copies every
      // manifest the download reads, these included.
      if (sourceBeforeDownload(site, model, stage)) continue;
      const reported = new Set<CopyInstruction>();
      for (const run of stage.runs) {
        const go = run.go.find(isModuleDownload);
        if (!go) continue;
        const read = moduleReadBy(model, run, go);
        const copy = read?.root.copy;
        if (!read || !copy || reported.has(copy) || !copiesOnlyManifests(copy)) continue;
        const missing = missingManifests(run, read, model).filter((f) => f.required);
        if (missing.length === 0) continue;
        reported.add(copy);
        const them = missing.length === 1 ? 'it' : 'them';
        report({
          range: rootRange(copy, read),
          message: `${what(run)} reads ${listed(missing.map((f) => f.contextPath))} (${listed(missing.map((f) => f.reason))}), but no COPY above it puts ${them} at ${listed(missing.map((f) => f.imagePath))}: the download fails with \`open ${missing[0].imagePath}: no such file or directory\`. Copy ${them} along with ${read.mode === 'workspace' ? 'go.work' : 'go.mod'}.`,
          related: [{ range: go.nameRange, message: 'modules are downloaded here' }],
          fixes: [addCopiesFix(model, copy, missing)],
        });
      }
    }
  },
});
