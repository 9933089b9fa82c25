// What is left running, read from /proc: the children of a process, and a bounded wait for them
// to be gone.
import { eventually } from '../helpers/eventually';
import { listProcesses } from '../helpers/processes';

/** Live (not zombie) children of `pid`, with their command lines. */
export function childrenOf(pid = process.pid): string[] {
  return listProcesses().filter((p) => p.ppid === pid && p.state !== 'Z').map((p) => `${p.pid} ${p.command}`);
}

/**
 * Waits (bounded) until this process has no children besides those in `before` (the TypeScript
 * loader keeps a compiler process of its own); returns the others still there.
 */
export function noNewChildren(before: readonly string[], limitMs = 15_000): Promise<string[]> {
  return eventually(() => childrenOf().filter((child) => !before.includes(child)), (left) => left.length === 0, limitMs);
}

/** Command lines of every process that mentions `text`, this one excepted. */
export function commandLinesWith(text: string): string[] {
  return listProcesses().filter((p) => p.pid !== process.pid && p.command.includes(text)).map((p) => `${p.pid} ${p.command}`);
}

/** Processes whose whole command line is `command`. */
export function processesExactly(command: string): number[] {
  return listProcesses().filter((p) => p.command === command).map((p) => p.pid);
}
