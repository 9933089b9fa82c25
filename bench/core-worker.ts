// Runs in its own process, so that its peak memory is one analyser's and nothing else's.
//   core-worker.ts rate FILE            analyses per second, ours and dockerfile-utils' validate()
//                                        (what the rcjsuen server runs), in alternating slices
//   core-worker.ts memory ours|theirs FILE   peak RSS while analysing FILE over and over
//   core-worker.ts profile FILE OUT     the functions with the most self time in our analysis of
//                                        the file after a one-line edit
// Prints one JSON line.
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { analyze } from '../server/src/analysis/analyze';
import { diskContext } from '../server/src/analysis/model/context';
import { loadShellParser } from '../server/src/analysis/parse/bashGrammar';
import { forgetParsedInstructions } from '../server/src/analysis/parse/reusingParser';
import { forgetShellParses } from '../server/src/analysis/parse/shell';
import { BuildContextCache } from '../server/src/lsp/contextCache';
import { nowMs } from './support/stats';
import { EDIT_MARKER } from './lsp/dockerfiles';

type Analyser = (text: string) => unknown;

const SLICE_MS = 200;
const SLICES = 10;

function analysers(file: string): Record<'ours' | 'theirs', Analyser> {
  const context = diskContext(path.dirname(path.resolve(file)));
  // dockerfile-utils as the rcjsuen server itself resolves it.
  const serverPackage = require.resolve('dockerfile-language-server-nodejs/package.json');
  const utils = require(require.resolve('dockerfile-utils', { paths: [path.dirname(serverPackage)] })) as { validate: Analyser };
  // Each analysis starts from scratch, as for a file opened or checked once: the parser's reuse of
  // unchanged instructions between versions would otherwise turn every run after the first into
  // a re-analysis of an unchanged file. The latency part measures editing, where reuse applies.
  const fresh = (text: string) => {
    forgetParsedInstructions();
    forgetShellParses();
    return analyze(text, { context });
  };
  return { ours: fresh, theirs: (text) => utils.validate(text) };
}

/** Runs `analyser` for `ms` and returns how many analyses finished. */
function runFor(analyser: Analyser, text: string, ms: number): number {
  let runs = 0;
  const until = nowMs() + ms;
  while (nowMs() < until) {
    analyser(text);
    runs++;
  }
  return runs;
}

function rate(file: string): Record<string, number> {
  const text = fs.readFileSync(file, 'utf8');
  const all = analysers(file);
  const runs = { ours: 0, theirs: 0 };
  for (const name of ['ours', 'theirs'] as const) runFor(all[name], text, SLICE_MS); // warm-up: JIT and caches
  for (let slice = 0; slice < SLICES; slice++) {
    for (const name of ['ours', 'theirs'] as const) runs[name] += runFor(all[name], text, SLICE_MS);
  }
  const seconds = (SLICES * SLICE_MS) / 1000;
  return { oursPerSecond: runs.ours / seconds, theirsPerSecond: runs.theirs / seconds };
}

function memory(which: 'ours' | 'theirs', file: string): Record<string, number> {
  const text = fs.readFileSync(file, 'utf8');
  const analyser = analysers(file)[which];
  const rssAfterLoadMb = process.memoryUsage().rss / 2 ** 20;
  runFor(analyser, text, 1000);
  return { peakRssMb: process.resourceUsage().maxRSS / 1024, rssAfterLoadMb };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
  children?: number[];
}

/** What a sample was spent on: the rule it ran under, parsing, or the rest of analyze(). */
function phaseOf(frames: ProfileNode[]): string {
  for (const { callFrame } of frames) {
    const rule = /analysis\/rules\/(GD\d+[\w-]*)\.ts/.exec(callFrame.url);
    if (rule) return rule[1];
  }
  return frames.some((f) => f.callFrame.functionName === 'parseDockerfile') ? 'parseDockerfile (model)' : 'rest of analyze()';
}

/** Share of samples per phase, inclusive of everything called from it. */
function phases(nodes: ProfileNode[]): Array<{ phase: string; percent: number }> {
  const parent = new Map<number, ProfileNode>();
  for (const node of nodes) for (const child of node.children ?? []) parent.set(child, node);
  const hits = new Map<string, number>();
  let total = 0;
  for (const node of nodes) {
    if (!node.hitCount || node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') continue;
    const stack: ProfileNode[] = [];
    for (let n: ProfileNode | undefined = node; n; n = parent.get(n.id)) stack.push(n);
    const phase = phaseOf(stack);
    hits.set(phase, (hits.get(phase) ?? 0) + node.hitCount);
    total += node.hitCount;
  }
  return [...hits].sort((a, b) => b[1] - a[1]).map(([phase, n]) => ({ phase, percent: Math.round((1000 * n) / (total || 1)) / 10 }));
}

function post<T>(session: inspector.Session, method: string): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))));
}

/**
 * What re-analysing the file after a one-line edit costs, as the language server does on every
 * keystroke (instructions the edit did not touch are reused): the time the latency part measures.
 */
async function profile(file: string, out: string): Promise<Record<string, unknown>> {
  const text = fs.readFileSync(file, 'utf8');
  // The build context as the language server keeps it: its answers remembered between edits.
  const context = new BuildContextCache().get(path.dirname(path.resolve(file)));
  let edits = 0;
  const ours: Analyser = (written) => analyze(written.replace(`${EDIT_MARKER}0000`, `${EDIT_MARKER}${String(edits++ % 10000).padStart(4, '0')}`), { context });
  runFor(ours, text, SLICE_MS);
  const session = new inspector.Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.start');
  runFor(ours, text, 2000);
  const { profile: result } = await post<{ profile: { nodes: ProfileNode[] } }>(session, 'Profiler.stop');
  fs.writeFileSync(out, JSON.stringify(result));
  const total = result.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
  const byFunction = new Map<string, number>();
  for (const { callFrame, hitCount } of result.nodes) {
    const where = callFrame.url ? path.relative(process.cwd(), callFrame.url.replace(/^file:\/\//, '')) : 'native';
    const key = `${callFrame.functionName || '(anonymous)'} (${where})`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (hitCount ?? 0));
  }
  const hottest = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, hits]) => ({ function: name, selfPercent: Math.round((1000 * hits) / total) / 10 }));
  return { hottest, phases: phases(result.nodes).slice(0, 8) };
}

async function main(): Promise<void> {
  const [mode, a, b] = process.argv.slice(2);
  await loadShellParser();
  const result = mode === 'rate' ? rate(a) : mode === 'memory' ? memory(a as 'ours' | 'theirs', b) : await profile(a, b);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
