// The closing note under the table: each missed goal, with the measurement that says why.
import type { Results } from './report';
import { ratio } from './support/stats';

const s = (ms?: number) => `${((ms ?? NaN) / 1000).toFixed(2)} s`;

function rebuildNotes(rebuild: NonNullable<Results['rebuild']>): string[] {
  const notes: string[] = [];
  const by = (name: string) => rebuild.variants.find((v) => v.variant === name);
  const [naive, fixed, tuned] = [by('naive'), by('fixed'), by('tuned')];
  for (const v of [naive, fixed, tuned]) if (v?.unavailable) notes.push(`Rebuild, ${v.variant}: not measured (${v.unavailable.split('\n')[0]}).`);
  const steps = (v: typeof fixed) => (v?.slowestSteps ?? []).slice(0, 3).map((step) => `${step.name} ${s(step.ms)}${step.cached ? ' (cached)' : ''}`).join('; ');
  const naiveOverFixed = ratio(naive?.medianMs ?? NaN, fixed?.medianMs ?? NaN);
  if (naiveOverFixed < 20) notes.push(`Goal missed: naive/fixed is ${naiveOverFixed.toFixed(1)}×, under 20×. Slowest steps of the last fixed rebuild: ${steps(fixed)}. Of the last naive rebuild: ${steps(naive)}.`);
  const fixedOverTuned = ratio(fixed?.medianMs ?? NaN, tuned?.medianMs ?? NaN);
  if (fixedOverTuned > 1.2) notes.push(`Goal missed: fixed/tuned is ${fixedOverTuned.toFixed(2)}×, over 1.2×. Fixed: ${steps(fixed)}. Tuned: ${steps(tuned)}.`);
  return notes;
}

function latencyNotes(results: Results): string[] {
  const latency = results.latency;
  if (!latency) return [];
  const missed = latency.results.filter((ours) => {
    const theirs = latency.results.find((r) => r.file === ours.file && r.server === 'dockerfile-language-server-nodejs');
    return ours.server.startsWith('go-dockerfile-cache') && ratio(ours.medianMs ?? NaN, theirs?.medianMs ?? NaN) > 1;
  });
  if (missed.length === 0) return [];
  const sizes = missed.map((m) => {
    const theirs = latency.results.find((r) => r.file === m.file && r.server === 'dockerfile-language-server-nodejs');
    return `${m.file}: ${m.diagnostics} diagnostics in ${((m.diagnosticsBytes ?? 0) / 1024).toFixed(1)} KB of JSON against ${theirs?.diagnostics} in ${((theirs?.diagnosticsBytes ?? 0) / 1024).toFixed(1)} KB`;
  });
  const notes = [`Goal missed: didChange → diagnostics is slower than the rcjsuen server for ${missed.map((m) => `${m.file} (${m.server.includes('debounce 0') ? 'debounceMs 0' : 'as shipped'})`).join(', ')}. The edits come after a pause, so the time is one analysis plus the notification: our findings travel as JSON the other server does not send (${[...new Set(sizes)].join('; ')}), serialised by the server and parsed by the client on every edit; the CPU profile of the core on the same files says where the analysis time goes.`];
  for (const core of results.core?.results ?? []) {
    if (!core.phases) continue;
    const phases = core.phases.slice(0, 5).map((p) => `${p.phase} ${p.percent}%`).join(', ');
    const hottest = (core.hottest ?? []).slice(0, 4).map((h) => `${h.function} ${h.selfPercent}%`).join(', ');
    notes.push(`CPU profile of \`analyze()\` re-analysing ${core.file} after a one-line edit: by phase ${phases}; by self time ${hottest}.`);
  }
  return notes;
}

function typingNotes(results: Results): string[] {
  const typing = results.typing;
  if (!typing) return [];
  const notes: string[] = [];
  for (const ours of typing.results.filter((r) => r.server === 'go-dockerfile-cache' && !r.unavailable)) {
    const theirs = typing.results.find((r) => r.file === ours.file && r.server === 'dockerfile-language-server-nodejs');
    const value = ratio(ours.medianMs ?? NaN, theirs?.medianMs ?? NaN);
    if (value > 1) notes.push(`Goal missed: at typing pace, ${ours.file} takes ${value.toFixed(2)}× the rcjsuen server's time (${ours.medianMs?.toFixed(1)} ms against ${theirs?.medianMs?.toFixed(1)} ms). Each of our answers is an analysis with ${ours.diagnostics} findings, where the other server reports ${theirs?.diagnostics} problems.`);
    if (ours.lost > 0) notes.push(`Goal missed: ${ours.lost} edits of ${ours.file} never got diagnostics.`);
  }
  return notes;
}

function overheadNotes(results: Results): string[] {
  const overhead = results.profileOverhead;
  const notes: string[] = [];
  const parts = overhead?.fixedCosts;
  const probe = parts?.buildxProbeMs === undefined
    ? 'no buildx probe (the buildx plugin is not installed, so `profile` uses plain progress without asking)'
    : `the \`docker buildx build --help\` probe for rawjson progress ${parts.buildxProbeMs.toFixed(0)} ms`;
  const rest = parts?.cliFullLoadMs === undefined ? '' : ` (the analysis core, ${(parts.cliFullLoadMs - parts.cliStartMs).toFixed(0)} ms more, loads while docker runs)`;
  const choice = parts?.contextChosenMs === undefined ? '' : `, choosing the build context (reading the repository's builds of the file) ${Math.max(0, parts.contextChosenMs - parts.cliStartMs).toFixed(0)} ms more`;
  const breakdown = parts ? ` Fixed costs measured alone: starting Node ${parts.nodeStartMs.toFixed(0)} ms, loading the CLI up to starting docker ${Math.max(0, parts.cliStartMs - parts.nodeStartMs).toFixed(0)} ms more${choice}${rest}, ${probe}.` : '';
  for (const scenario of overhead?.scenarios ?? []) {
    const value = ratio(scenario.medianProfileMs ?? NaN, scenario.medianDockerMs ?? NaN);
    if (!(value > 1.02)) continue;
    const extra = (scenario.medianProfileMs ?? 0) - (scenario.medianDockerMs ?? 0);
    notes.push(`Goal missed: \`profile\` takes ${value.toFixed(2)}× the plain build on "${scenario.scenario}", ${extra.toFixed(0)} ms more.${breakdown}`);
  }
  return notes;
}

function extensionNotes(results: Results): string[] {
  const bundles = results.extension?.bundles ?? [];
  const total = bundles.reduce((n, b) => n + (b.bytes ?? 0), 0);
  return total >= 1024 * 1024 ? [`Goal missed: the bundles are ${(total / 1024).toFixed(0)} KB together (${bundles.map((b) => `${b.file} ${((b.bytes ?? 0) / 1024).toFixed(0)} KB`).join(', ')}).`] : [];
}

export function closingNotes(results: Results): string[] {
  return [...(results.rebuild ? rebuildNotes(results.rebuild) : []), ...latencyNotes(results), ...typingNotes(results), ...overheadNotes(results), ...extensionNotes(results)];
}
