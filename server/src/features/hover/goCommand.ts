// Hover on a go command in a RUN: what its layer cache depends on, whether Go's own caches
// survive a rerun, and the Go environment in effect there with where each value came from.
import { compiles, readsModules, type GoCommand } from '../../analysis/go/gocommand';
import { effectiveGoEnv } from '../../analysis/go/goenv';
import { layerDownloadBefore, mountOnGoCache } from '../../analysis/go/gofacts';
import type { DockerfileModel, RunInstruction } from '../../analysis/model/model';
import { assumedDirectories, goEnvTable } from './goEnvTable';
import { code, lineRef } from './markdown';
import { cacheInputs } from './stepInputs';

function buildCacheLine(run: RunInstruction, go: GoCommand, dir: string): string {
  const mount = mountOnGoCache(run, go, 'GOCACHE');
  if (mount) return `- **Build cache** ${code(dir)}: kept between builds on the cache mount at ${code(mount.targetResolved ?? '')}, so a rerun recompiles only what changed.`;
  return `- **Build cache** ${code(dir)}: not kept, there is no cache mount on it; when this step reruns, every package compiles from scratch.`;
}

function moduleCacheLine(run: RunInstruction, go: GoCommand, dir: string): string {
  const mount = mountOnGoCache(run, go, 'GOMODCACHE');
  if (mount) return `- **Module cache** ${code(dir)}: kept between builds on the cache mount at ${code(mount.targetResolved ?? '')}.`;
  const download = run.stage ? layerDownloadBefore(run.stage, run) : undefined;
  if (download) return `- **Module cache** ${code(dir)}: filled by ${code(`go ${download.go.subcommand}`)} on ${lineRef(download.run.range.start.line)}, kept in that layer.`;
  return `- **Module cache** ${code(dir)}: not kept, modules are downloaded again whenever this step reruns.`;
}

export function goCommandHover(model: DockerfileModel, run: RunInstruction, go: GoCommand): string {
  const env = effectiveGoEnv(run, go);
  const parts = [`**${code(model.document.getText(go.nameRange))}** on ${lineRef(run.range.start.line)}`];
  parts.push(`This step's cached result is reused while these stay the same:\n${cacheInputs(model, run).map((i) => `- ${i}`).join('\n')}`);
  const caches: string[] = [];
  if (compiles(go)) caches.push(buildCacheLine(run, go, env.GOCACHE.value));
  if (readsModules(go)) caches.push(moduleCacheLine(run, go, env.GOMODCACHE.value));
  if (caches.length > 0) parts.push(`When it reruns, Go's caches:\n${caches.join('\n')}`);
  parts.push(`Go environment at this line:\n\n${goEnvTable(env)}`);
  const assumed = assumedDirectories(model, run, go);
  if (assumed) parts.push(assumed);
  return parts.join('\n\n');
}
