import * as posix from 'node:path/posix';
import { ciLocation } from '../ci/types';
import { absoluteSource, finalBinaries, stageChain, type FinalBinary } from '../cache/artifacts';
import { PLAIN_UTILITIES } from '../go/delegated';
import { effectiveGoEnv } from '../go/goenv';
import { listed } from '../go/modulefiles';
import { runsOnTargetPlatform } from '../go/platforms';
import { PACKAGE_MANAGERS } from '../model/packages';
import { isCopy, type DockerfileModel, type RunInstruction, type Stage } from '../model/model';
import { defineRule } from './api';

/** Go commands that do the same on the build platform with GOOS/GOARCH set: they run nothing they build. */
const CROSS_SAFE = new Set(['build', 'install', 'mod download', 'mod verify', 'vet', 'env', 'version', 'list']);

/**
 * A RUN whose every command is one of those Go commands (directly, or through a make target or
 * script read to its end), a package manager's (the tools a builder installs run on the build
 * platform as well) or a plain utility: moved to the build platform, it does the same. `go run`, `go generate`, a script, a download or another tool may fetch or make
 * something for the target platform, which cross-compiling the Go code would not make right.
 */
function portable(run: RunInstruction): boolean {
  return run.go.every((g) => CROSS_SAFE.has(g.subcommand)) && run.commands.every((c) => c.words.length === 0 || run.readThrough?.has(c)
    || run.go.some((g) => g.command === c && !g.via) || PLAIN_UTILITIES.has(posix.basename(c.words[0].value))
    || PACKAGE_MANAGERS.has(c.words[0].value) || c.words[0].value === 'cd');
}

/**
 * What the final image takes from the stages of `root`: only Go binaries, and files that are the
 * same on every platform (certificates, time zones, under /etc and /usr/share).
 */
function takesOnlyBinaries(model: DockerfileModel, root: Stage, binaries: readonly FinalBinary[]): boolean {
  const final = model.finalStage;
  if (!final) return false;
  const copies = new Set(binaries.map((b) => b.copy));
  return stageChain(final).every((s) => s.instructions.every((i) => !isCopy(i) || !i.from?.stage || stageChain(i.from.stage)[0] !== root
    || copies.has(i) || i.sources.every((source) => /^\/(etc|usr\/share)\//.test(absoluteSource(source.value)))));
}

export default defineRule({
  id: 'GD027',
  name: 'go-compiled-under-emulation',
  severity: 'info',
  summary: 'A CI job builds the image for several architectures with QEMU, and the stage that compiles its Go binary runs on the target platform: for every architecture but the runner\'s, the Go compiler runs emulated where it could cross-compile.',
  fixable: false,
  check({ model, site, report }) {
    const ci = site?.where === 'ci' ? site.emulated : undefined;
    if (!ci) return;
    const reported = new Set<Stage>();
    const binaries = finalBinaries(model);
    for (const binary of binaries) {
      // A binary built in the final image itself needs that image's platform; one copied from a
      // builder stage can be compiled anywhere.
      const build = binary.build;
      if (!binary.copy || !build) continue;
      // The platform a stage runs on is chosen by the FROM that names an image.
      const root = stageChain(build.stage)[0];
      if (reported.has(root) || (model.finalStage && stageChain(model.finalStage)[0] === root)) continue;
      if (!runsOnTargetPlatform(root)) continue;
      // Every step of the builder must do the same on the build platform, and the final image take only what Go builds from it.
      if (!stageChain(build.stage).every((s) => s.runs.every(portable)) || !takesOnlyBinaries(model, root, binaries)) continue;
      const env = effectiveGoEnv(build.run, build.go);
      // GOARCH set already: following the target platform is GD017's; a fixed one is deliberate.
      // GOOS alone (`GOOS=linux`) still compiles for the platform the stage runs on, emulated.
      if (env.GOARCH) continue;
      reported.add(root);
      const platform = root.image.platform?.value;
      const where = platform === undefined ? `\`FROM ${root.image.raw}\` has no \`--platform=$BUILDPLATFORM\`` : `\`FROM --platform=${platform} ${root.image.raw}\` runs on the target platform`;
      const arm = (ci.platforms ?? []).some((p) => /^linux\/arm(\/|$)/.test(p)) ? ' (and `GOARM=${TARGETVARIANT#v}` for 32-bit ARM)' : '';
      const cost = `${ciLocation(ci)} builds this image for ${listed([...(ci.platforms ?? [])])} in a job that sets up QEMU, and ${where}: the \`go ${build.go.subcommand}\` on line ${build.go.range.start.line + 1} runs under emulation for every platform but the runner's, often 5 to 10 times slower.`;
      const crossCompile = `run this stage on the build platform (\`FROM --platform=$BUILDPLATFORM\`), declare \`ARG TARGETOS TARGETARCH\` in it and build with \`GOOS=$TARGETOS GOARCH=$TARGETARCH\`${arm}`;
      report({
        range: root.image.range,
        message: env.CGO_ENABLED.value === '0'
          ? `${cost} Go cross-compiles with CGO_ENABLED=0: ${crossCompile}.`
          : `${cost} To let Go cross-compile, ${crossCompile}; with cgo on (CGO_ENABLED=${env.CGO_ENABLED.value}, ${env.CGO_ENABLED.because}), that also needs a C cross-compiler for each target (for example tonistiigi/xx), or CGO_ENABLED=0 if the program needs no C.`,
        related: [
          { range: build.go.range, message: 'the Go command that runs emulated' },
          ...(build.stage === root ? [] : [{ range: build.stage.fromRange, message: 'the stage that compiles' }]),
        ],
      });
    }
  },
});
