// The effective Go environment as a table: value and where it came from, per variable, and what
// its cache directories take for granted about a base image the analysis does not know.
import type { GoCommand } from '../../analysis/go/gocommand';
import type { GoEnv } from '../../analysis/go/goenv';
import { assumptionWords, bothAssumptions, unknownImageAssumption } from '../../analysis/go/imageassumptions';
import type { DockerfileModel, InstructionModel } from '../../analysis/model/model';
import { code, table } from './markdown';

const SHOWN = ['GOPATH', 'GOMODCACHE', 'GOCACHE', 'CGO_ENABLED', 'GOFLAGS', 'GOOS', 'GOARCH', 'GOPROXY', 'GOPRIVATE'] as const;

/** GOPATH, GOMODCACHE, GOCACHE and CGO_ENABLED always; the others when something sets them. */
export function goEnvTable(env: GoEnv): string {
  const rows: string[][] = [];
  for (const name of SHOWN) {
    const value = env[name];
    if (value) rows.push([name, code(value.value), value.because]);
  }
  return table(['Variable', 'Value', 'Where it comes from'], rows);
}

/**
 * Under the table, where the stage starts from an image the analysis does not know and the file
 * does not settle GOCACHE or GOMODCACHE: the values shown are Go's defaults, which that image's
 * config may move. undefined where the directories are known.
 */
export function assumedDirectories(model: DockerfileModel, instruction: InstructionModel, go?: GoCommand): string | undefined {
  const cache = unknownImageAssumption(model, instruction, go, 'GOCACHE');
  const modules = unknownImageAssumption(model, instruction, go, 'GOMODCACHE');
  const both = bothAssumptions(cache, modules);
  if (!both) return undefined;
  const which = [cache && 'GOCACHE', modules && 'GOMODCACHE'].filter(Boolean).join(' and ');
  const words = cache && modules ? "are Go's defaults, assumed: they hold" : "is Go's default, assumed: it holds";
  return `${which} above ${words} ${assumptionWords(both)}. \`docker image inspect ${both.image}\` shows the Env and User it sets.`;
}
