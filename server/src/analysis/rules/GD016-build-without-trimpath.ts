import { finalBinaries, type GoBuildStep } from '../cache/artifacts';
import { effectiveGoEnv } from '../go/goenv';
import { commandDirectory, moduleOfCommand } from '../go/commandmodule';
import { isDebugBuild, packageArgs, type GoCommand } from '../go/gocommand';
import { goAtLeast } from '../go/goversion';
import { moduleMode } from '../go/modulemode';
import { unknownImageAssumption } from '../go/imageassumptions';
import type { DockerfileModel } from '../model/model';
import { defineRule } from './api';

const TRIMPATH_IN_GOFLAGS = /(?:^|\s)--?trimpath(?:=(?:true|1))?(?=\s|$)/;

function trimsPaths(step: GoBuildStep): boolean {
  const flag = step.go.flags.get('trimpath');
  if (flag) return flag.value === '' || flag.value === 'true' || flag.value === '1';
  return TRIMPATH_IN_GOFLAGS.test(effectiveGoEnv(step.run, step.go).GOFLAGS?.value ?? '');
}

/**
 * A build of other modules' code only: each package is `path@version` (a tool at a fixed version)
 * or an import path outside the main module (a dependency's packages). Its paths are those of the
 * module cache, fixed by the version, and none of them is the project's own.
 */
function buildsOtherModules(model: DockerfileModel, step: GoBuildStep): boolean {
  const packages = packageArgs(step.go).map((w) => w.value);
  if (packages.length === 0) return false;
  const main = moduleOfCommand(model, step.run, step.go).module?.goMod.module;
  // An import path starts with a domain (`golang.org/x/net/http2`); `cmd/main.go` or `./cmd/app` is the project's.
  const outsideMain = (p: string) => main !== undefined && /^[^./$][^/]*\.[^/]*\//.test(p) && !p.endsWith('.go') && p !== main && !p.startsWith(`${main}/`);
  return packages.every((p) => p.includes('@') || outsideMain(p));
}

export default defineRule({
  id: 'GD016',
  name: 'build-without-trimpath',
  severity: 'info',
  summary: 'A Go binary that ships in the final image is built without -trimpath, so it carries the absolute paths of the build container.',
  fixable: true,
  scoped: true,
  check({ model, inScope, report }) {
    const reported = new Set<GoCommand>();
    for (const binary of finalBinaries(model)) {
      const step = binary.build;
      if (!step || reported.has(step.go) || !inScope(step.stage) || trimsPaths(step) || isDebugBuild(step.go) || buildsOtherModules(model, step)) continue;
      // -trimpath came with Go 1.13: an older go rejects the flag, and where neither the image nor
      // go.mod says which Go builds (a toolchain from a tarball, GOPATH mode), it may be older.
      if (goAtLeast(model, step.run, '1.13', step.go) !== true) continue;
      reported.add(step.go);
      const command = `go ${step.go.subcommand}`;
      const shipped = `${binary.path ?? 'a binary'} of the final image${binary.copy ? ` (copied on line ${binary.copy.range.start.line + 1})` : ''}`;
      // Dependencies are compiled from the module cache, unless they are vendored (or there are none);
      // where a base image the analysis does not know may move it, its path is not stated.
      const modules = unknownImageAssumption(model, step.run, step.go, 'GOMODCACHE') ? 'the module cache' : effectiveGoEnv(step.run, step.go).GOMODCACHE.value;
      const paths = [(commandDirectory(step.run, step.go) ?? step.run.workdir).replace(/(.)\/$/, '$1'), ...(moduleMode(model, step.run, step.go).downloads ? [modules] : [])];
      report({
        range: step.go.nameRange,
        message: `\`${command}\` builds ${shipped} without \`-trimpath\`: it records absolute build paths (${paths.join(', ')}) in its file table and stack traces, so the binary changes whenever ${paths.length === 1 ? 'that directory does' : 'those directories do'} and shows them to anyone with the image. Add \`-trimpath\`.`,
        fixes: [{
          title: `Add -trimpath to ${command}`,
          // Exec form is a JSON array: the flag is one more string in it.
          edits: [{ range: { start: step.go.nameRange.end, end: step.go.nameRange.end }, newText: step.run.execForm && !step.go.command.within.includes('sh -c') ? ', "-trimpath"' : ' -trimpath' }],
          preferred: true,
        }],
      });
    }
  },
});
