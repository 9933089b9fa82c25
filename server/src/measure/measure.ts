// `measure`: proves a fix on the user's own project. Two copies of the build context, one with the
// Dockerfile as it is and one with what `fix` makes of it, each built once to warm up, then
// rebuilt after the same one-line source change, round after round. Every cache mount gets an id of
// this run's own, so neither variant reuses the other's caches or the user's; everything the run
// made (the copies, its cache mounts, images a classic builder left) is removed at the end, also
// when it fails or is cancelled.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { diskContext, dockerfileInContext, ignoreFileFor } from '../analysis/model/context';
import { parseDockerfile } from '../analysis/model/model';
import { fixAll } from '../analysis/fixing/fixer';
import { loadShellParser, shellParserFailure } from '../analysis/parse/bashGrammar';
import type { FileChange } from '../analysis/model/types';
import { readBuilderInspect, resolveDockerPath, runCommand } from '../profile/docker';
import type { BuildResult, StepAnnotation } from '../profile/model';
import { startBuild, type BuildHandle } from '../profile/runner';
import { defaultChangeFile } from './changeFile';
import { copyBuildContext } from './contextCopy';
import { isolateCacheMounts } from './isolate';

export type VariantName = 'original' | 'fixed';

export interface MeasureOptions {
  dockerfile: string;
  /** Default: the Dockerfile's folder. */
  context?: string;
  /** Context-relative file to change between rebuilds; default: a .go file of the main package. */
  change?: string;
  rounds: number;
  buildsIn: 'local' | 'ci';
  builder?: string;
  dockerPath?: string;
  extraArgs: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Progress for a person watching ("warming up the fixed variant…"). */
  onProgress?: (message: string) => void;
}

export interface MeasuredStep {
  /** 1-based line in that variant's Dockerfile. */
  line: number;
  instruction: string;
  /** Median over the rounds. */
  seconds: number;
  /** Cached in every round. */
  cached: boolean;
}

export interface VariantMeasurement {
  /** Median of the rounds' whole-build times. */
  rebuildSeconds: number;
  steps: MeasuredStep[];
  /** Each round's whole-build time. */
  roundSeconds: number[];
}

export interface MeasureReport {
  version: 1;
  original: VariantMeasurement;
  fixed: VariantMeasurement;
  /** original.rebuildSeconds / fixed.rebuildSeconds. */
  speedup: number;
  rounds: number;
  engine: { builder: string; buildkitVersion: string | null };
  diff: string;
  /** Context-relative file changed between rebuilds. */
  change: string;
  buildsIn: 'local' | 'ci';
}

export type MeasureOutcome =
  | { kind: 'nothing'; message: string }
  | { kind: 'measured'; report: MeasureReport; original: string; fixedText: string; files: FileChange[] }
  | { kind: 'failed'; variant: VariantName; line?: number; instruction?: string; error: string }
  | { kind: 'canceled' }
  | { kind: 'unusable'; message: string };

export interface MeasureRun {
  /** The run's tag: in its cache mount ids, its temp folder's files and nothing else. */
  readonly id: string;
  done: Promise<MeasureOutcome>;
  cancel(): void;
}

