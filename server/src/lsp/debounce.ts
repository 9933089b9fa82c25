// Runs a task per key, at most once per quiet period: an isolated call runs at once (an edit after
// a pause gets its diagnostics without waiting), calls in quick succession run once, `delayMs`
// after the last of them (a burst of keystrokes is analysed once, at its end).
//
// One run per key at a time: a call while the task runs (edits typed during a long analysis) does
// not start a timer; the task runs again as soon as the current run ends, when the quiet period
// since that run's start is over, so a server that is behind never adds a wait to its backlog.
import { performance } from 'node:perf_hooks';

export class KeyedDebouncer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastRun = new Map<string, number>();
  private readonly running = new Set<string>();
  /** Keys asked for again while their task was running, with the delay asked for. */
  private readonly again = new Map<string, number>();

  constructor(
    private readonly task: (key: string) => void | Promise<void>,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  schedule(key: string, delayMs: number): void {
    if (this.running.has(key)) {
      this.again.set(key, Math.min(delayMs, this.again.get(key) ?? delayMs));
      return;
    }
    const pending = this.timers.has(key);
    this.cancel(key);
    const last = this.lastRun.get(key);
    const since = last === undefined ? Infinity : performance.now() - last;
    if (!pending && since >= delayMs) {
      this.run(key);
      return;
    }
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.run(key);
    }, delayMs));
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.again.delete(key);
  }

  /** Cancel and forget the key altogether (its document closed). */
  forget(key: string): void {
    this.cancel(key);
    this.lastRun.delete(key);
  }

  private run(key: string): void {
    this.lastRun.set(key, performance.now());
    this.running.add(key);
    Promise.resolve()
      .then(() => this.task(key))
      .catch((error) => this.onError(key, error))
      .finally(() => {
        this.running.delete(key);
        const delayMs = this.again.get(key);
        if (delayMs === undefined) return;
        this.again.delete(key);
        const elapsed = performance.now() - (this.lastRun.get(key) ?? 0);
        if (elapsed >= delayMs) this.run(key);
        else this.timers.set(key, setTimeout(() => {
          this.timers.delete(key);
          this.run(key);
        }, delayMs - elapsed));
      });
  }
}
