import { buildCacheDefeat, type BuildCacheDefeat } from '../go/cachedefeat';
import { compareGoVersions } from '../go/gomod';
import { goVersionInEffect } from '../go/goversion';
import type { SettingSite } from '../go/goenv';
import { lineText } from '../fixing/edits';
import { instructionAtLine, isRun, type DockerfileModel, type RunInstruction } from '../model/model';
import type { Fix, Range, Severity, TextEdit } from '../model/types';
import type { GoCommand } from '../go/gocommand';
import { defineRule } from './api';

/** `-a` in a GOFLAGS value as written, with the space that separates it from the next flag. */
const A_WRITTEN = /(?<=^|[=\s"'])--?a(?:=(?:true|1))?(?:\s+(?=\S)|(?=["']?$))/;

function key(range: Range): string {
  return `${range.start.line}:${range.start.character}`;
}

/** The range widened over the blanks after it (or, at the end of a line, before it). */
function withBlank(model: DockerfileModel, range: Range): Range {
  const line = lineText(model, range.end.line);
  let end = range.end.character;
  while (line[end] === ' ' || line[end] === '\t') end++;
  if (end > range.end.character && end < line.length) return { start: range.start, end: { line: range.end.line, character: end } };
  let start = range.start.character;
  const first = lineText(model, range.start.line);
  while (start > 0 && (first[start - 1] === ' ' || first[start - 1] === '\t')) start--;
  return { start: { line: range.start.line, character: start }, end: range.end };
}

/** Remove a whole assignment: its word inline, its entry of a multi-variable ENV, or the ENV itself. */
function removeSetting(model: DockerfileModel, site: SettingSite): TextEdit[] | undefined {
  if (site.inline) return [{ range: withBlank(model, site.range), newText: '' }];
  if (!site.env) return undefined;
  // The only variable of its ENV: emptied rather than removed, so the instruction stays where it
  // was; Go takes an empty value as unset.
  if (site.env.instruction.vars.length === 1) {
    const value = site.env.variable.valueRange;
    return value ? [{ range: value, newText: '""' }] : undefined;
  }
  return [{ range: withBlank(model, site.range), newText: '' }];
}

/** Take `-a` out of a GOFLAGS value, or the whole setting when nothing else is left in it. */
function removeFromGoflags(model: DockerfileModel, site: SettingSite, value: string): TextEdit[] | undefined {
  const rest = value.replace(/(^|\s)--?a(?:=(?:true|1))?(?=\s|$)/g, ' ').trim();
  if (rest === '') return removeSetting(model, site);
  if (site.range.start.line !== site.range.end.line) return undefined;
  const written = model.document.getText(site.range);
  const match = A_WRITTEN.exec(written);
  if (!match) return undefined;
  const start = { line: site.range.start.line, character: site.range.start.character + match.index };
  const end = { line: site.range.start.line, character: start.character + match[0].length };
  return [{ range: { start, end }, newText: '' }];
}

function fixFor(model: DockerfileModel, run: RunInstruction, go: GoCommand, defeat: BuildCacheDefeat): Fix | undefined {
  if (defeat.flag) {
    // An exec-form RUN's `-a` is an element of its JSON array; inside the script of an exec-form
    // shell it is shell text, removed with its blank like anywhere else.
    if (run.execForm && !go.command.within.includes('sh -c')) return undefined;
    return { title: 'Remove -a', edits: [{ range: withBlank(model, defeat.flag.range), newText: '' }], preferred: true };
  }
  const setting = defeat.setting!;
  const site = setting.site;
  if (!site || site.fromArg) return undefined;
  const edits = setting.name === 'GOCACHE' ? removeSetting(model, site) : removeFromGoflags(model, site, setting.value.value);
  return edits ? { title: setting.name === 'GOCACHE' ? 'Remove GOCACHE=off' : 'Remove -a from GOFLAGS', edits, preferred: true } : undefined;
}

function describe(model: DockerfileModel, run: RunInstruction, go: GoCommand, defeat: BuildCacheDefeat): { message: string; severity?: Severity } {
  const command = `\`go ${go.subcommand}\``;
  const at = `${command} on line ${go.nameRange.start.line + 1}`;
  if (defeat.kind === '-a') {
    const how = defeat.flag ? `\`go ${go.subcommand} -a\` rebuilds` : `GOFLAGS=${defeat.setting!.value.value} (${defeat.setting!.value.because}) makes ${at} rebuild`;
    return {
      message: `${how} every package on every run, whatever the build cache holds, so a cache mount on GOCACHE cannot make this step any faster. Since Go 1.10 the build cache itself knows when a package must be rebuilt (other flags, GOOS, CGO_ENABLED), so \`-a\` only costs time: remove it.`,
    };
  }
  const where = `GOCACHE=off (${defeat.setting!.value.because})`;
  const version = goVersionInEffect(model, run, go);
  const exact = version?.source === 'image' ? compareGoVersions(version.version, '1.12') : undefined;
  const refusal = '"build cache is disabled by GOCACHE=off, but required as of Go 1.12"';
  if (exact !== undefined && exact >= 0) {
    return {
      message: `${where}: Go ${version!.version} (${version!.from}) refuses to build with the build cache off, so ${at} fails with ${refusal}. Remove it; a cache mount on GOCACHE is what keeps builds fast.`,
      severity: 'error',
    };
  }
  if (exact !== undefined) {
    return { message: `${where} turns the build cache of Go ${version!.version} (${version!.from}) off: ${at} compiles every package from scratch on every build, and a cache mount cannot help it. Remove it (Go 1.12 and later refuse it outright).` };
  }
  return { message: `${where} turns the build cache off up to Go 1.11 and stops the build from Go 1.12 (${refusal}): either ${at} compiles every package from scratch on every build, or it fails. Remove it.` };
}

export default defineRule({
  id: 'GD025',
  name: 'build-cache-defeated',
  severity: 'warning',
  summary: 'A Go build throws its build cache away (`-a`, GOFLAGS=-a, GOCACHE=off), so it recompiles everything on every run and no cache mount can help it.',
  fixable: true,
  needsCache: true,
  scoped: true,
  check({ model, inScope, report }) {
    const reported = new Set<string>();
    for (const run of model.instructions.filter(isRun)) {
      if (!run.stage) continue;
      // A setting is reported where it is written: in this stage or one it starts FROM.
      const looked = run.stage.chain.filter((s) => inScope(s));
      if (looked.length === 0) continue;
      for (const go of run.go) {
        const defeat = buildCacheDefeat(model, run, go);
        if (!defeat) continue;
        const range = defeat.flag?.range ?? (defeat.setting?.site && !defeat.setting.site.fromArg ? defeat.setting.site.range : go.nameRange);
        const at = range === go.nameRange || range === defeat.flag?.range ? run.stage : instructionAtLine(model, range.start.line)?.stage;
        if (!at || !looked.includes(at) || !inScope(at)) continue;
        if (reported.has(key(range))) continue;
        reported.add(key(range));
        const { message, severity } = describe(model, run, go, defeat);
        const fix = fixFor(model, run, go, defeat);
        report({
          range,
          message,
          severity,
          related: range === go.nameRange ? undefined : [{ range: go.nameRange, message: 'this build recompiles every package' }],
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});
