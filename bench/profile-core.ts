// Where one analysis spends its time, by function: self time (the function's own code) and total
// time (with everything it calls), from a CPU profile of analyze() in a loop.
// Usage: node --import tsx bench/profile-core.ts [typical|generated|FILE] [--ms N] [--out FILE.cpuprofile] [--top N] [--model]
// --model profiles parseDockerfile alone, without the rules.
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../server/src/analysis/analyze';
import { loadShellParser } from '../server/src/analysis/parse/bashGrammar';
import { memoryContext } from '../server/src/analysis/model/context';
import { parseDockerfile } from '../server/src/analysis/model/model';
import { nowMs } from './support/stats';
import { generatedMultiStage, TYPICAL } from './lsp/dockerfiles';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

function post<T>(session: inspector.Session, method: string): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))));
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '');
  return `${functionName || '(anonymous)'} ${path.relative(process.cwd(), file) || '(native)'}:${lineNumber + 1}`;
}

/** Self and total hits per function; a recursive function counts once per sample in its total. */
function tally(nodes: ProfileNode[]): { self: Map<string, number>; total: Map<string, number>; hits: number } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let hits = 0;
  const walk = (node: ProfileNode, onStack: Map<string, number>) => {
    const key = label(node);
    const own = node.hitCount ?? 0;
    hits += own;
    self.set(key, (self.get(key) ?? 0) + own);
    onStack.set(key, (onStack.get(key) ?? 0) + 1);
    // Every sample below this node counts towards each distinct function on the stack once.
    const below = (n: ProfileNode): number => (n.hitCount ?? 0) + (n.children ?? []).reduce((s, c) => s + below(byId.get(c)!), 0);
    if (onStack.get(key) === 1) total.set(key, (total.get(key) ?? 0) + below(node));
    for (const child of node.children ?? []) walk(byId.get(child)!, onStack);
    onStack.set(key, onStack.get(key)! - 1);
  };
  walk(nodes[0], new Map());
  return { self, total, hits };
}

function print(title: string, counts: Map<string, number>, hits: number, top: number): void {
  process.stdout.write(`\n${title}\n`);
  for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((100 * n) / hits).toFixed(1).padStart(6)}%  ${key}\n`);
  }
}

async function main(): Promise<void> {
  await loadShellParser();
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { ms: { type: 'string', default: '3000' }, out: { type: 'string' }, top: { type: 'string', default: '25' }, model: { type: 'boolean', default: false } },
  });
  const which = positionals[0] ?? 'generated';
  const text = which === 'typical' ? TYPICAL : which === 'generated' ? generatedMultiStage(1000) : fs.readFileSync(which, 'utf8');
  // A context in memory, as the language server's remembered one: the profile shows the analysis, not the disk.
  const context = memoryContext({ 'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n', 'go.sum': '', 'cmd/server/main.go': 'package main\n' });
  const once = values.model ? () => parseDockerfile(text, context) : () => analyze(text, { context });
  for (let i = 0; i < 10; i++) once();

  const session = new inspector.Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.start');
  let runs = 0;
  const start = nowMs();
  while (nowMs() - start < Number(values.ms)) {
    once();
    runs++;
  }
  const elapsed = nowMs() - start;
  const { profile } = await post<{ profile: { nodes: ProfileNode[] } }>(session, 'Profiler.stop');
  if (values.out) fs.writeFileSync(values.out, JSON.stringify(profile));
  process.stdout.write(`${which}: ${runs} analyses, ${(elapsed / runs).toFixed(2)} ms each (while profiling)\n`);
  const { self, total, hits } = tally(profile.nodes);
  print('self time', self, hits, Number(values.top));
  print('total time', total, hits, Number(values.top));
}

void main();
