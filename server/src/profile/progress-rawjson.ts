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
}

interface Seen {
  name?: string;
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
    const events: ProgressEvent[] = [];
    if (typeof vertex.name === 'string' && vertex.name !== seen.name) {
      seen.name = vertex.name;
      events.push({ type: 'vertex', id, name: vertex.name });
    }
    seen.startedMs ??= time(vertex.started);
    const completedMs = time(vertex.completed);
    if (seen.finished) return events;
    const error = typeof vertex.error === 'string' && vertex.error !== '' ? vertex.error : undefined;
    const durationMs = seen.startedMs === undefined || completedMs === undefined ? undefined : Math.max(0, completedMs - seen.startedMs);
    if (error !== undefined) {
      seen.finished = true;
      // BuildKit's own printer shows CANCELED for exactly this suffix.
      events.push(error.endsWith('context canceled') ? { type: 'canceled', id, durationMs } : { type: 'error', id, message: error, durationMs });
    } else if (vertex.cached === true) {
      seen.finished = true;
      events.push({ type: 'cached', id });
    } else if (completedMs !== undefined) {
      seen.finished = true;
      events.push({ type: 'done', id, durationMs });
    }
    return events;
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
