// Part 2b: the pure core alone against dockerfile-utils' validate() (the rcjsuen server's
// analysis) on the same files: analyses per second, peak memory, and where our time goes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tail, timedRun } from './support/process';
import { generatedMultiStage, TYPICAL } from './lsp/dockerfiles';

export interface CoreResult {
  file: string;
  oursPerSecond?: number;
  theirsPerSecond?: number;
  peakRssMb?: { ours: number; theirs: number };
  rssAfterLoadMb?: { ours: number; theirs: number };
  /** Where re-analysing after a one-line edit spends its time, by self time, from a CPU profile. */
  hottest?: Array<{ function: string; selfPercent: number }>;
  /** The same profile by rule (inclusive of what each rule calls) and parsing. */
  phases?: Array<{ phase: string; percent: number }>;
  unavailable?: string;
}

export async function benchCore(options: { repoRoot: string; workDir: string; log: (line: string) => void }): Promise<CoreResult[]> {
  const files = { 'typical-30-lines': TYPICAL, 'generated-1000-instructions': generatedMultiStage(1000) };
  const worker = async <T>(...args: string[]): Promise<T> => {
    const run = await timedRun(process.execPath, ['--import', 'tsx', path.join(options.repoRoot, 'bench/core-worker.ts'), ...args], { cwd: options.repoRoot });
    const line = run.output.trim().split('\n').find((l) => l.startsWith('{'));
    if (run.code !== 0 || !line) throw new Error(`core worker ${args[0]} failed:\n${tail(run.output)}`);
    return JSON.parse(line) as T;
  };
  const results: CoreResult[] = [];
  for (const [name, text] of Object.entries(files)) {
    const dir = path.join(options.workDir, 'core', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, text);
    try {
      type Memory = { peakRssMb: number; rssAfterLoadMb: number };
      const rate = await worker<{ oursPerSecond: number; theirsPerSecond: number }>('rate', file);
      const [ours, theirs] = [await worker<Memory>('memory', 'ours', file), await worker<Memory>('memory', 'theirs', file)];
      const { hottest, phases } = await worker<Pick<CoreResult, 'hottest' | 'phases'>>('profile', file, path.join(options.workDir, `core-${name}.cpuprofile`));
      const result: CoreResult = {
        file: name, oursPerSecond: rate.oursPerSecond, theirsPerSecond: rate.theirsPerSecond, hottest, phases,
        peakRssMb: { ours: ours.peakRssMb, theirs: theirs.peakRssMb }, rssAfterLoadMb: { ours: ours.rssAfterLoadMb, theirs: theirs.rssAfterLoadMb },
      };
      options.log(`core, ${name}: ${result.oursPerSecond?.toFixed(0)} analyses/s (dockerfile-utils ${result.theirsPerSecond?.toFixed(0)}/s), peak RSS ${ours.peakRssMb.toFixed(0)} MB`);
      results.push(result);
    } catch (error) {
      results.push({ file: name, unavailable: (error as Error).message });
    }
  }
  return results;
}
