// Fixes as a property: for any generated Go Dockerfile, `fix` yields a file that parses, keeps
// every instruction, command and comment and the line-ending style, is idempotent, no longer
// reports what it fixed, and applying quick fixes one at a time in any order gets the same text.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { DockerfileParser } from 'dockerfile-ast';
import { analyze } from '../../server/src/analysis/analyze';
import { applyEdits } from '../../server/src/analysis/fixing/edits';
import { automaticFix, fixAll } from '../../server/src/analysis/fixing/fixer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FUZZ_RUNS, FUZZ_SEED, dockerfile, type GeneratedDockerfile } from './arbitraries';
import { CONTEXT } from './checks';
import type { BuildSite, CiBuild } from '../../server/src/analysis/ci/types';

/** A GitHub Actions build exporting its layer cache with the given mode. */
function ciSite(mode: 'min' | 'max'): BuildSite {
  const ci: CiBuild = {
    system: 'github-actions', file: '.github/workflows/image.yml', line: 20, cacheToUnknown: false, cacheFrom: ['type=gha'],
    cacheTo: [{ type: 'gha', mode, text: mode === 'max' ? 'type=gha,mode=max' : 'type=gha' }], restoresCacheMounts: false, selfHosted: false,
  };
  return { where: 'ci', source: 'ci-files', ci };
}

/** Where the generated Dockerfiles are built: the advice, and so the fixes, differ (GD004 locally, GD021/GD022 in CI). */
const SITES: { name: string; site?: BuildSite; runs: number }[] = [
  { name: 'built locally', runs: 1 },
  { name: 'built in CI, cache exported with mode=max', site: ciSite('max'), runs: 0.5 },
  { name: 'built in CI, cache exported with mode=min', site: ciSite('min'), runs: 0.25 },
];

const RUNS = Math.ceil(FUZZ_RUNS / 4);

/** The build context as the fixes left it (GD013 writes .dockerignore). */
function withFiles(files: { path: string; text: string }[]) {
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  return { ...CONTEXT, exists: (p: string) => byPath.has(p) || CONTEXT.exists(p), readText: (p: string) => byPath.get(p) ?? CONTEXT.readText(p) };
}

/** Instructions by keyword, counting one retired into a comment (`# COPY …`) as kept. */
function keywordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const retired = text.split(/\r?\n/).map((l) => /^\s*#\s*([A-Z]+)\s/.exec(l)?.[1]).filter((k): k is string => k !== undefined);
  for (const keyword of [...DockerfileParser.parse(text).getInstructions().map((i) => i.getKeyword()), ...retired]) counts.set(keyword, (counts.get(keyword) ?? 0) + 1);
  return counts;
}

/** Names of the commands every RUN runs (`go`, `apk`, `echo`…), as a multiset. */
function commandNames(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const run of analyze(text, { context: CONTEXT }).model.instructions) {
    if (run.keyword !== 'RUN') continue;
    for (const c of (run as { commands: { words: { value: string }[]; within: readonly string[] }[] }).commands) {
      // A command substitution is a value a fix may replace (GD009 turns `$(date)` into an ARG).
      if (c.within.includes('substitution')) continue;
      const name = c.words[0]?.value ?? '';
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return counts;
}

function assertCovers(after: Map<string, number>, before: Map<string, number>, what: string): void {
  for (const [key, n] of before) assert.ok((after.get(key) ?? 0) >= n, `${what} ${key}: ${n} before, ${after.get(key) ?? 0} after`);
}

/** Apply one quick fix at a time, choosing among the offered ones with `choose`, as an editor user would. */
function quickFixOneByOne(text: string, choose: (n: number) => number, buildsIn?: BuildSite): string {
  let current = text;
  const files = new Map<string, { path: string; text: string }>();
  for (let step = 0; step < 200; step++) {
    const { model, findings } = analyze(current, { context: withFiles([...files.values()]), buildsIn });
    // The fixes `fix` applies: a suggestion that changes what the image does at run time waits to be asked for.
    const fixable = findings.filter((f) => automaticFix(f));
    if (fixable.length === 0) return current;
    const fix = automaticFix(fixable[choose(fixable.length)])!;
    for (const change of fix.files ?? []) files.set(change.path, change);
    current = applyEdits(model, fix.edits);
  }
  return current;
}

/**
 * Two fixes that each insert a line above the same instruction (two ENV settings or ARG
 * declarations, say), or each
 * add a mount to the same RUN, do so in the order they were applied; that order carries no
 * meaning, so compare such blocks and mount lists sorted.
 */
function canonical(text: string): string {
  const sortMounts = (line: string) => line.replace(/^(\s*RUN )((?:--mount=\S+ )+)/, (_, run: string, mounts: string) => run + mounts.trim().split(' ').sort().join(' ') + ' ');
  const lines = text.split(/(?<=\n)/).map(sortMounts);
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j < lines.length && /^\s*(ENV|ARG) \S+(=\S+)?\r?\n$/.test(lines[j])) j++;
    if (j > i + 1) { out.push(...lines.slice(i, j).sort()); i = j; } else out.push(lines[i++]);
  }
  return out.join('');
}

