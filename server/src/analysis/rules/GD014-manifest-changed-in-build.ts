import { compiles, type GoCommand } from '../go/gocommand';
import { effectiveGoEnv, settingSite } from '../go/goenv';
import { usesModules } from '../go/modulemode';
import { isRun, type DockerfileModel, type RunInstruction } from '../model/model';
import type { Range, RelatedLocation } from '../model/types';
import { defineRule } from './api';

const COMMIT_INSTEAD = 'Run it locally and commit go.mod and go.sum instead.';

interface ManifestChange {
  range: Range;
  message: string;
  related?: RelatedLocation[];
}

function changeIn(model: DockerfileModel, run: RunInstruction, go: GoCommand): ManifestChange | undefined {
  if (go.subcommand === 'get') {
    return {
      range: go.nameRange,
      message: `\`go get\` picks module versions from the network when the image builds and rewrites go.mod and go.sum inside it, so two builds of the same commit can compile different dependencies. ${COMMIT_INSTEAD}`,
    };
  }
  if (go.subcommand === 'mod tidy') {
    return {
      range: go.nameRange,
      message: `\`go mod tidy\` rewrites go.mod and go.sum during the build and downloads whatever they lack, so the image compiles a module graph that is not the committed one. ${COMMIT_INSTEAD}`,
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
