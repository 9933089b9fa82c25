// Build records kept by a BuildKit builder, through `docker buildx history`: `ls` lists them,
// `inspect` says which Dockerfile and context each built (from buildx's local state, so only for
// builds this machine's docker client started), `logs --progress rawjson` replays a record's
// status on stderr, which the rawjson parser reads as it reads a live build.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { ProgressEvent } from '../events';
import { RawJsonProgressParser } from '../progress-rawjson';
import { recordTime, type RecordInfo } from './record';

/** A builder that cannot be asked, or a record that is not there; the message is for the user. */
export class BuilderRecordError extends Error {}

export interface BuilderOptions {
  docker: string;
  /** Default: the builder docker buildx uses now. */
  builder?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const MAX_OUTPUT = 64 * 1024 * 1024;
/** Records inspected, newest first, before giving up on finding the Dockerfile's. */
const MAX_INSPECTED = 25;

function runDocker(options: BuilderOptions, args: string[]): Promise<Run> {
  const argv = ['buildx', 'history', args[0], ...(options.builder ? ['--builder', options.builder] : []), ...args.slice(1)];
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let child;
    try {
      // From /, buildx writes the context and Dockerfile of `inspect` as paths relative to /.
      child = spawn(options.docker, argv, { cwd: '/', env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ code: null, stdout, stderr: (error as Error).message });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout.length < MAX_OUTPUT ? (stdout += d.toString('utf8')) : child.kill('SIGKILL')));
    child.stderr.on('data', (d: Buffer) => (stderr.length < MAX_OUTPUT ? (stderr += d.toString('utf8')) : child.kill('SIGKILL')));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: error.code === 'ENOENT' ? `${options.docker} was not found` : error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * buildx gives a remote builder 20 s to answer before it asks anything; a builder busy with other
 * builds can miss that, so a timed-out question is asked once more.
 */
async function askBuilder(options: BuilderOptions, args: string[]): Promise<Run> {
  const first = await runDocker(options, args);
  return first.code !== 0 && /context deadline exceeded/i.test(first.stderr) ? runDocker(options, args) : first;
}

function failure(what: string, run: Run, options: BuilderOptions): BuilderRecordError {
  const said = run.stderr.split('\n').map((l) => l.trim()).filter(Boolean).pop()?.replace(/^ERROR:\s*/, '');
  if (/unknown command|is not a docker command|unknown flag/i.test(run.stderr)) {
    return new BuilderRecordError(`${what}: this docker has no \`buildx history\` (buildx 0.12 or later is needed)`);
  }
  if (/unknown method ListenBuildHistory|Unimplemented/i.test(run.stderr)) {
    return new BuilderRecordError(`${what}: the builder${options.builder ? ` ${options.builder}` : ''} keeps no build records (they need BuildKit 0.11 or later); name another with --builder`);
  }
  return new BuilderRecordError(`${what}: ${said ?? `docker exited with status ${run.code ?? 'unknown'}`}`);
}

export interface ListedRecord {
  /** `builder/node/ref`, as `history ls` prints it. */
  fullRef: string;
  ref: string;
  builder: string;
  createdAt?: string;
  status: string;
}

/** The builder's records, newest first. */
export async function listRecords(options: BuilderOptions): Promise<ListedRecord[]> {
  const run = await askBuilder(options, ['ls', '--format', 'json', '--no-trunc']);
  if (run.code !== 0) throw failure('cannot list the build records', run, options);
  const records: ListedRecord[] = [];
  for (const line of run.stdout.split('\n')) {
    if (line.trim() === '') continue;
    let item: Record<string, unknown>;
    try {
      item = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const fullRef = typeof item.ref === 'string' ? item.ref : '';
    const parts = fullRef.split('/');
    if (parts.length < 1 || parts[parts.length - 1] === '') continue;
    records.push({
      fullRef,
      ref: parts[parts.length - 1],
      builder: parts.length >= 3 ? parts[0] : (options.builder ?? ''),
      createdAt: recordTime(item.created_at),
      status: typeof item.status === 'string' ? item.status : '',
    });
  }
  return records.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
}

/** What `history inspect --format json` says of one record, in the terms a `.dockerbuild` uses. */
export async function inspectRecord(options: BuilderOptions, ref: string): Promise<RecordInfo> {
  const run = await askBuilder(options, ['inspect', '--format', 'json', ref]);
  if (run.code !== 0) throw failure(`cannot inspect the build record ${ref}`, run, options);
  let out: Record<string, unknown>;
  try {
    out = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new BuilderRecordError(`cannot inspect the build record ${ref}: docker's answer is not JSON`);
  }
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const context = text(out.Context);
  const dockerfile = text(out.Dockerfile) ?? 'Dockerfile';
  const remote = context !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(context);
  // Relative paths are relative to / (the command ran there), the Dockerfile's to the context.
  const contextPath = context === undefined ? undefined : remote ? context : path.resolve('/', context);
  const error = out.Error as { Message?: unknown } | undefined;
  const info: RecordInfo = {
    ref: text(out.Ref) ?? ref,
    dockerfileName: path.basename(dockerfile),
  };
  if (contextPath !== undefined) info.contextPath = contextPath;
  if (contextPath !== undefined && !remote) info.dockerfilePath = path.resolve(contextPath, dockerfile);
  const createdAt = recordTime(out.StartedAt);
  const completedAt = recordTime(out.CompletedAt);
  if (createdAt) info.createdAt = createdAt;
  if (completedAt) info.completedAt = completedAt;
  if (typeof out.NumCachedSteps === 'number') info.cachedSteps = out.NumCachedSteps;
  if (typeof out.NumTotalSteps === 'number') info.totalSteps = out.NumTotalSteps;
  if (text(out.Target)) info.target = text(out.Target);
  if (text(error?.Message)) info.error = text(error?.Message);
  return info;
}

/** Whether a record built this Dockerfile with this context, as far as the builder's records say. */
export function builtFrom(info: RecordInfo, dockerfile: string, context: string): boolean {
  return info.dockerfilePath !== undefined && info.contextPath !== undefined
    && path.resolve(info.dockerfilePath) === path.resolve(dockerfile) && path.resolve(info.contextPath) === path.resolve(context);
}

export interface FoundRecord {
  info: RecordInfo;
  builder: string;
}

/** The newest finished record of this Dockerfile and context; undefined when there is none. */
export async function latestRecordOf(options: BuilderOptions, dockerfile: string, context: string): Promise<FoundRecord | undefined> {
  const records = (await listRecords(options)).filter((r) => r.status !== 'Running');
  for (const record of records.slice(0, MAX_INSPECTED)) {
    const info = await inspectRecord(options, record.ref).catch(() => undefined);
    if (info && builtFrom(info, dockerfile, context)) return { info, builder: record.builder };
  }
  return undefined;
}

/** A named record: `ref` or `builder/node/ref`. */
export async function recordByRef(options: BuilderOptions, ref: string): Promise<FoundRecord> {
  const parts = ref.split('/');
  const builder = parts.length >= 3 ? parts[0] : options.builder;
  const info = await inspectRecord({ ...options, builder }, parts[parts.length - 1]);
  return { info, builder: builder ?? (await listRecords({ ...options, builder })).find((r) => r.ref === info.ref)?.builder ?? 'default' };
}

/** The record's status stream, replayed by buildx as rawjson on stderr, as progress events. */
export async function recordEvents(options: BuilderOptions, ref: string): Promise<ProgressEvent[]> {
  const run = await askBuilder(options, ['logs', '--progress', 'rawjson', ref]);
  if (run.code !== 0) throw failure(`cannot read the logs of the build record ${ref}`, run, options);
  const parser = new RawJsonProgressParser();
  const events = [...parser.push(run.stderr), ...parser.end()];
  if (!events.some((e) => e.type === 'vertex')) throw new BuilderRecordError(`the build record ${ref} has no status to show`);
  return events;
}
