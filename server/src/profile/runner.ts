// Runs one profiled build: spawns docker (argv, no shell) in its own process group, turns its
// progress into step annotations as it goes, and explains cache misses against the last
// profiled build. `done` never rejects; every failure ends up in the summary's `error`.
//
// docker starts first: reading the Dockerfile into steps and snapshotting the build context need
// the analysis core, which takes a good part of the time a cached build does to load. They are
// loaded while docker runs, and its output waits for them.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import type { BuildOutcome } from './annotate';
import {
  allBuildArgs, dockerInvocation, dockerNotFoundMessage, driverLoadsImages, explainStartFailure, hasOutputArg, imageDestination,
  inspectBuilder, lastErrorLine, resolveContext, resolveDockerPath, secretRedactor, supportsRawJson, usesBuildx, type BuildOptions,
  type BuilderInfo, type ProgressMode,
} from './docker';
import { VertexTable, type ProgressEvent, type ProgressParser } from './events';
import type { BuildManifest, ContextSnapshot } from './manifest';
import type { CurrentInputs } from './miss';
import type { BuildResult, BuildSummary, StepAnnotation } from './model';
import { PlainProgressParser } from './progress-plain';
import { RawJsonProgressParser } from './progress-rawjson';
import type { BuildPlan } from './steps';

export interface BuildUpdate {
  /** Every step seen so far, in Dockerfile order. */
  steps: StepAnnotation[];
  /** New output lines since the last update, secrets redacted. */
  lines: string[];
}

export interface BuildHandle {
  done: Promise<BuildResult>;
  /** Stops the build: SIGINT to docker's process group, SIGKILL after a grace period. */
  cancel(): void;
  /** docker's process id (also its process group id) once started. */
  readonly pid: number | undefined;
}

const DEFAULT_GRACE_MS = 5000;

interface MissInputs {
  previous?: BuildManifest;
  snapshot: ContextSnapshot;
  salt: string;
  current: CurrentInputs;
}

/** What turns docker's progress into annotated steps, and the manifests that explain misses. */
async function loadStepModules() {
  const [annotate, manifest, miss, steps] = await Promise.all([import('./annotate'), import('./manifest'), import('./miss'), import('./steps')]);
  return { ...annotate, ...manifest, ...miss, ...steps };
}
type StepModules = Awaited<ReturnType<typeof loadStepModules>>;

