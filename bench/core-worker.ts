// Runs in its own process so that its peak memory is the analysis's and nothing else's.
// Usage: core-worker.ts DOCKERFILE [--cpu-profile OUT.cpuprofile]
// Prints one JSON line: analyses per second, peak RSS, and (with --cpu-profile) the functions
// with the most self time.
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { analyze } from '../server/src/analysis/analyze';
import { diskContext } from '../server/src/analysis/context';
import { nowMs } from './lib/stats';

const MEASURE_MS = 2000;
const WARM_UP = 20;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function post<T>(session: inspector.Session, method: string): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))));
}

/** Self time per function, highest first: where one analysis spends its time. */
function hottest(nodes: ProfileNode[], top = 8): Array<{ function: string; location: string; selfPercent: number }> {
  const total = nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
  const byFunction = new Map<string, number>();
  for (const node of nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '');
    const key = `${functionName || '(anonymous)'}\t${path.relative(process.cwd(), file) || '(native)'}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  return [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, hits]) => {
    const [fn, location] = key.split('\t');
    return { function: fn, location, selfPercent: Math.round((1000 * hits) / total) / 10 };
  });
}

async function main(): Promise<void> {
  const [file, flag, out] = process.argv.slice(2);
  const text = fs.readFileSync(file, 'utf8');
  const context = diskContext(path.dirname(path.resolve(file)));
  const loadedRssMb = process.memoryUsage().rss / 2 ** 20;
  for (let i = 0; i < WARM_UP; i++) analyze(text, { context });
  let runs = 0;
  const start = nowMs();
  while (nowMs() - start < MEASURE_MS) {
    analyze(text, { context });
    runs++;
  }
  const elapsed = nowMs() - start;
  const result: Record<string, unknown> = {
    opsPerSecond: (runs * 1000) / elapsed,
    msPerAnalysis: elapsed / runs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rssAfterLoadMb: loadedRssMb,
  };
  if (flag === '--cpu-profile') {
    const session = new inspector.Session();
    session.connect();
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.start');
    const until = nowMs() + MEASURE_MS;
    while (nowMs() < until) analyze(text, { context });
    const { profile } = await post<{ profile: { nodes: ProfileNode[] } }>(session, 'Profiler.stop');
    if (out) fs.writeFileSync(out, JSON.stringify(profile));
    result.hottest = hottest(profile.nodes);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
