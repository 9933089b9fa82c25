import * as posix from 'node:path/posix';
import { imageFileCopy, moduleOfCommand } from '../go/commandmodule';
import { compiles, packageArgs, type GoCommand } from '../go/gocommand';
import { effectiveGoEnv, mountCovers, settingSite } from '../go/goenv';
import { usesModules } from '../go/modulemode';
import { mayRunGoUnseen, mayRunGoUnseenIn } from '../go/gofacts';
import { isRun, type DockerfileModel, type RunInstruction } from '../model/model';
import type { Range, RelatedLocation } from '../model/types';
import { defineRule } from './api';

const COMMIT_INSTEAD = 'Run it locally and commit go.mod and go.sum instead.';

interface ManifestChange {
  range: Range;
  message: string;
  related?: RelatedLocation[];
}

/**
 * Go steps that build with the module graph of go.mod and go.sum: those that compile and `go
 * generate`. `go install tool@v1.2.3` and `go run tool@v1.2.3` leave the module they run in aside.
 */
function buildsWithModule(go: GoCommand): boolean {
  return (compiles(go) || go.subcommand === 'generate') && !packageArgs(go).some((p) => p.value.includes('@'));
}

/** The image directory of the go.mod a command reads: where the COPYs put one at or above its directory, else its directory. */
function manifestDir(model: DockerfileModel, run: RunInstruction, go: GoCommand): string | undefined {
  const located = moduleOfCommand(model, run, go);
  return located.imageModuleDir ?? located.imageDir;
}

/** Whether `later` reads the go.mod `rewrite` wrote: the same module directory, or one below it. */
function sameModule(model: DockerfileModel, run: RunInstruction, rewrite: GoCommand, laterRun: RunInstruction, later: GoCommand): boolean {
  const written = moduleOfCommand(model, run, rewrite);
  const read = moduleOfCommand(model, laterRun, later);
  if (written.imageModuleDir !== undefined && read.imageModuleDir !== undefined) return written.imageModuleDir === read.imageModuleDir;
  const dir = written.imageModuleDir ?? written.imageDir;
  if (dir !== undefined && read.imageDir !== undefined) return mountCovers(dir, read.imageDir);
  // A directory the analysis cannot follow (`cd "$APP"`): the same one when nothing between the two commands changes it.
  if (laterRun !== run) return false;
  const from = run.commands.indexOf(rewrite.command);
  const to = run.commands.indexOf(later.command);
  return from >= 0 && to >= from && !run.commands.slice(from, to).some((c) => c.words[0]?.value === 'cd')
    && rewrite.flags.get('C')?.value === later.flags.get('C')?.value;
}

/**
 * Whether the RUN has `dir`'s go.mod on a bind or tmpfs mount rather than in the image layer:
 * BuildKit drops what a RUN writes into one (even a read-write bind mount) when the RUN ends, and
 * a later RUN with such a mount reads the mounted file. A mount whose target the model does not
 * place (one only known at build time) may be there.
 */
function mountedManifest(run: RunInstruction, dir: string): boolean {
  const goMod = posix.join(dir, 'go.mod');
  return run.mounts.some((m) => (m.type === 'bind' || m.type === 'tmpfs') && (m.targetResolved === undefined || mountCovers(m.targetResolved, goMod)));
}

/**
 * The first Go step that builds with the go.mod and go.sum `rewrite` left (the rewrite itself where
 * a step that may build unseen follows it): later in the same RUN,
 * or, when the rewrite stays in the image layer, in a later RUN of the stage or of a stage built
 * FROM it, unless that RUN mounts its own go.mod or a COPY put the committed one back first.
 */