const REGRESSIONS = path.join(__dirname, '..', 'fixtures', 'fuzz-regressions');
/** Inputs that once failed, checked on every run before the generated ones. */
const regressions: GeneratedDockerfile[] = fs.readdirSync(REGRESSIONS).filter((f) => f.endsWith('.Dockerfile')).sort()
  .map((f) => ({ text: fs.readFileSync(path.join(REGRESSIONS, f), 'utf8'), crlf: false, escape: '\\' }));

/**
 * Fixes are promised for Dockerfiles Docker would read: only ARG may come before the first FROM.
 * (Anything at all goes through core.fuzz.test.ts, which only asks the core not to fail.)
 */
for (const { name, site: buildsIn, runs } of SITES) {
  const goDockerfile = dockerfile.filter((d) => {
    const { model, findings } = analyze(d.text, { context: CONTEXT, buildsIn });
    return model.instructions.every((i) => i.stage || i.keyword === 'ARG') && findings.some((f) => f.fixes.length > 0);
  });
  const numRuns = Math.ceil(RUNS * runs);

  describe(`fix safety as a property, ${name} (${numRuns} generated Go Dockerfiles with fixable findings, seed ${FUZZ_SEED})`, () => {
    it('fix converges, parses, keeps instructions, commands, comments and line endings, and is idempotent', () => {
      fc.assert(fc.property(goDockerfile, (d) => {
        const result = fixAll(d.text, { context: CONTEXT, buildsIn });
        assert.deepEqual(result.remaining.map((f) => f.rule), [], 'every fixable finding gets fixed');
        assert.doesNotThrow(() => DockerfileParser.parse(result.text));
        assertCovers(keywordCounts(result.text), keywordCounts(d.text), 'instruction');
        assertCovers(commandNames(result.text), commandNames(d.text), 'command');
        for (const line of d.text.split(/\r?\n/).filter((l) => /^\s*#/.test(l))) assert.ok(result.text.includes(line.trim()), `comment kept: ${line}`);
        if (d.text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(result.text), 'CRLF file stays CRLF');
        else assert.ok(!result.text.includes('\r'), 'LF file stays LF');
        const fixedContext = withFiles(result.files);
        assert.equal(fixAll(result.text, { context: fixedContext, buildsIn }).text, result.text, 'a second fix changes nothing');
        const after = analyze(result.text, { context: fixedContext, buildsIn }).findings.filter((f) => automaticFix(f));
        assert.deepEqual(after.map((f) => `${f.rule}@${f.range.start.line + 1}`), []);
      }), { seed: FUZZ_SEED, numRuns, includeErrorInReport: true, examples: regressions.map((r) => [r]) });
    });

    it('quick fixes applied one by one, in any order, reach the same text as fix: every past failure', () => {
      for (const regression of regressions) {
        const all = fixAll(regression.text, { context: CONTEXT, buildsIn }).text;
        for (let k = 0; k < 8; k++) {
          const choices = fc.sample(fc.infiniteStream(fc.nat()), { seed: FUZZ_SEED + k, numRuns: 1 })[0][Symbol.iterator]();
          const oneByOne = quickFixOneByOne(regression.text, (n) => (choices.next().value ?? 0) % n, buildsIn);
          assert.equal(canonical(oneByOne), canonical(all), `order ${k} of:\n${regression.text}`);
        }
      }
    });

    it('quick fixes applied one by one, in any order, reach the same text as fix: generated files', () => {
      fc.assert(fc.property(goDockerfile, fc.infiniteStream(fc.nat()), (d, choices) => {
        const all = fixAll(d.text, { context: CONTEXT, buildsIn }).text;
        const iterator = choices[Symbol.iterator]();
        const oneByOne = quickFixOneByOne(d.text, (n) => (iterator.next().value ?? 0) % n, buildsIn);
        assert.equal(canonical(oneByOne), canonical(all));
      }), { seed: FUZZ_SEED, numRuns, includeErrorInReport: true });
    });
  });
}
