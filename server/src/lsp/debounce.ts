// Runs a task per key, at most once per quiet period: an isolated call runs at once (an edit after
// a pause gets its diagnostics without waiting), calls in quick succession run once, `delayMs`
// after the last of them (a burst of keystrokes is analysed once, at its end).
import { performance } from 'node:perf_hooks';

export class KeyedDebouncer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lastRun = new Map<string, number>();

  constructor(
    private readonly task: (key: string) => void | Promise<void>,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  schedule(key: string, delayMs: number): void {
    const pending = this.timers.has(key);
    this.cancel(key);
    const last = this.lastRun.get(key);
    if (!pending && (last === undefined || performance.now() - last >= delayMs)) {
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
  }

  /** Cancel and forget the key altogether (its document closed). */
  forget(key: string): void {
    this.cancel(key);
    this.lastRun.delete(key);
  }

  private run(key: string): void {
    this.lastRun.set(key, performance.now());
    Promise.resolve().then(() => this.task(key)).catch((error) => this.onError(key, error));
  }
}
