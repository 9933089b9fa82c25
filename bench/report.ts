// The benchmark's results as a table: printed, written into bench/results.json, and put between
// the bench markers of bench/README.md (and of README.md once the section lives there).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CoreResult } from './core';
import type { BundleSize, StartupResult } from './extension-cost';
import type { LatencyResult } from './lsp/latency';
import type { TypingResult } from './lsp/typing';
import type { PrecisionResult } from './precision';
import type { FixedCosts, OverheadScenario } from './profile-overhead';
import type { VariantResult } from './rebuild';
import { ratio } from './support/stats';

export interface Results {
  machine?: { cpus: number; loadAverage: number[]; node: string; docker?: string };
  rebuild?: { measuredAt: string; rounds: number; engine?: string; proxyModules?: number; variants: VariantResult[] };
  latency?: { measuredAt: string; edits: number; results: LatencyResult[] };
  typing?: { measuredAt: string; edits: number; intervalMs: number; results: TypingResult[] };
  core?: { measuredAt: string; results: CoreResult[] };
  profileOverhead?: { measuredAt: string; engine?: string; scenarios: OverheadScenario[]; fixedCosts?: FixedCosts };
  extension?: { measuredAt: string; bundles: BundleSize[]; startup: StartupResult[] };
  precision?: PrecisionResult & { measuredAt: string };
}

interface Row {
  measure: string;
  ours: string;
  baseline: string;
  ratio: string;
  goal: string;
  met: string;
}

export const MARKER_START = '<!-- bench:table:start -->';
export const MARKER_END = '<!-- bench:table:end -->';

const seconds = (ms?: number) => (ms === undefined || Number.isNaN(ms) ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);
const millis = (ms?: number) => (ms === undefined || Number.isNaN(ms) ? 'n/a' : ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(0)} ms`);
const times = (value: number) => (Number.isNaN(value) ? 'n/a' : `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`);
const verdict = (value: number, ok: (v: number) => boolean) => (Number.isNaN(value) ? 'not measured' : ok(value) ? 'yes' : '**no**');

function rebuildRows(rebuild: NonNullable<Results['rebuild']>): Row[] {
  const by = (name: string) => rebuild.variants.find((v) => v.variant === name);
  const [naive, fixed, tuned] = [by('naive'), by('fixed'), by('tuned')];
  const label = (v: VariantResult | undefined) => (v?.unavailable ? `not available: ${v.unavailable.split('\n')[0]}` : seconds(v?.medianMs));
  const naiveOverFixed = ratio(naive?.medianMs ?? NaN, fixed?.medianMs ?? NaN);
  const fixedOverTuned = ratio(fixed?.medianMs ?? NaN, tuned?.medianMs ?? NaN);
  const note = `median of ${rebuild.rounds}${rebuild.engine ? `, ${rebuild.engine.replace(/ \(.*$/, '')}` : ''}`;
  return [
    { measure: `Rebuild after a one-line change, naive Dockerfile (${note})`, ours: '', baseline: label(naive), ratio: '', goal: '', met: '' },
    { measure: `Rebuild after a one-line change, Dockerfile from \`fix\` (${note})`, ours: label(fixed), baseline: `naive ${label(naive)}`, ratio: `naive/fixed ${times(naiveOverFixed)}`, goal: '≥ 20×', met: verdict(naiveOverFixed, (v) => v >= 20) },
    { measure: `Rebuild after a one-line change, hand-tuned Dockerfile (${note})`, ours: label(fixed), baseline: `tuned ${label(tuned)}`, ratio: `fixed/tuned ${times(fixedOverTuned)}`, goal: '≤ 1.2×', met: verdict(fixedOverTuned, (v) => v <= 1.2) },
  ];
}

function latencyRows(latency: NonNullable<Results['latency']>, core: Results['core']): Row[] {
  const rows: Row[] = [];
  for (const file of [...new Set(latency.results.map((r) => r.file))]) {
    const theirs = latency.results.find((r) => r.file === file && r.server === 'dockerfile-language-server-nodejs');
    for (const ours of latency.results.filter((r) => r.file === file && r.server.startsWith('go-dockerfile-cache'))) {
      const value = ratio(ours.medianMs ?? NaN, theirs?.medianMs ?? NaN);
      const mode = ours.server.includes('debounce 0') ? 'debounceMs 0' : 'as shipped';
      rows.push({
        measure: `didChange → publishDiagnostics, ${file} (${mode}; median of ${latency.edits} edits)`,
        ours: ours.unavailable ? 'not available' : `${millis(ours.medianMs)} (${ours.diagnostics} diagnostics)`,
        baseline: theirs?.unavailable ? 'not available' : `rcjsuen ${millis(theirs?.medianMs)} (${theirs?.diagnostics} diagnostics)`,
        ratio: `ours/theirs ${times(value)}`, goal: '≤ 1.0×', met: verdict(value, (v) => v <= 1),
      });
    }
  }
  for (const result of core?.results ?? []) {
    const value = ratio(result.theirsPerSecond ?? NaN, result.oursPerSecond ?? NaN);
    rows.push({
      measure: `Pure core \`analyze()\` vs dockerfile-utils \`validate()\`, ${result.file}`,
      ours: result.unavailable ? 'not available' : `${result.oursPerSecond?.toFixed(1)} files/s, peak RSS ${result.peakRssMb?.ours.toFixed(0)} MB`,
      baseline: result.unavailable ? '' : `${result.theirsPerSecond?.toFixed(1)} files/s, peak RSS ${result.peakRssMb?.theirs.toFixed(0)} MB`,
      ratio: `time per file ours/theirs ${times(value)}`, goal: '', met: '',
    });
  }
  return rows;
}