function buildWithRewrite(model: DockerfileModel, run: RunInstruction, rewrite: GoCommand): GoCommand | undefined {
  const after = run.go.slice(run.go.indexOf(rewrite) + 1);
  const same = after.find((go) => buildsWithModule(go) && sameModule(model, run, rewrite, run, go));
  if (same) return same;
  // What runs from the rewrite on may build in ways the analysis cannot see (a make target that
  // goes on to a build tool, a script): it may build with the rewritten files.
  const from = run.commands.indexOf(rewrite.command);
  if (from >= 0 && run.commands.slice(from).some((c) => !run.readThrough?.has(c) && mayRunGoUnseenIn(c, run))) return rewrite;
  const dir = manifestDir(model, run, rewrite);
  if (dir === undefined || mountedManifest(run, dir)) return undefined;
  for (const later of model.runs) {
    if (later.position <= run.position || !run.stage || !later.stage?.chain.includes(run.stage) || mountedManifest(later, dir)) continue;
    const restored = imageFileCopy(model, later, posix.join(dir, 'go.mod'))?.copy;
    if (restored && restored.position > run.position) continue;
    const build = later.go.find((go) => buildsWithModule(go) && sameModule(model, run, rewrite, later, go));
    if (build) return build;
    if (mayRunGoUnseen(later)) return rewrite;
  }
  return undefined;
}

/**
 * `go get ./...` (no `-u`, no `@version`, only the module's own packages; with no package
 * arguments, the package in the current directory, as `go get .`): it adds a requirement only for
 * an import go.mod lacks, which a committed go.mod the module builds with has none of; it
 * downloads and changes nothing else.
 */
function getsOwnPackagesOnly(go: GoCommand): boolean {
  if (go.subcommand !== 'get' || [...go.flags.keys()].some((f) => f === 'u' || f.startsWith('u='))) return false;
  const packages = go.args.map((w) => w.value).filter((v) => !v.startsWith('-'));
  return packages.every((p) => (p === '.' || p.startsWith('./')) && !p.includes('@'));
}

function changeIn(model: DockerfileModel, run: RunInstruction, go: GoCommand): ManifestChange | undefined {
  if ((go.subcommand === 'get' && !getsOwnPackagesOnly(go)) || go.subcommand === 'mod tidy') {
    // Rewritten files nothing builds with (a tidy whose go.mod is exported or compared, a rewrite
    // inside a bind mount) change no image.
    const build = buildWithRewrite(model, run, go);
    if (!build) return undefined;
    const related = build.command === go.command ? undefined : [{ range: build.nameRange, message: 'builds with the rewritten go.mod and go.sum' }];
    return go.subcommand === 'get' ? {
      range: go.nameRange,
      message: `\`go get\` picks module versions from the network when the image builds and rewrites go.mod and go.sum inside it, so two builds of the same commit can compile different dependencies. ${COMMIT_INSTEAD}`,
      related,
    } : {
      range: go.nameRange,
      message: `\`go mod tidy\` rewrites go.mod and go.sum during the build and downloads whatever they lack, so the image compiles a module graph that is not the committed one. ${COMMIT_INSTEAD}`,
      related,
    };
  }
  if (!compiles(go)) return undefined;
  const consequence = 'lets the build add missing requirements to go.mod and go.sum, resolved from the network at build time, instead of failing, so the image can compile modules the committed go.sum never listed. Drop it and commit a tidy go.mod and go.sum.';
  const flag = go.flags.get('mod');
  if (flag?.value === 'mod') return { range: flag.range, message: `\`-mod=mod\` on \`go ${go.subcommand}\` ${consequence}` };
  const goflags = effectiveGoEnv(run, go).GOFLAGS;
  if (!flag && goflags && /(^|\s)-?-mod=mod(\s|$)/.test(goflags.value)) {
    const site = settingSite(model, go, 'GOFLAGS', goflags);
    return {
      range: site?.inline ? site.range : go.nameRange,
      message: `GOFLAGS=${goflags.value} (${goflags.because}) ${consequence}`,
      related: site && !site.inline ? [{ range: site.range, message: 'GOFLAGS sets -mod=mod here' }] : undefined,
    };
  }
  return undefined;
}

export default defineRule({
  id: 'GD014',
  name: 'manifest-changed-in-build',
  severity: 'warning',
  summary: 'The build changes go.mod and go.sum itself (`go get`, `go mod tidy`, `-mod=mod`), so what it compiles depends on the network at build time, not on the commit.',
  fixable: false,
  scoped: true,
  check({ model, inScope, report }) {
    for (const run of model.instructions.filter(isRun)) {
      if (!inScope(run.stage)) continue;
      for (const go of run.go) {
        // In GOPATH mode there is no go.mod or go.sum to rewrite.
        if (!usesModules(model, run, go)) continue;
        const change = changeIn(model, run, go);
        if (change) report(change);
      }
    }
  },
});
