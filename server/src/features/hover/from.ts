// Hover on FROM: the Go defaults of the image family (official golang vs alpine with `apk add go`,
// glibc vs musl), or what a runtime image can run.
import { effectiveGoEnv } from '../../analysis/go/goenv';
import { isRun, type DockerfileModel, type InstructionModel, type Stage } from '../../analysis/model/model';
import { assumedDirectories, goEnvTable } from './goEnvTable';
import { code, lineRef } from './markdown';

function libc(stage: Stage): string {
  const facts = stage.facts;
  if (facts.staticOnly) return 'none: it runs only static binaries (build with `CGO_ENABLED=0`)';
  if (facts.musl) return 'musl: a cgo binary built against glibc does not run here';
  if (facts.family === 'other') return 'unknown';
  return 'glibc';
}

export function fromHover(model: DockerfileModel, from: InstructionModel, stage: Stage): string {
  const facts = stage.facts;
  const title = `**${code(stage.image.raw || 'scratch')}**${stage.name ? ` as stage ${code(stage.name)}` : ''}`;
  const parts = [title];
  if (stage.image.stage) {
    parts.push(`Starts from stage ${code(stage.image.stage.name ?? String(stage.image.stage.index))} (${lineRef(stage.image.stage.fromRange.start.line)}): its files, ENV, USER and WORKDIR, not its ARGs.`);
  }
  parts.push(`${facts.summary.charAt(0).toUpperCase()}${facts.summary.slice(1)}.`);
  parts.push(`C library: ${libc(stage)}.`);
  if (facts.hasGo || facts.family === 'alpine' || stage.instructions.some((i) => isRun(i) && i.go.length > 0)) {
    const how = facts.hasGo ? 'Go defaults in this image' : facts.unknownConfig ? "Go's defaults" : 'Go defaults once Go is installed (for example `apk add go`)';
    parts.push(`${how}, at the start of this stage:\n\n${goEnvTable(effectiveGoEnv(from))}`);
    const assumed = assumedDirectories(model, from);
    if (assumed) parts.push(assumed);
  }
  return parts.join('\n\n');
}
