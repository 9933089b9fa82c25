// Part 2b: the pure core alone, analyses per second and peak memory, each file in a fresh process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { timedRun, tail } from './lib/process';
import { generatedMultiStage, TYPICAL } from './lsp/dockerfiles';

export interface CoreResult {
  file: string;
  opsPerSecond?: number;
  msPerAnalysis?: number;
  peakRssMb?: number;
  rssAfterLoadMb?: number;
  /** Where an analysis spends its time, from a CPU profile of the same loop. */
  hottest?: Array<{ function: string; location: string; selfPercent: number }>;
  unavailable?: string;
}

export async function benchCore(options: { repoRoot: string; workDir: string; log: (line: string) => void }): Promise<CoreResult[]> {
  const files = { 'typical-30-lines': TYPICAL, 'generated-1000-instructions': generatedMultiStage(1000) };
  const results: CoreResult[] = [];
  for (const [name, text] of Object.entries(files)) {
    const dir = path.join(options.workDir, 'core', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/app\n\ngo 1.22\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
    const profile = path.join(options.workDir, `core-${name}.cpuprofile`);
    const worker = path.join(options.repoRoot, 'bench/core-worker.ts');
    const run = await timedRun(process.execPath, ['--import', 'tsx', worker, path.join(dir, 'Dockerfile'), '--cpu-profile', profile], { cwd: options.repoRoot });
    const line = run.output.trim().split('\n').find((l) => l.startsWith('{'));
    if (run.code !== 0 || !line) {
      results.push({ file: name, unavailable: `core worker failed:\n${tail(run.output)}` });
      continue;
    }
    const result: CoreResult = { file: name, ...(JSON.parse(line) as Omit<CoreResult, 'file'>) };
    options.log(`core, ${name}: ${result.opsPerSecond?.toFixed(0)} analyses/s, peak RSS ${result.peakRssMb?.toFixed(0)} MB`);
    results.push(result);
  }
  return results;
}
