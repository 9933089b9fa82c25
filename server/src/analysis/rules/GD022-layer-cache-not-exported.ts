import { compiles, readsModules } from '../go/gocommand';
import { isModuleDownload } from '../go/gofacts';
import { ciLocation, mainCacheExport } from '../ci/types';
import { contextSendsGit } from '../go/readsgit';
import { inheritedSourceBeforeDownload, isModuleSource, sourceBeforeDownload } from '../go/modulemode';
import { isCopy, type CopyInstruction, type DockerfileModel, type RunInstruction, type Stage } from '../model/model';
import { WHOLE_CONTEXT_SOURCES } from '../model/sources';
import { upgradesPackages } from '../model/packages';
import { defineRule } from './api';

/** The COPY instructions from the build context before `run`, in its stage and the stages it starts FROM. */
function contextCopiesBefore(stage: Stage, run: RunInstruction): CopyInstruction[] {
  return stage.chain.flatMap((s) => s.instructions.slice(0, s === stage ? s.instructions.indexOf(run) : undefined)).filter(isCopy).filter((c) => !c.from);
}

/**
 * Whether an exported layer of `run` could come back on a later CI run: it reads files the build
 * context gives it, copied or bind-mounted (a source the stage fetches itself, a `git clone`,
 * would come back as it was), and none of those carries a .git that changes with every commit.
 */
function restorable(model: DockerfileModel, stage: Stage, run: RunInstruction): boolean {
  const copied = contextCopiesBefore(stage, run).flatMap((c) => c.sources.map((src) => ({ source: src.value.trim(), files: src.kind === 'manifest' || isModuleSource(model, src) })));
  const mounted = run.mounts.filter((m) => m.type === 'bind' && !m.from).map((m) => ({ source: m.source ?? '.', files: true }));
  const reads = [...copied, ...mounted];
  if (!reads.some((r) => r.files)) return false;
  return !contextSendsGit(model) || !reads.some((r) => WHOLE_CONTEXT_SOURCES.has(r.source));
}

/**
 * A package upgrade in the final image gets the newest packages only because no layer comes from
 * a cache: with the export, its layer would be restored like the others.
 */
function staleUpgradeNote(model: DockerfileModel): string {
  const final = model.finalStage;
  const upgrade = final?.chain.flatMap((s) => s.runs).find(upgradesPackages);
  if (!final || !upgrade) return '';
  const stage = upgrade.stage?.name ? `\`${upgrade.stage.name}\`` : 'that stage (name it with `AS`)';
  return ` The package upgrade on line ${upgrade.range.start.line + 1} would then come from the cache too, with the packages of the build that exported it: keep ${stage} out of the cache (no-cache-filters), or give that step a value that changes with every build.`;
}

export default defineRule({
  id: 'GD022',
  name: 'layer-cache-not-exported',
  severity: 'info',
  summary: 'The CI build exports its layer cache with mode=min (or exports none) while Go is built in an earlier stage: that stage\'s module download and build layers are never restored, so every CI build runs them again.',
  fixable: false,
  needsCache: true,
  check({ model, site, report }) {
    const build = site?.where === 'ci' ? site.ci : undefined;
    if (!build || build.cacheToUnknown || build.cacheTo.some((c) => c.mode === 'max') || model.stages.length < 2) return;
    const exported = model.finalStage?.chain ?? [];
    const main = mainCacheExport(build);
    for (const stage of model.stages) {
      if (!stage.feedsFinal || exported.includes(stage) || !stage.runs.some((r) => r.go.some(readsModules))) continue;
      const name = stage.name ? ` \`${stage.name}\`` : '';
      // What a restored layer saves: the download while go.mod and go.sum are unchanged, when no
      // source is copied before it (else GD001 names that first); the build while nothing copied
      // before it changed.
      const again: string[] = [];
      const download = stage.runs.find((r) => r.go.some(isModuleDownload));
      if (download && restorable(model, stage, download) && !sourceBeforeDownload(site, model, stage) && !inheritedSourceBeforeDownload(site, model, stage)) {
        again.push('its module download runs again on every CI build, even when go.mod and go.sum did not change');
      }
      const compile = stage.runs.find((r) => r.go.some(compiles));
      if (compile && restorable(model, stage, compile)) {
        again.push(`its Go build ${again.length > 0 ? 'too' : 'runs again on every CI build'}, even when none of the files copied before it changed`);
      }
      if (again.length === 0) continue;
      const how = !main
        ? 'without a cache export (no cache-to), so no layer'
        : main.type === 'inline'
          ? `with cache-to ${main.text}: an inline cache holds only the final stage's layers, so no layer`
          : `with cache-to ${main.text} (mode=min, the default): that exports only the final stage's layers, so no layer`;
      report({
        range: stage.fromRange,
        message: `This image is built in CI by ${ciLocation(build)} ${how} of stage${name} is restored on the next run: ${again.join(', and ')}. Export every stage's layers with mode=max on a backend that keeps them (for example cache-to: type=gha,mode=max, or type=registry,ref=…,mode=max).${staleUpgradeNote(model)}`,
      });
    }
  },
});
