// BuildKit progress, whatever its wire format, as a stream of events about vertices (BuildKit's
// word for a unit of work: a Dockerfile step, loading the context, exporting the image), and the
// table those events build up. Pure: time comes in as an argument.
import type { BuildWarning } from './model';

export type ProgressEvent =
  | { type: 'vertex'; id: string; name: string }
  | { type: 'log'; id: string; text: string; atSeconds?: number }
  | { type: 'cached'; id: string }
  | { type: 'done'; id: string; durationMs?: number }
  | { type: 'error'; id: string; message: string; durationMs?: number }
  | { type: 'canceled'; id: string; durationMs?: number }
  /** A line that belongs to no vertex: docker's own messages, the failure summary. */
  | { type: 'output'; text: string }
  /** A warning BuildKit's Dockerfile checks gave (current BuildKit), with its 0-based line when known. */
  | { type: 'warning'; message: string; line?: number };

export type VertexState = 'running' | 'cached' | 'done' | 'error' | 'canceled';

export interface Vertex {
  id: string;
  name: string;
  /** `[internal] load build context` and the like: BuildKit's own work, not a Dockerfile step. */
  internal: boolean;
  state: VertexState;
  durationMs?: number;
  logs: string[];
  error?: string;
  /** Order in which the vertex first appeared. */
  order: number;
  firstSeenMs?: number;
  /** Latest log timestamp, seconds since the vertex started, as BuildKit prints it. */
  lastLogSeconds?: number;
}

export interface ProgressParser {
  /** Feeds raw output; chunks may end in the middle of a line. */
  push(chunk: string): ProgressEvent[];
  /** Flushes a last line that had no newline. */
  end(): ProgressEvent[];
}

const MAX_LOG_LINES = 20;
const MAX_OUTPUT_LINES = 200;
const MAX_WARNINGS = 50;
/** A step that prints a megabyte on one line must not put that megabyte into every hover. */
export const MAX_LINE_CHARS = 2000;

function clip(text: string): string {
  return text.length <= MAX_LINE_CHARS ? text : `${text.slice(0, MAX_LINE_CHARS)}… (${text.length - MAX_LINE_CHARS} more characters)`;
}

export function isInternalVertex(name: string): boolean {
  return !name.startsWith('[') || name.startsWith('[internal]') || name.startsWith('[auth]');
}

export class VertexTable {
  private readonly byId = new Map<string, Vertex>();
  /** Lines outside any vertex, most recent last. */
  readonly output: string[] = [];
  /** BuildKit's warnings, each once, in the order given. */
  readonly warnings: BuildWarning[] = [];

  apply(event: ProgressEvent, nowMs?: number): void {
    if (event.type === 'warning') {
      const known = this.warnings.some((w) => w.message === event.message && w.line === event.line);
      if (!known && this.warnings.length < MAX_WARNINGS) this.warnings.push(event.line === undefined ? { message: clip(event.message) } : { message: clip(event.message), line: event.line });
      return;
    }
    if (event.type === 'output') {
      this.output.push(clip(event.text));
      if (this.output.length > MAX_OUTPUT_LINES) this.output.shift();
      return;
    }
    const vertex = this.vertex(event.id, nowMs);
    switch (event.type) {
      case 'vertex':
        vertex.name = event.name;
        vertex.internal = isInternalVertex(event.name);
        break;
      case 'log':
        vertex.logs.push(clip(event.text));
        if (vertex.logs.length > MAX_LOG_LINES) vertex.logs.shift();
        if (event.atSeconds !== undefined) vertex.lastLogSeconds = Math.max(vertex.lastLogSeconds ?? 0, event.atSeconds);
        break;
      case 'cached':
        vertex.state = 'cached';
        break;
      case 'done':
        // A vertex reported cached stays cached: BuildKit may still print DONE 0.0s for it.
        if (vertex.state !== 'cached') vertex.state = 'done';
        if (event.durationMs !== undefined) vertex.durationMs = event.durationMs;
        break;
      case 'error':
        vertex.state = 'error';
        vertex.error = clip(event.message);
        vertex.durationMs ??= event.durationMs ?? this.elapsed(vertex, nowMs);
        break;
      case 'canceled':
        vertex.state = 'canceled';
        vertex.durationMs ??= event.durationMs ?? this.elapsed(vertex, nowMs);
        break;
    }
  }

  applyAll(events: readonly ProgressEvent[], nowMs?: number): void {
    for (const event of events) this.apply(event, nowMs);
  }

  vertices(): Vertex[] {
    return [...this.byId.values()].sort((a, b) => a.order - b.order);
  }

  private vertex(id: string, nowMs: number | undefined): Vertex {
    let vertex = this.byId.get(id);
    if (!vertex) {
      vertex = { id, name: '', internal: true, state: 'running', logs: [], order: this.byId.size, firstSeenMs: nowMs };
      this.byId.set(id, vertex);
    }
    return vertex;
  }

  /**
   * How long a step ran before it failed or was stopped; BuildKit prints no time for those. Its last
   * log line is a lower bound: a step that went quiet and was cancelled later ran until then.
   */
  private elapsed(vertex: Vertex, nowMs: number | undefined): number | undefined {
    const logged = vertex.lastLogSeconds === undefined ? undefined : Math.round(vertex.lastLogSeconds * 1000);
    const watched = nowMs !== undefined && vertex.firstSeenMs !== undefined ? Math.max(0, nowMs - vertex.firstSeenMs) : undefined;
    if (logged === undefined || watched === undefined) return logged ?? watched;
    return Math.max(logged, watched);
  }
}
