import { compiles, type GoCommand } from '../go/gocommand';
import { effectiveGoEnv } from '../go/goenv';
import { instructionAtLine, isArg, isEnv, isRun, type DockerfileModel, type RunInstruction, type Stage } from '../model/model';
import type { TextEdit } from '../model/types';
import { stageChain } from '../cache/artifacts';
import { imageStart } from '../model/startup';
import { runsOnTargetPlatform, TARGET_PLATFORM } from '../go/platforms';
import { defineRule } from './api';

const TARGET_PLATFORM_NAMES = /\$\{?(TARGET(?:OS|ARCH|VARIANT|PLATFORM))\b/g;
const PLATFORM_SETTINGS = ['GOOS', 'GOARCH', 'GOARM'];

/** A Go platform setting as written (before expansion), wherever it was set for this command. */
function writtenSetting(model: DockerfileModel, run: RunInstruction, go: GoCommand, name: string): { value: string; line: number } | undefined {
  const inline = go.inlineEnv.get(name);
  if (inline !== undefined) return { value: inline, line: go.range.start.line };
  const line = run.env.get(name)?.origin.line;
  const origin = line === undefined ? undefined : instructionAtLine(model, line);
  if (!origin) return undefined;
  const written = isEnv(origin) ? origin.vars.filter((v) => v.name === name).pop()?.value
    : isArg(origin) ? origin.node.getArguments().map((a) => a.getValue()).find((a) => a.startsWith(`${name}=`))
      : undefined;
  return written === undefined ? undefined : { value: written, line: origin.range.start.line };
}

/**
 * Whether a TARGET* variable the value uses is in scope at the RUN: BuildKit only passes the
 * automatic platform ARGs to a stage that declares them (`ARG TARGETARCH`); undeclared, the
 * variable is empty and the setting is its default, whatever the target platform.
 */
function declaresTargetArg(run: RunInstruction, value: string): boolean {
  return [...value.matchAll(TARGET_PLATFORM_NAMES)].some((m) => run.env.has(m[1]));
}

interface TargetSetting {
  name: string;
  value: string;
  line: number;
  /** cgo is switched on explicitly: cross-compiling then needs a C cross-compiler. */
  cgo: boolean;
}

/** The first Go platform setting in the stage that follows the target platform. */
function targetSetting(model: DockerfileModel, stage: Stage): TargetSetting | undefined {
  for (const run of stage.instructions.filter(isRun)) {
    for (const go of run.go.filter(compiles)) {
      for (const name of PLATFORM_SETTINGS) {
        const setting = writtenSetting(model, run, go, name);
        if (!setting || !TARGET_PLATFORM.test(setting.value) || !declaresTargetArg(run, setting.value)) continue;
        const cgo = effectiveGoEnv(run, go).CGO_ENABLED;
        return { name, ...setting, cgo: cgo.origin.kind !== 'default' && cgo.value === '1' };
      }
    }
  }
  return undefined;
}

function platformEdit(root: Stage): TextEdit {
  const flag = root.from.getPlatformFlag();
  if (flag) return { range: flag.getRange(), newText: '--platform=$BUILDPLATFORM' };
  const at = root.from.getArguments()[0]?.getRange().start ?? root.image.range.start;
  return { range: { start: at, end: at }, newText: '--platform=$BUILDPLATFORM ' };
}

export default defineRule({
  id: 'GD017',
  name: 'cross-compile-under-emulation',
  severity: 'info',
  summary: 'A builder cross-compiles for the target platform with GOOS/GOARCH but does not run on the build platform, so for every other platform the Go compiler runs under emulation.',
  fixable: true,
  needsBuildKit: true,
  check({ model, report }) {
    const reported = new Set<Stage>();
    // An image that starts a program runs on the target platform: the FROMs it is built from must
    // stay there. One that starts nothing may only hold the binaries a build exports (`--output`).
    const finalImage = new Set(model.finalStage && imageStart(model.finalStage) ? stageChain(model.finalStage) : []);
    for (const stage of model.stages) {
      const setting = targetSetting(model, stage);
      // The platform a stage runs on is chosen by the FROM that names an image.
      const root = stageChain(stage)[0];
      if (!setting || reported.has(root) || finalImage.has(root)) continue;
      // A fixed platform (`--platform=linux/amd64`) is a deliberate choice; only the target one emulates.
      if (!runsOnTargetPlatform(root)) continue;
      const platform = root.image.platform?.value;
      reported.add(root);
      const image = root.image.raw;
      const where = platform === undefined ? `\`FROM ${image}\` has no \`--platform=$BUILDPLATFORM\`` : `\`FROM --platform=${platform} ${image}\` runs on the target platform`;
      const cost = `${setting.name} follows the target platform (\`${setting.name}=${setting.value}\` on line ${setting.line + 1}) but ${where}: in a multi-platform build the Go compiler runs under QEMU emulation for every platform other than the build machine's, often 5 to 10 times slower.`;
      report({
        range: root.image.range,
        message: setting.cgo
          ? `${cost} With CGO_ENABLED=1, running on the build platform also needs a C cross-compiler for each target (for example tonistiigi/xx).`
          : `${cost} Run the builder on the build platform and let Go cross-compile.`,
        related: stage === root ? undefined : [{ range: stage.fromRange, message: 'the stage that cross-compiles' }],
        fixes: setting.cgo ? [] : [{ title: 'Run the builder on the build platform', edits: [platformEdit(root)], preferred: true }],
      });
    }
  },
});
