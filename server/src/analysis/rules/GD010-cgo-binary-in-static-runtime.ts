import { finalBinaries, linksLibc, type FinalBinary, type GoBuildStep } from '../cache/artifacts';
import { baseImageName } from '../model/imageref';
import { effectiveGoEnv } from '../go/goenv';
import type { DockerfileModel, Stage } from '../model/model';
import { installedPackages } from '../model/packages';
import { cCompilerInstalled, libcShownByPackageManager, unknownBaseImage } from '../go/imageassumptions';
import type { Fix, RelatedLocation } from '../model/types';
import { defineRule } from './api';

/**
 * Alpine packages that let a glibc-linked binary start on musl: gcompat (which `libc6-compat` is
 * since Alpine 3.19) provides glibc's loader and symbols; sgerrand's `glibc` package is glibc itself.
 */
const GLIBC_COMPATIBILITY = new Set(['gcompat', 'libc6-compat', 'glibc']);

/** What the runtime image lacks for a binary linked against the builder's libc, if anything. */
function missingLibc(runtime: Stage, builder: Stage): string | undefined {
  if (runtime.facts.staticOnly) return 'has no libc at all';
  if (!runtime.facts.musl || builder.facts.musl || libcShownByPackageManager(builder) === 'musl') return undefined;
  const installed = runtime.chain.flatMap((s) => s.runs.flatMap(installedPackages));
  return installed.some((p) => GLIBC_COMPATIBILITY.has(p)) ? undefined : 'has musl, not glibc';
}

/**
 * What the finding assumes about a builder image the analysis does not know: that it has a C
 * compiler (Go turns cgo off where it finds none) unless the file installs one or sets
 * CGO_ENABLED, and, for a musl runtime, that it is glibc-based unless its package manager shows it.
 */
function builderAssumptions(model: DockerfileModel, step: GoBuildStep, runtime: Stage): string[] {
  if (!unknownBaseImage(model, step.stage)) return [];
  const assumed: string[] = [];
  if (effectiveGoEnv(step.run, step.go).CGO_ENABLED.origin.kind === 'default' && !cCompilerInstalled(step.stage)) assumed.push('has a C compiler (Go turns cgo off where it finds none)');
  if (!runtime.facts.staticOnly && libcShownByPackageManager(step.stage) === undefined) assumed.push('is built on glibc');
  return assumed;
}

function buildFix(step: GoBuildStep): Fix | undefined {
  // An exec-form RUN has no shell to set a variable inline; the script of an exec-form shell
  // (`["sh", "-c", "go build …"]`) takes `CGO_ENABLED=0 ` as shell text inside its JSON string.
  if (step.run.execForm && !step.go.command.within.includes('sh -c')) return undefined;
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
      const shown = libcShownByPackageManager(step.stage);
      const libc = step.stage.facts.musl || shown === 'musl' ? 'musl'
        // Which C library an unknown builder has does not matter to a runtime that has none.
        : unknownBaseImage(model, step.stage) && !shown && final.facts.staticOnly ? 'the builder image\'s C library' : 'glibc';
      // A builder image the analysis does not know may have no C compiler, or be musl-based: said as what it assumes, at info.
      const assumed = builderAssumptions(model, step, final);
      const builder = baseImageName(model, step.stage);
      const message = assumed.length > 0
        ? `\`go ${step.go.subcommand}\` runs ${cgo.origin.kind === 'default' ? 'with CGO_ENABLED unset' : `with CGO_ENABLED=${cgo.value} (${cgo.because})`} on ${builder}, a base image the analysis does not know: if that image ${assumed.join(' and ')}, the binary links against ${libc}, and the final image ${baseImageName(model, final)} ${lacks}, so the container fails to start with \`exec ${binary.path ?? '<binary>'}: no such file or directory\`. Set CGO_ENABLED=0 unless the program needs cgo.`
        : `\`go ${step.go.subcommand}\` runs with CGO_ENABLED=${cgo.value} (${cgo.because}) on ${builder}, so its binary links against ${libc}; the final image ${baseImageName(model, final)} ${lacks}, so the container fails to start with \`exec ${binary.path ?? '<binary>'}: no such file or directory\`.`;
      report({
        range: step.go.nameRange,
        message,
        ...(assumed.length > 0 ? { severity: 'info' as const } : {}),
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
