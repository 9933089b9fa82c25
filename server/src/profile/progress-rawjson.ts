// Reads `docker buildx build --progress=rawjson`: one JSON SolveStatus per line, as BuildKit's
// client package defines it — {vertexes:[{digest,name,started,completed,cached,error}],
// logs:[{vertex,stream,data(base64),timestamp}], statuses, warnings}. Updates repeat a vertex with
// more fields filled in, so the parser remembers what it already reported.
import type { ProgressEvent, ProgressParser } from './events';

interface RawVertex {
  digest?: unknown;
  name?: unknown;
  started?: unknown;
  completed?: unknown;
  cached?: unknown;
  error?: unknown;
}

interface RawLog {
  vertex?: unknown;
  /** Base64 in JSON; bytes when the status comes decoded from a build record. */
  data?: unknown;
  timestamp?: unknown;
}

/** One SolveStatus, as JSON.parse gives it or as a build record's status stream decodes to. */
export interface SolveStatusLike {
  vertexes?: unknown;
  logs?: unknown;
  warnings?: unknown;
}

/** A Dockerfile check's warning (current BuildKit): `short` is base64 (bytes in a build record), `range` 1-based lines. */
interface RawWarning {
  short?: unknown;
  range?: unknown;
}

interface Seen {
  name?: string;
  /** The name last reported in a vertex event. */
  announced?: string;
  startedMs?: number;
  finished: boolean;
  partialLine: string;
}

function time(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export class RawJsonProgressParser implements ProgressParser {
  private pending = '';
  private readonly seen = new Map<string, Seen>();

  push(chunk: string): ProgressEvent[] {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap((line) => this.line(line));
  }

  end(): ProgressEvent[] {
    const rest = this.pending;
    this.pending = '';
    const events = rest.trim() === '' ? [] : this.line(rest);
    // A log that never got its newline is still output the user should see.
    for (const [id, seen] of this.seen) {
      if (seen.partialLine !== '') events.push({ type: 'log', id, text: seen.partialLine });
      seen.partialLine = '';
    }
    return events;
  }

  private line(raw: string): ProgressEvent[] {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return [];
    let status: unknown;
    try {
      status = JSON.parse(line);
    } catch {
      return [{ type: 'output', text: line }];
    }
    if (typeof status !== 'object' || status === null || Array.isArray(status)) return [{ type: 'output', text: line }];
    return this.status(status as SolveStatusLike);
  }

  /** The events of one SolveStatus that is already an object. */
  status(status: SolveStatusLike): ProgressEvent[] {
    const events: ProgressEvent[] = [];
    for (const vertex of list(status.vertexes)) events.push(...this.vertex(vertex as RawVertex));
    for (const log of list(status.logs)) events.push(...this.log(log as RawLog));
    for (const warning of list(status.warnings)) events.push(...this.warning(warning as RawWarning));
    return events;
  }

  private entry(id: string): Seen {
    let seen = this.seen.get(id);
    if (!seen) {
      seen = { finished: false, partialLine: '' };
      this.seen.set(id, seen);
    }
    return seen;
  }

  private vertex(vertex: RawVertex): ProgressEvent[] {
    if (typeof vertex !== 'object' || vertex === null || typeof vertex.digest !== 'string') return [];
    const id = vertex.digest;
    const seen = this.entry(id);
    if (typeof vertex.name === 'string') seen.name = vertex.name;
    seen.startedMs ??= time(vertex.started);
    const completedMs = time(vertex.completed);
    if (seen.finished) return this.announce(id, seen);
    const error = typeof vertex.error === 'string' && vertex.error !== '' ? vertex.error : undefined;
    // BuildKit's own printer shows CANCELED for exactly this suffix. Current BuildKit lists every
    // step of the build before it starts any; one stopped before it started did not run at all.
    const canceled = error?.endsWith('context canceled') === true;
    if (canceled && seen.startedMs === undefined) {
      seen.finished = true;
      return [];
    }
    const durationMs = seen.startedMs === undefined || completedMs === undefined ? undefined : Math.max(0, completedMs - seen.startedMs);
    let outcome: ProgressEvent | undefined;
    if (error !== undefined) outcome = canceled ? { type: 'canceled', id, durationMs } : { type: 'error', id, message: error, durationMs };
    else if (vertex.cached === true) outcome = { type: 'cached', id };
    else if (completedMs !== undefined) outcome = { type: 'done', id, durationMs };
    if (outcome) seen.finished = true;
    // A vertex is shown once it starts (or ends): listed but never started means not run.
    if (!outcome && seen.startedMs === undefined) return [];
    return [...this.announce(id, seen), ...(outcome ? [outcome] : [])];
  }

  /** The vertex event for a name not reported yet. */
  private announce(id: string, seen: Seen): ProgressEvent[] {
    if (seen.name === undefined || seen.name === seen.announced) return [];
    seen.announced = seen.name;
    return [{ type: 'vertex', id, name: seen.name }];
  }

  private warning(warning: RawWarning): ProgressEvent[] {
    if (typeof warning !== 'object' || warning === null) return [];
    const short = typeof warning.short === 'string' ? Buffer.from(warning.short, 'base64') : warning.short instanceof Uint8Array ? Buffer.from(warning.short) : undefined;
    if (short === undefined) return [];
    const message = short.toString('utf8').trim();
    if (message === '') return [];
    const start = (list(warning.range)[0] as { start?: { line?: unknown } } | undefined)?.start?.line;
    const line = typeof start === 'number' && Number.isInteger(start) && start > 0 ? start - 1 : undefined;
    // The message ends in "(line N)" already when the line is known; the line goes separately.
    const text = line === undefined ? message : message.replace(new RegExp(` \\(line ${line + 1}\\)$`), '');
    return [line === undefined ? { type: 'warning', message: text } : { type: 'warning', message: text, line }];
  }

  private log(log: RawLog): ProgressEvent[] {
    if (typeof log !== 'object' || log === null || typeof log.vertex !== 'string') return [];
    const data = typeof log.data === 'string' ? Buffer.from(log.data, 'base64') : log.data instanceof Uint8Array ? Buffer.from(log.data) : undefined;
    if (data === undefined) return [];
    const id = log.vertex;
    const seen = this.entry(id);
    const stamp = time(log.timestamp);
    const atSeconds = stamp !== undefined && seen.startedMs !== undefined ? Math.max(0, (stamp - seen.startedMs) / 1000) : undefined;
    const lines = (seen.partialLine + data.toString('utf8')).split('\n');
    seen.partialLine = lines.pop() ?? '';
    return lines.map((text) => ({ type: 'log' as const, id, text: text.replace(/\r$/, ''), ...(atSeconds === undefined ? {} : { atSeconds }) }));
  }
}