async function prepareMisses(m: StepModules, options: BuildOptions, dir: string, context: string): Promise<MissInputs> {
  const [previous, snapshot] = await Promise.all([m.loadManifest(dir, options.dockerfile, context), m.snapshotContext(context, options.dockerfile)]);
  const salt = previous?.salt ?? m.newSalt();
  const current = { files: snapshot.files, truncated: snapshot.truncated, buildArgs: m.hashBuildArgs(allBuildArgs(options), salt) };
  return { previous, snapshot, salt, current };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Human-readable lines for rawjson progress, whose raw lines are JSON. */
function describeEvent(event: ProgressEvent): string | undefined {
  switch (event.type) {
    case 'vertex': return `# ${event.name}`;
    case 'log': return event.text;
    case 'error': return `ERROR: ${event.message}`;
    case 'output': return event.text;
    case 'warning': return `WARNING: ${event.message}${event.line === undefined ? '' : ` (line ${event.line + 1})`}`;
    default: return undefined;
  }
}

/** The events with every text a user may see passed through `redact`. */
function redactEvents(events: ProgressEvent[], redact: (text: string) => string): ProgressEvent[] {
  return events.map((event) => {
    switch (event.type) {
      case 'vertex': return { ...event, name: redact(event.name) };
      case 'log': case 'output': return { ...event, text: redact(event.text) };
      case 'error': case 'warning': return { ...event, message: redact(event.message) };
      default: return event;
    }
  });
}

export function startBuild(options: BuildOptions, onUpdate: (update: BuildUpdate) => void = () => undefined): BuildHandle {
  const startedMs = Date.now();
  const redact = secretRedactor(allBuildArgs(options));
  let child: ChildProcess | undefined;
  let cancelRequested = false;
  let killTimer: NodeJS.Timeout | undefined;

  // SIGINT lets docker tell the daemon to stop the build; SIGKILL is for a client that hangs.
  const stop = (target: ChildProcess) => {
    if (target.exitCode !== null || target.signalCode !== null || killTimer) return;
    signalGroup(target, 'SIGINT');
    killTimer = setTimeout(() => signalGroup(target, 'SIGKILL'), options.cancelGraceMs ?? DEFAULT_GRACE_MS);
  };
  const cancel = () => {
    cancelRequested = true;
    if (child) stop(child);
  };

  const finish = (m: StepModules, plan: BuildPlan, table: VertexTable, outcome: Omit<BuildOutcome, 'totalMs' | 'finished'>, misses?: MissInputs): BuildResult => {
    const full: BuildOutcome = { ...outcome, finished: true, totalMs: Date.now() - startedMs };
    let steps = m.annotateSteps(plan, table.vertices(), full);
    if (misses) steps = m.explainMisses(steps, plan, misses.previous, misses.current);
    return { steps, summary: m.summarize(steps, full) };
  };

  const run = async (): Promise<BuildResult> => {
    const table = new VertexTable();
    let text: string;
    try {
      text = await fs.readFile(options.dockerfile, 'utf8');
    } catch (error) {
      const m = await loadStepModules();
      return finish(m, m.planSteps(''), table, { exitCode: null, canceled: false, error: `Cannot read ${options.dockerfile}: ${(error as Error).message}` });
    }
    const command = resolveDockerPath(options.dockerPath);
    const mode: ProgressMode = options.progress ?? ((await supportsRawJson(command)) ? 'rawjson' : 'plain');
    if (cancelRequested) {
      const m = await loadStepModules();
      return finish(m, m.planSteps(text), table, { exitCode: null, canceled: true });
    }

    const context = resolveContext(options);
    // Through buildx, the builder's driver decides whether a tagged image reaches docker: the
    // docker driver loads it, docker-container and remote keep it unless told --load. Without a
    // tag the answer only matters for the summary, so docker does not wait for it.
    const buildx = usesBuildx(options, mode) && !hasOutputArg(options.extraArgs);
    const builderInfo: Promise<BuilderInfo | undefined> = buildx ? inspectBuilder(command, options.builder?.trim() || undefined, options.env ?? process.env) : Promise.resolve(undefined);
    const load = buildx && options.tag !== undefined && options.tag !== '' && (await builderInfo.then((b) => b !== undefined && !driverLoadsImages(b.driver)));
    const invocation = dockerInvocation(options, mode, { load });
    const parser: ProgressParser = mode === 'rawjson' ? new RawJsonProgressParser() : new PlainProgressParser();
    let pendingText = '';
    let spawnError: NodeJS.ErrnoException | undefined;
    // docker's output until the step modules are loaded and the Dockerfile planned, in order.
    const early: Buffer[] = [];
    let feed: ((chunk: Buffer) => void) | undefined;
    const onOutput = (chunk: Buffer) => (feed ? feed(chunk) : early.push(chunk));

    const exited = new Promise<{ code: number | null }>((resolve) => {
      try {
        child = spawn(invocation.command, invocation.args, { env: invocation.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        spawnError = error as NodeJS.ErrnoException;
        resolve({ code: null });
        return;
      }
      child.stdout?.on('data', onOutput);
      child.stderr?.on('data', onOutput);
      child.on('error', (error: NodeJS.ErrnoException) => {
        spawnError = error;
        resolve({ code: null });
      });
      child.on('close', (code) => resolve({ code }));
      if (cancelRequested) stop(child);
    });

    const m = await loadStepModules();
    const plan = m.planSteps(text);
    let misses: MissInputs | undefined;
    const missesReady = options.manifestDir
      ? prepareMisses(m, options, options.manifestDir, context).then((inputs) => (misses = inputs), () => undefined)
      : Promise.resolve(undefined);

    const publish = (events: ProgressEvent[], rawLines: string[]) => {
      table.applyAll(events, Date.now());
      const lines = mode === 'plain' ? rawLines : events.map(describeEvent).filter((l): l is string => l !== undefined);
      let steps = m.annotateSteps(plan, table.vertices(), { finished: false, exitCode: null, canceled: false, totalMs: Date.now() - startedMs });
      if (misses) steps = m.explainMisses(steps, plan, misses.previous, misses.current);
      try {
        onUpdate({ steps, lines });
      } catch {
        // A listener's bug must not stop the build or its result.
      }
    };
    feed = (chunk: Buffer) => {
      const parts = (pendingText + chunk.toString('utf8')).split('\n');
      pendingText = parts.pop() ?? '';
      // Redact whole lines, so a secret split across two chunks is still caught.
      const raw = parts.map((line) => line.replace(/\r$/, ''));
      // rawjson carries logs base64-encoded: redact what the parser decoded, not just the line.
      const lines = raw.map(redact);
      if (lines.length > 0) publish(redactEvents(parser.push((mode === 'plain' ? lines : raw).map((l) => `${l}\n`).join('')), redact), lines);
    };
    for (const chunk of early.splice(0)) feed(chunk);

    const exit = await exited;
    if (killTimer) clearTimeout(killTimer);
    const last = pendingText === '' ? [] : [mode === 'plain' ? redact(pendingText) : pendingText];
    publish(redactEvents([...parser.push(last.map((l) => `${l}\n`).join('')), ...parser.end()], redact), last.map(redact));
    await missesReady;

    const canceled = cancelRequested;
    const stepsSeen = table.vertices().some((v) => !v.internal);
    let error: string | undefined;
    let unavailable: BuildSummary['unavailable'];
    if (spawnError) {
      if (spawnError.code === 'ENOENT') unavailable = 'docker';
      error = unavailable ? dockerNotFoundMessage(invocation.command) : `Could not run ${invocation.command}: ${redact(spawnError.message)}`;
    } else if (exit.code !== 0 && !canceled) {
      const explained = stepsSeen ? undefined : explainStartFailure(table.output);
      unavailable = explained?.unavailable;
      error = explained?.message ?? lastErrorLine(table.output) ?? `docker exited with status ${exit.code ?? 'unknown'}`;
    }
    const result = finish(m, plan, table, { exitCode: exit.code, canceled, error }, misses);
    result.steps = m.markParseError(result.steps, text, error);
    if (unavailable) result.summary.unavailable = unavailable;
    if (table.warnings.length > 0) result.summary.warnings = [...table.warnings];
    if (exit.code === 0 && !canceled && !hasOutputArg(options.extraArgs)) {
      const image = imageDestination(options.tag || undefined, buildx ? await builderInfo : undefined, load);
      if (image) result.summary.image = image;
    }
    if (misses && options.manifestDir && stepsSeen && !canceled) {
      const manifest = m.createManifest(plan, { dockerfile: options.dockerfile, context }, misses.snapshot, allBuildArgs(options), misses.salt, result.steps);
      await m.saveManifest(options.manifestDir, manifest);
    }
    return result;
  };

  const done = run().catch((error: unknown): BuildResult => ({
    steps: [],
    summary: { totalMs: Date.now() - startedMs, cached: 0, total: 0, slowest: [], exitCode: null, canceled: cancelRequested, error: redact(`Build could not run: ${String(error)}`) },
  }));
  return {
    done,
    cancel,
    get pid() {
      return child?.pid;
    },
  };
}
