import { ciLocation } from '../ci/types';
import { compiles, fetchesMovingVersion, readsModules } from '../go/gocommand';
import { defineRule } from './api';

export default defineRule({
  id: 'GD028',
  name: 'layer-cache-disabled',
  severity: 'warning',
  summary: 'Every build of the Dockerfile the repository runs passes --no-cache: no layer is reused and cache mounts start empty, so each build downloads every module and compiles every package again.',
  fixable: false,
  check({ model, site, report }) {
    const build = site?.noCache;
    if (!build) return;
    const goSteps = model.stages.flatMap((s) => s.runs).filter((r) => r.go.some((g) => readsModules(g) || compiles(g)));
    // Tools installed at a moving version (`go install x@latest`) and nothing else: there, skipping
    // the cache is how each build gets the newest release, not a cost the file can avoid.
    if (goSteps.every((r) => r.go.filter((g) => readsModules(g) || compiles(g)).every(fetchesMovingVersion))) return;
    const first = model.stages[0];
    const costs = [goSteps.some((r) => r.go.some(readsModules)) && 'downloads every module', goSteps.some((r) => r.go.some(compiles)) && 'compiles every package'].filter(Boolean).join(' and ');
    report({
      range: first.fromRange,
      message: `Every build of this Dockerfile the repository runs passes --no-cache (${ciLocation(build)}${build.noCacheSetting ? `, ${build.noCacheSetting}` : ''}): BuildKit reuses no layer and gives every cache mount a fresh empty directory, so each build ${costs} again however little changed, and no order of the steps or cache mount in this file can help. Drop --no-cache; to take a newer base image use --pull, and to run one stage again on purpose, --no-cache-filter=<stage>.`,
      related: goSteps.slice(0, 3).map((r) => ({ range: r.range, message: 'runs in full on every build' })),
    });
  },
});
