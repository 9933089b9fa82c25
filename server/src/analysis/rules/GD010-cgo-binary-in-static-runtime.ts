import { finalBinaries, linksLibc, type FinalBinary, type GoBuildStep } from '../cache/artifacts';
import { baseImageName } from '../model/imageref';
import { effectiveGoEnv } from '../go/goenv';
import type { Stage } from '../model/model';
import type { Fix, RelatedLocation } from '../model/types';
import { defineRule } from './api';

/** What the runtime image lacks for a binary linked against the builder's libc, if anything. */
function missingLibc(runtime: Stage, builder: Stage): string | undefined {
  if (runtime.facts.staticOnly) return 'has no libc at all';
  if (runtime.facts.musl && !builder.facts.musl) return 'has musl, not glibc';
  return undefined;
}

function buildFix(step: GoBuildStep): Fix | undefined {
  if (step.run.execForm) return undefined;
  const words = [...step.go.command.assignments, ...step.go.command.words];
  const inline = words.find((w) => w.value.startsWith('CGO_ENABLED='));
  const edit = inline
    ? { range: inline.range, newText: 'CGO_ENABLED=0' }
    : { range: { start: step.go.command.range.start, end: step.go.command.range.start }, newText: 'CGO_ENABLED=0 ' };
  return { title: 'Build a static binary with CGO_ENABLED=0', edits: [edit], preferred: true };
}

export default defineRule({
  id: 'GD010',
  name: 'cgo-binary-in-static-runtime',
  severity: 'error',
  summary: 'A Go binary built with cgo enabled is copied into an image without the C library it links against (scratch, distroless static, or Alpine for a glibc build), so the container cannot start.',
  fixable: true,
  scoped: true,
  check({ model, inScope, report }) {
    const final = model.finalStage;
    if (!final) return;
    const reported = new Set<GoBuildStep['go']>();
    for (const binary of finalBinaries(model)) {
      const step = binary.build;
      if (!step || reported.has(step.go) || !inScope(step.stage)) continue;
      const lacks = missingLibc(final, step.stage);
      // undefined: CGO_ENABLED is an ARG whose value only the build knows.
      if (!lacks || linksLibc(step) !== true) continue;
      const cgo = effectiveGoEnv(step.run, step.go).CGO_ENABLED;
      reported.add(step.go);
      const fix = buildFix(step);
      report({
        range: step.go.nameRange,
        message: `\`go ${step.go.subcommand}\` runs with CGO_ENABLED=${cgo.value} (${cgo.because}) on ${baseImageName(model, step.stage)}, so its binary links against ${step.stage.facts.musl ? 'musl' : 'glibc'}; the final image ${baseImageName(model, final)} ${lacks}, so the container fails to start with \`exec ${binary.path ?? '<binary>'}: no such file or directory\`.`,
        related: related(binary, final),
        fixes: fix ? [fix] : [],
      });
    }
  },
});

function related(binary: FinalBinary, final: Stage): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  if (binary.copy) out.push({ range: binary.copy.range, message: 'the binary is copied into the final image here' });
  out.push({ range: final.image.range, message: `the final image: ${final.facts.summary}` });
  return out;
}