interface Variant {
  name: VariantName;
  dir: string;
  context: string;
  dockerfile: string;
  text: string;
  /** Puts the user's own mount ids back into what the builds report. */
  restore(text: string): string;
  results: BuildResult[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Per Dockerfile line, the median time and whether every round found it cached. */
export function summarizeVariant(results: readonly BuildResult[], restore: (text: string) => string = (t) => t): VariantMeasurement {
  const byLine = new Map<number, StepAnnotation[]>();
  for (const result of results) {
    for (const step of result.steps) byLine.set(step.line, [...(byLine.get(step.line) ?? []), step]);
  }
  const steps = [...byLine.entries()].sort(([a], [b]) => a - b).map(([line, seen]) => ({
    line: line + 1,
    instruction: restore(seen[0].instruction),
    seconds: round2(median(results.map((r) => (r.steps.find((s) => s.line === line)?.durationMs ?? 0) / 1000))),
    cached: seen.length === results.length && seen.every((s) => s.state === 'cached'),
  }));
  const roundSeconds = results.map((r) => round2(r.summary.totalMs / 1000));
  return { rebuildSeconds: round2(median(roundSeconds)), steps, roundSeconds };
}

/**
 * The builder's name and BuildKit version as `docker buildx inspect` says (a classic daemon has
 * none), and for the CI scenario why it cannot run on this builder. That scenario empties the
 * builder between builds, so it runs only on a builder named for it, and it exports the cache to a
 * folder, which the docker driver cannot do.
 */
async function inspectEngine(docker: string, builder: string | undefined, buildsIn: 'local' | 'ci', env: NodeJS.ProcessEnv): Promise<{ engine: MeasureReport['engine']; ciRefusal?: string }> {
  if (buildsIn === 'ci' && !builder) {
    return { engine: { builder: 'default', buildkitVersion: null }, ciRefusal: '--builds-in ci empties the builder before every build (docker buildx prune --all), as a CI runner starts empty: name a builder that holds nothing you need with --builder NAME' };
  }
  const inspect = await runCommand(docker, ['buildx', 'inspect', ...(builder ? [builder] : [])], env);
  const read = inspect.code === 0 ? readBuilderInspect(inspect.stdout) : {};
  const engine = { builder: read.name ?? builder ?? 'default', buildkitVersion: read.buildkitVersion ?? null };
  if (buildsIn !== 'ci') return { engine };
  if (inspect.code !== 0) return { engine, ciRefusal: `--builds-in ci needs buildx and the builder "${builder}": ${(inspect.stderr || inspect.stdout).trim().split('\n').pop()}` };
  if (read.driver === 'docker') return { engine, ciRefusal: `the builder "${builder}" uses the docker driver, which cannot export a build cache to a folder (--cache-to type=local): use a docker-container or remote builder` };
  return { engine };
}

export function startMeasure(options: MeasureOptions): MeasureRun {
  const env = options.env ?? process.env;
  const docker = resolveDockerPath(options.dockerPath);
  const say = options.onProgress ?? (() => undefined);
  const nonce = randomBytes(5).toString('hex');
  const tag = `gdc-measure-${nonce}`;
  let canceled = false;
  let current: BuildHandle | undefined;
  const imageIds = new Set<string>();
  let tmp: string | undefined;

  const build = async (variant: Variant, iidFile: string): Promise<BuildResult> => {
    if (options.buildsIn === 'ci') {
      // A CI runner starts empty: nothing but the exported cache reaches the next build.
      await runCommand(docker, ['buildx', 'prune', '--all', '--force', '--builder', options.builder!], env);
    }
    const cacheDir = path.join(variant.dir, 'exported-cache');
    const ciCache = options.buildsIn === 'ci'
      ? ['--cache-to', `type=local,dest=${cacheDir},mode=max`, ...(fs.existsSync(cacheDir) ? ['--cache-from', `type=local,src=${cacheDir}`] : [])]
      : [];
    const extraArgs = ['--iidfile', iidFile, ...ciCache, ...options.extraArgs];
    current = startBuild({ dockerPath: docker, builder: options.builder, dockerfile: variant.dockerfile, context: variant.context, extraArgs, env });
    const result = await current.done;
    current = undefined;
    try {
      const id = fs.readFileSync(iidFile, 'utf8').trim();
      if (id) imageIds.add(id);
    } catch {
      // No image: a builder that keeps results in its cache only.
    }
    return result;
  };

  const cleanUp = async () => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    // Only this run's cache mounts: their ids, and so their descriptions, carry the run's tag.
    const prune = ['--force', '--filter', `description~=${tag}`];
    const builder = options.builder ? ['--builder', options.builder] : [];
    // A cancelled build lets go of its mounts a moment after docker exits, and the builder keeps a
    // mount in use: prune until none is listed (a few tries at most).
    for (let attempt = 0; attempt < 5; attempt++) {
      const pruned = await runCommand(docker, ['buildx', 'prune', ...builder, ...prune], env);
      if (pruned.code !== 0) {
        await runCommand(docker, ['builder', 'prune', ...prune], env);
        break;
      }
      const left = await runCommand(docker, ['buildx', 'du', ...builder, '--verbose', '--filter', `description~=${tag}`], env);
      if (left.code !== 0 || !left.stdout.includes(tag)) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    for (const id of imageIds) {
      // An image someone tagged is theirs (a fully cached build can give their image's id): keep it.
      const tags = await runCommand(docker, ['image', 'inspect', '--format', '{{len .RepoTags}}', id], env);
      if (tags.code === 0 && tags.stdout.trim() === '0') await runCommand(docker, ['image', 'rm', id], env);
    }
  };

  const failure = (variant: Variant, result: BuildResult): MeasureOutcome => {
    const failed = result.steps.find((s) => s.state === 'error');
    return { kind: 'failed', variant: variant.name, line: failed ? failed.line + 1 : undefined, instruction: failed ? variant.restore(failed.instruction) : undefined, error: failed?.error ?? result.summary.error ?? 'the build failed' };
  };

  const measure = async (): Promise<MeasureOutcome> => {
    const dockerfile = path.resolve(options.dockerfile);
    const contextDir = path.resolve(options.context ?? path.dirname(dockerfile));
    const text = fs.readFileSync(dockerfile, 'utf8');
    const context = diskContext(contextDir);
    // `fix` reads each RUN's commands: without the shell parser it would miss most findings.
    await loadShellParser();
    const parserFailure = shellParserFailure();
    if (parserFailure) return { kind: 'unusable', message: `the shell parser did not load (${parserFailure.message}), so fix cannot read RUN commands` };
    const inContext = dockerfileInContext(contextDir, dockerfile);
    const fixed = fixAll(text, { context, dockerfile: inContext, buildsIn: options.buildsIn });
    if (fixed.text === text && fixed.files.length === 0) return { kind: 'nothing', message: 'nothing to measure: fix does not change this Dockerfile' };
    // The ignore file BuildKit reads for this Dockerfile, before and after the fix (which may give it one of its own).
    const dockerignore = context.readText(ignoreFileFor(context, inContext));
    const fixedIgnore = fixed.files.find((f) => f.path.endsWith('.dockerignore'))?.text ?? dockerignore;
    const change = options.change ?? defaultChangeFile(parseDockerfile(fixed.text, context), contextDir, fixedIgnore);
    if (change === undefined) return { kind: 'unusable', message: 'no .go file of a main package found in the build context: name the file to change with --change FILE' };
    if (!fs.existsSync(path.join(contextDir, change))) return { kind: 'unusable', message: `--change ${change}: no such file in the build context ${contextDir}` };

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${tag}-`));
    const variants: Variant[] = (['original', 'fixed'] as const).map((name) => {
      const dir = path.join(tmp!, name);
      const variantContext = path.join(dir, 'context');
      copyBuildContext(contextDir, variantContext, name === 'fixed' ? fixedIgnore : dockerignore);
      if (name === 'fixed') for (const file of fixed.files) fs.writeFileSync(path.join(variantContext, file.path), file.text);
      const variantFile = inContext !== undefined ? path.join(variantContext, inContext) : path.join(dir, path.basename(dockerfile));
      const source = name === 'fixed' ? fixed.text : text;
      const isolated = isolateCacheMounts(parseDockerfile(source), `${tag}-${name}`);
      fs.mkdirSync(path.dirname(variantFile), { recursive: true });
      fs.writeFileSync(variantFile, isolated.text);
      return { name, dir, context: variantContext, dockerfile: variantFile, text: source, restore: isolated.restore, results: [] };
    });
    if (!fs.existsSync(path.join(variants[0].context, change))) return { kind: 'unusable', message: `${change} is left out of the build context by .dockerignore: change a file the build reads (--change FILE)` };

    const { engine, ciRefusal } = await inspectEngine(docker, options.builder, options.buildsIn, env);
    if (ciRefusal) return { kind: 'unusable', message: ciRefusal };
    let iid = 0;
    for (const variant of variants) {
      if (canceled) return { kind: 'canceled' };
      say(`warming up the ${variant.name} Dockerfile…`);
      const warm = await build(variant, path.join(variant.dir, `iid-${iid++}`));
      if (warm.summary.canceled || canceled) return { kind: 'canceled' };
      if (warm.summary.unavailable) return { kind: 'unusable', message: warm.summary.error ?? 'docker cannot build here' };
      if (warm.summary.exitCode !== 0) return failure(variant, warm);
    }
    for (let round = 1; round <= options.rounds; round++) {
      for (const variant of variants) fs.appendFileSync(path.join(variant.context, change), `\n// go-dockerfile-cache measure ${nonce} round ${round}\n`);
      // Alternate which variant builds first, so neither always meets a warmer machine.
      const order = round % 2 === 1 ? variants : [...variants].reverse();
      for (const variant of order) {
        if (canceled) return { kind: 'canceled' };
        say(`round ${round} of ${options.rounds}: rebuilding the ${variant.name} Dockerfile…`);
        const result = await build(variant, path.join(variant.dir, `iid-${iid++}`));
        if (result.summary.canceled || canceled) return { kind: 'canceled' };
        if (result.summary.exitCode !== 0) return failure(variant, result);
        variant.results.push(result);
      }
    }
    const [original, fixedVariant] = variants.map((v) => summarizeVariant(v.results, v.restore));
    const diff = createTwoFilesPatch(path.basename(dockerfile), `${path.basename(dockerfile)} (fixed)`, text, fixed.text, undefined, undefined, { context: 3 });
    return {
      kind: 'measured',
      original: text,
      fixedText: fixed.text,
      files: fixed.files,
      report: {
        version: 1,
        original,
        fixed: fixedVariant,
        speedup: fixedVariant.rebuildSeconds > 0 ? round2(original.rebuildSeconds / fixedVariant.rebuildSeconds) : 0,
        rounds: options.rounds,
        engine,
        diff,
        change,
        buildsIn: options.buildsIn,
      },
    };
  };

  const done = (async () => {
    try {
      return await measure();
    } catch (error) {
      return { kind: 'unusable', message: (error as Error).message } as MeasureOutcome;
    } finally {
      await cleanUp();
    }
  })();
  return {
    id: tag,
    done,
    cancel: () => {
      canceled = true;
      current?.cancel();
    },
  };
}
