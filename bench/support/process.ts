// Runs a command to completion and times it: the wall time a developer waits for.
import { spawn } from 'node:child_process';
import { nowMs } from './stats';

export interface TimedRun {
  ms: number;
  code: number | null;
  output: string;
}

export function timedRun(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<TimedRun> {
  return new Promise((resolve) => {
    const start = nowMs();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (error) => resolve({ ms: nowMs() - start, code: null, output: output + String(error) }));
    child.on('close', (code) => resolve({ ms: nowMs() - start, code, output }));
    child.stdin.end(options.input ?? '');
  });
}

/** The last lines of a command's output, for an error message. */
export function tail(output: string, lines = 15): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}
