import { effectiveGoEnv } from '../go/goenv';
import { isModuleDownload, mayRunGoUnseen, misdirectedGoMounts, mountOnGoCache, stageHasMisdirectedGoMount } from '../go/gofacts';
import { readsModules } from '../go/gocommand';
import { addRunFlag, mountOwnerSuffix, safeMountTarget } from '../fixing/edits';
import { cacheMountFlagFor, inheritsFrom, staysInLayer, mountsHidingModules, runsInheriting } from '../cache/cachemounts';
import { goCommandsAtStart } from '../go/delegated';
import { assumptionWords, unknownImageAssumption } from '../go/imageassumptions';
import { isRun, type DockerfileModel, type RunInstruction } from '../model/model';
import { downloadsModules, sourceBeforeDownload } from '../go/modulemode';
import { defineRule } from './api';

/**
 * The later steps (in the stage and the stages built FROM it) that read the downloaded modules,
 * all without a mount there: the ones the fix must mount too. Undefined when one of them cannot
 * be read, or finds its modules in another directory.
 */
function laterModuleReaders(model: DockerfileModel, download: RunInstruction, modcache: string): RunInstruction[] | undefined {
  const readers: RunInstruction[] = [];
  for (const later of runsInheriting(model, download)) {
    // A Go cache mount on the wrong directory there is GD005's to settle first.
    if (mayRunGoUnseen(later) || misdirectedGoMounts(later).length > 0) return undefined;
    const go = later.go.filter(readsModules);
    if (go.length === 0) continue;
    if (go.some((g) => effectiveGoEnv(later, g).GOMODCACHE.value !== modcache)) return undefined;
    readers.push(later);
  }
  return readers;
}

/**
 * An image built on the download's stage whose container runs Go that reads the modules when it
 * starts (`CMD ["go", "test", "./..."]`, `task test`), or may (a script the analysis cannot read):
 * a cache mount does not reach a running container, so that image needs the modules in its layers.
 */
function readsModulesAtStart(model: DockerfileModel, download: RunInstruction): boolean {
  const stage = download.stage;
  if (!stage) return false;
  return model.stages.some((s) => {
    if (!inheritsFrom(s, stage)) return false;
    const go = goCommandsAtStart(model, s);
    return go === undefined || go.some(readsModules);
  });
}

/** The sentence that names the later steps reading the modules: `Line 20 (\`make bins\`) reads the modules too: …`. */
function readersSentence(readers: readonly RunInstruction[]): string {
  if (readers.length === 0) return '';
  const places = readers.map((r) => {
    const via = r.go.find((g) => g.via && readsModules(g))?.via;
    return via ? `${r.range.start.line + 1} (\`${via.host}\`)` : `${r.range.start.line + 1}`;
  });
  const listed = places.length === 1 ? places[0] : `${places.slice(0, -1).join(', ')} and ${places[places.length - 1]}`;
  return places.length === 1
    ? ` Line ${listed} reads the modules too: it needs the same mount, or it downloads them all again on every build.`
    : ` Lines ${listed} read the modules too: they need the same mount, or they download them all again on every build.`;
}

export default defineRule({
  id: 'GD004',
  name: 'module-download-without-cache',
  severity: 'info',
  summary: '`go mod download` runs without a cache mount on the module cache, so any change to go.mod or go.sum downloads every module again.',
  fixable: true,
  needsBuildKit: true,
  needsCache: true,
  scoped: true,
  check({ model, site, inScope, report }) {
    // In CI the mount starts empty and is never exported: modules belong in the layer there (GD021).
    if (site?.where === 'ci') return;
    for (const run of model.instructions.filter(isRun)) {
      const stage = run.stage;
      if (!inScope(stage)) continue;
      const go = run.go.find(isModuleDownload);
      if (!stage || !go || mountOnGoCache(run, go, 'GOMODCACHE')) continue;
      // Vendored, GOPATH mode or no requirements: the module cache holds nothing worth keeping.
      if (!downloadsModules(model, run, go)) continue;
      // A Go cache mount on the wrong directory is GD005's to fix first: moved, it may cover the
      // module cache (GOCACHE=/go holds /go/pkg/mod too).
      if (stageHasMisdirectedGoMount(stage, 'GOMODCACHE') || stageHasMisdirectedGoMount(stage, 'GOCACHE')) continue;
      const modcache = effectiveGoEnv(run, go).GOMODCACHE;
      // A later step that mounts a cache there already hides this layer: GD006 reports that.
      if (mountsHidingModules(model, run, modcache.value).length > 0) continue;
      // Another stage copies the downloaded modules out of the layer; a mount would leave it nothing to copy.
      if (staysInLayer(model, stage, modcache.value)) continue;
      // With the modules in a mount, every later step that reads them needs the same mount or
      // downloads them all again on every build: where such a step cannot be read (make, a
      // script) or reads them from elsewhere, the mount would cost more than it saves.
      const readers = laterModuleReaders(model, run, modcache.value);
      if (!readers) continue;
      // An image of this stage (or one built on it) that reads the modules when its container
      // starts would hold none with them in a mount: it would download them all on every start.
      if (readsModulesAtStart(model, run)) continue;
      // On a base image the analysis does not know, Go's default directory is only a guess: that
      // image may set GOMODCACHE, GOPATH (a builder made FROM golang has /go), HOME or USER.
      const assumed = unknownImageAssumption(model, run, go, 'GOMODCACHE');
      const directory = assumed
        ? `Go's default GOMODCACHE (${modcache.value}), ${assumptionWords(assumed)} (\`go env GOMODCACHE\` in that image shows it)`
        : `GOMODCACHE (${modcache.value})`;
      report({
        range: go.nameRange,
        message: `\`go mod download\` runs without a cache mount on ${directory}: whenever go.mod or go.sum change, this layer is rebuilt from nothing and every module is downloaded again, not only the new ones.${readersSentence(readers)}`,
        // A download after the source copy is GD001's to move first: a mount added here would
        // keep modules across builds and silence it, leaving the download where it is.
        fixes: safeMountTarget(modcache.value) && !sourceBeforeDownload(site, model, stage) ? [{
          title: `Add a cache mount on ${modcache.value}${readers.length > 0 ? ' to the download and the steps that read the modules' : ''}${assumed ? ` (Go's default, ${assumptionWords(assumed)})` : ''}`,
          edits: [run, ...readers].map((r) => addRunFlag(r, cacheMountFlagFor(model, stage, modcache.value, mountOwnerSuffix(r)))),
          preferred: true,
        }] : [],
      });
    }
  },
});
