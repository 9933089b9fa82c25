// Reads `docker build --progress=plain` output. BuildKit prints one block per vertex:
//
//   #8 [build 4/5] RUN go mod download      header (after a blank line)
//   #8 sha256:7fc8…                          digest (docker 20.10 only)
//   #8 0.160 go: no module dependencies…     log line, seconds since the step started
//   #8 DONE 0.2s                             or CACHED, ERROR: <message>, CANCELED
//
// Blocks of parallel steps interleave; a block cut short ends with `#8 ...` and resumes later
// with its header printed again.
import type { ProgressEvent, ProgressParser } from './events';

const VERTEX_LINE = /^#(\d+) (.*)$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const DONE = /^DONE (\d+(?:\.\d+)?)s$/;
const LOG_WITH_TIME = /^(\d+\.\d+)(?: (.*))?$/;
// buildx colours its warning summary even when stderr is not a terminal.
const ANSI = /\x1b\[[0-9;]*m/g;
// Current BuildKit ends with `N warnings found (use docker --debug to expand):`, then one
// ` - Rule: message (line N)` per warning.
const WARNINGS_HEADER = /^\d+ warnings? found\b/;
const WARNING_ITEM = /^ - (.*?)(?: \(line (\d+)\))?$/;

export class PlainProgressParser implements ProgressParser {
  private pending = '';
  private atBlockStart = true;
  private currentId: string | undefined;
  private afterHeader = false;
  private inWarnings = false;

  push(chunk: string): ProgressEvent[] {
    const text = this.pending + chunk;
    const lines = text.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap((line) => this.line(line));
  }

  end(): ProgressEvent[] {
    const rest = this.pending;
    this.pending = '';
    return rest === '' ? [] : this.line(rest);
  }

  private line(raw: string): ProgressEvent[] {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      this.atBlockStart = true;
      this.afterHeader = false;
      return [];
    }
    const match = VERTEX_LINE.exec(line);
    if (!match) {
      this.atBlockStart = false;
      this.currentId = undefined;
      const text = line.replace(ANSI, '');
      if (WARNINGS_HEADER.test(text.trim())) this.inWarnings = true;
      const warning = this.inWarnings ? WARNING_ITEM.exec(text) : null;
      if (warning) return [{ type: 'output', text }, { type: 'warning', message: warning[1], ...(warning[2] ? { line: Number(warning[2]) - 1 } : {}) }];
      return [{ type: 'output', text }];
    }
    this.inWarnings = false;
    const [, id, rest] = match;
    if (this.atBlockStart || id !== this.currentId) {
      this.atBlockStart = false;
      this.currentId = id;
      this.afterHeader = true;
      return [{ type: 'vertex', id, name: rest }];
    }
    const afterHeader = this.afterHeader;
    this.afterHeader = false;
    if (afterHeader && DIGEST.test(rest)) return [];
    return this.status(id, rest);
  }

  private status(id: string, rest: string): ProgressEvent[] {
    if (rest === '...') return [];
    if (rest === 'CACHED') return [{ type: 'cached', id }];
    if (rest === 'CANCELED') return [{ type: 'canceled', id }];
    if (rest.startsWith('ERROR')) return [{ type: 'error', id, message: rest.replace(/^ERROR:?\s*/, '') }];
    const done = DONE.exec(rest);
    if (done) return [{ type: 'done', id, durationMs: Math.round(Number(done[1]) * 1000) }];
    const log = LOG_WITH_TIME.exec(rest);
    if (log) return [{ type: 'log', id, text: log[2] ?? '', atSeconds: Number(log[1]) }];
    return [{ type: 'log', id, text: rest }];
  }
}
