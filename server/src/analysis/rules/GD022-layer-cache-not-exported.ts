import { compiles, readsModules } from '../go/gocommand';
import { isModuleDownload } from '../go/gofacts';
import { ciLocation, mainCacheExport } from '../ci/types';
import { defineRule } from './api';

export default defineRule({
  id: 'GD022',
  name: 'layer-cache-not-exported',
  severity: 'info',
  summary: 'The CI build exports its layer cache with mode=min (or exports none) while Go is built in an earlier stage: that stage\'s module download and build layers are never restored, so every CI build runs them again.',
  fixable: false,
  check({ model, site, report }) {
    const build = site?.where === 'ci' ? site.ci : undefined;
    if (!build || build.cacheToUnknown || build.cacheTo.some((c) => c.mode === 'max') || model.stages.length < 2) return;
    const exported = model.finalStage?.chain ?? [];
    const main = mainCacheExport(build);
    for (const stage of model.stages) {
      if (!stage.feedsFinal || exported.includes(stage) || !stage.runs.some((r) => r.go.some(readsModules))) continue;
      const name = stage.name ? ` \`${stage.name}\`` : '';
      // What a restored layer saves: the download while go.mod and go.sum are unchanged, the build
      // only while none of the files it compiles changed (it reads the source).
      const again: string[] = [];
      if (stage.runs.some((r) => r.go.some(isModuleDownload))) again.push('its module download runs again on every CI build, even when go.mod and go.sum did not change');
      if (stage.runs.some((r) => r.go.some(compiles))) again.push(`its Go build ${again.length > 0 ? 'too' : 'runs again on every CI build'}, even when none of the files it compiles changed`);
      if (again.length === 0) again.push('its Go steps run again on every CI build, even when nothing they read changed');
      const how = !main
        ? 'without a cache export (no cache-to), so no layer'
        : main.type === 'inline'
          ? `with cache-to ${main.text}: an inline cache holds only the final stage's layers, so no layer`
          : `with cache-to ${main.text} (mode=min, the default): that exports only the final stage's layers, so no layer`;
      report({
        range: stage.fromRange,
        message: `This image is built in CI by ${ciLocation(build)} ${how} of stage${name} is restored on the next run: ${again.join(', and ')}. Export every stage's layers with mode=max on a backend that keeps them (for example cache-to: type=gha,mode=max, or type=registry,ref=…,mode=max).`,
      });
    }
  },
});
