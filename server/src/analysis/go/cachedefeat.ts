// Go builds that throw the build cache away: `-a` (on the command or in GOFLAGS) rebuilds every
// package whatever the cache holds, and GOCACHE=off turns the cache off (Go 1.10 and 1.11) or
// stops the build (Go 1.12 and later: "build cache is disabled by GOCACHE=off, but required").
// A cache mount on GOCACHE cannot help such a step: GD025 reports it, GD003 stays silent there.
import type { DockerfileModel, RunInstruction } from '../model/model';
import type { Range } from '../model/types';
import { compiles, type GoCommand } from './gocommand';
import { effectiveGoEnv, settingSite, type GoEnvValue, type SettingSite } from './goenv';
import { goAtLeast } from './goversion';

/** `-a`, `--a`, `-a=true` as a word of GOFLAGS. */
export const A_IN_GOFLAGS = /(^|\s)--?a(?:=(?:true|1))?(?=\s|$)/;

export interface BuildCacheDefeat {
  kind: '-a' | 'GOCACHE=off';
  /** The `-a` flag on the command, when written there. */
  flag?: { range: Range };
  /** The GOFLAGS or GOCACHE setting, when the environment carries it. */
  setting?: { name: 'GOFLAGS' | 'GOCACHE'; value: GoEnvValue; site?: SettingSite };
}

/** How the command throws its build cache away, if it does. */
export function buildCacheDefeat(model: DockerfileModel, run: RunInstruction, go: GoCommand): BuildCacheDefeat | undefined {
  if (!compiles(go)) return undefined;
  const env = effectiveGoEnv(run, go);
  // Before Go 1.10 there is no build cache to defeat, and `-a` was how a build made sure.
  const hasCache = goAtLeast(model, run, '1.10', go) !== false;
  if (!hasCache) return undefined;
  if (env.GOCACHE.value.trim().toLowerCase() === 'off' && env.GOCACHE.origin.kind !== 'derived') {
    return { kind: 'GOCACHE=off', setting: { name: 'GOCACHE', value: env.GOCACHE, site: settingSite(model, go, 'GOCACHE', env.GOCACHE) } };
  }
  const flag = go.flags.get('a');
  if (flag) return ['', 'true', '1'].includes(flag.value) ? { kind: '-a', flag: { range: flag.range } } : undefined;
  if (env.GOFLAGS && A_IN_GOFLAGS.test(env.GOFLAGS.value)) {
    return { kind: '-a', setting: { name: 'GOFLAGS', value: env.GOFLAGS, site: settingSite(model, go, 'GOFLAGS', env.GOFLAGS) } };
  }
  return undefined;
}