function typingRows(typing: NonNullable<Results['typing']>): Row[] {
  const rows: Row[] = [];
  for (const file of [...new Set(typing.results.map((r) => r.file))]) {
    const theirs = typing.results.find((r) => r.file === file && r.server === 'dockerfile-language-server-nodejs');
    const ours = typing.results.find((r) => r.file === file && r.server === 'go-dockerfile-cache');
    if (!ours) continue;
    const value = ratio(ours.medianMs ?? NaN, theirs?.medianMs ?? NaN);
    const kept = ours.lost === 0 ? `${ours.superseded} of ${ours.editsMs.length} answered by a newer version, none lost` : `**${ours.lost} lost**`;
    rows.push({
      measure: `didChange → publishDiagnostics at typing pace (a full-text change every ${typing.intervalMs} ms), ${file} (median of ${typing.edits} edits)`,
      ours: ours.unavailable ? 'not available' : `${millis(ours.medianMs)}, p90 ${millis(ours.p90Ms)} (${ours.diagnostics} diagnostics; ${kept})`,
      baseline: theirs?.unavailable || !theirs ? 'not available' : `rcjsuen ${millis(theirs.medianMs)}, p90 ${millis(theirs.p90Ms)} (${theirs.diagnostics} diagnostics)`,
      ratio: `ours/theirs ${times(value)}`, goal: '≤ 1.0×, none lost', met: verdict(value, (v) => v <= 1 && ours.lost === 0),
    });
  }
  return rows;
}

function overheadRows(overhead: NonNullable<Results['profileOverhead']>): Row[] {
  return overhead.scenarios.map((s) => {
    const value = ratio(s.medianProfileMs ?? NaN, s.medianDockerMs ?? NaN);
    return {
      measure: `\`profile\` vs plain \`docker buildx build\`, cached build, ${s.scenario} (median of ${s.dockerMs.length}${overhead.engine ? `, ${overhead.engine.replace(/ \(.*$/, '')}` : ''})`,
      ours: s.unavailable ? `not available: ${s.unavailable.split('\n')[0]}` : seconds(s.medianProfileMs),
      baseline: s.unavailable ? '' : `docker buildx build ${seconds(s.medianDockerMs)}`, ratio: times(value), goal: '≤ 1.02×', met: verdict(value, (v) => v <= 1.02),
    };
  });
}

function extensionRows(extension: NonNullable<Results['extension']>): Row[] {
  const total = extension.bundles.reduce((n, b) => n + (b.bytes ?? NaN), 0);
  const [ours, theirs] = [extension.startup.find((s) => s.server === 'go-dockerfile-cache'), extension.startup.find((s) => s.server === 'dockerfile-language-server-nodejs')];
  return [
    {
      measure: `Bundle size, ${extension.bundles.map((b) => `${path.basename(b.file)} ${b.bytes === undefined ? 'not built' : `${(b.bytes / 1024).toFixed(0)} KB`}`).join(' + ')}`,
      ours: Number.isNaN(total) ? 'n/a' : `${(total / 1024).toFixed(0)} KB`, baseline: '', ratio: '', goal: '< 1 MB', met: verdict(total, (v) => v < 1024 * 1024),
    },
    {
      measure: `Language server spawn → initialized (median of ${ours?.startsMs.length ?? 0})`,
      ours: ours?.unavailable ? 'not available' : millis(ours?.medianMs), baseline: `rcjsuen ${millis(theirs?.medianMs)}`,
      ratio: `ours/theirs ${times(ratio(ours?.medianMs ?? NaN, theirs?.medianMs ?? NaN))}`, goal: '', met: '',
    },
  ];
}

export function tableRows(results: Results): Row[] {
  return [
    ...(results.rebuild ? rebuildRows(results.rebuild) : []),
    ...(results.latency ? latencyRows(results.latency, results.core) : []),
    ...(results.typing ? typingRows(results.typing) : []),
    ...(results.profileOverhead ? overheadRows(results.profileOverhead) : []),
    ...(results.extension ? extensionRows(results.extension) : []),
  ];
}

export function markdownTable(results: Results): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const lines = ['| Measure | go-dockerfile-cache | Baseline | Ratio | Goal | Met |', '|---|---|---|---|---|---|'];
  for (const row of tableRows(results)) lines.push(`| ${[row.measure, row.ours, row.baseline, row.ratio, row.goal, row.met].map(escape).join(' | ')} |`);
  return lines.join('\n');
}

/** Replaces the table between the bench markers (or the given ones) of each file that has them. */
export function updateReadmes(files: readonly string[], table: string, footer: string, markers = { start: MARKER_START, end: MARKER_END }): string[] {
  const updated: string[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const start = text.indexOf(markers.start);
    const end = text.indexOf(markers.end);
    if (start < 0 || end < start) continue;
    fs.writeFileSync(file, `${text.slice(0, start + markers.start.length)}\n${table}\n\n${footer}\n${text.slice(end)}`);
    updated.push(file);
  }
  return updated;
}
