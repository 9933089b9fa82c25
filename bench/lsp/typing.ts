// didChange → publishDiagnostics at typing pace: a change every 150 ms, each sending the whole
// text (full-document sync), on findings-heavy Go Dockerfiles, our server and the rcjsuen
// dockerfile-language-server-nodejs side by side. Edits do not wait for diagnostics, as a typist
// does not; each edit's latency runs from its didChange to the first diagnostics that cover it
// (its own version, or a later one when a server skipped it), and every skipped or lost version
// is counted, so a server cannot look fast by dropping diagnostics.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { median, nowMs, sleep } from '../support/stats';
import { LspSession, type ServerCommand } from './client';
import { EDIT_MARKER, findingsHeavy, writeProject } from './dockerfiles';

export const TYPING_INTERVAL_MS = 150;
const WARM_UP_EDITS = 5;
const DRAIN_MS = 10_000;

export interface TypingResult {
  file: string;
  server: string;
  editsMs: number[];
  medianMs?: number;
  p90Ms?: number;
  /** Diagnostics in the last publish. */
  diagnostics?: number;
  /** Edits whose own version was never published: a later version's diagnostics covered them. */
  superseded: number;
  /** Edits no diagnostics ever covered. */
  lost: number;
  unavailable?: string;
}

interface Tracked {
  session: LspSession;
  result: TypingResult;
  /** Version → when its didChange was sent, until diagnostics cover it. */
  pending: Map<number, number>;
  recording: Set<number>;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function settle(tracked: Tracked, params: PublishDiagnosticsParams, atMs: number): void {
  const versions = [...tracked.pending.keys()].sort((a, b) => a - b);
  // A server that does not say which version it analysed (the rcjsuen server) answers in order.
  const covered = params.version === undefined || params.version === null ? versions.slice(0, 1) : versions.filter((v) => v <= params.version!);
  for (const version of covered) {
    const sent = tracked.pending.get(version)!;
    tracked.pending.delete(version);
    if (!tracked.recording.has(version)) continue;
    tracked.result.editsMs.push(atMs - sent);
    if (params.version !== undefined && params.version !== null && version < params.version) tracked.result.superseded++;
  }
  tracked.result.diagnostics = params.diagnostics.length;
}

/** Every server gets the same edits every 150 ms, the servers' edits offset from each other so they do not run at the same instant. */
async function typeInto(commands: ServerCommand[], name: string, file: string, text: string, edits: number): Promise<TypingResult[]> {
  const uri = pathToFileURL(file).href;
  const tracked: Tracked[] = [];
  try {
    for (const command of commands) {
      const { session } = await LspSession.start(command, pathToFileURL(path.dirname(file)).href);
      const entry: Tracked = { session, result: { file: name, server: command.name, editsMs: [], superseded: 0, lost: 0 }, pending: new Map(), recording: new Set() };
      session.onPublish((params, at) => {
        if (params.uri === uri) settle(entry, params, at);
      });
      await session.open(uri, text);
      tracked.push(entry);
    }
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes(EDIT_MARKER));
    const character = lines[line].indexOf(EDIT_MARKER) + EDIT_MARKER.length;
    const offset = TYPING_INTERVAL_MS / tracked.length;
    const start = nowMs();
    for (let i = 1; i <= WARM_UP_EDITS + edits; i++) {
      lines[line] = lines[line].slice(0, character) + String(i).padStart(4, '0') + lines[line].slice(character + 4);
      const next = lines.join('\n');
      for (const [n, entry] of tracked.entries()) {
        const due = start + (i - 1) * TYPING_INTERVAL_MS + n * offset;
        const wait = due - nowMs();
        if (wait > 0) await sleep(wait);
        const version = i + 1;
        if (i > WARM_UP_EDITS) entry.recording.add(version);
        entry.pending.set(version, await entry.session.replaceText(uri, version, next));
      }
    }
    const drainUntil = nowMs() + DRAIN_MS;
    while (tracked.some((t) => t.pending.size > 0) && nowMs() < drainUntil) await sleep(20);
    return tracked.map(({ result, pending, recording }) => {
      const lost = [...pending.keys()].filter((v) => recording.has(v)).length;
      return { ...result, lost, medianMs: median(result.editsMs), p90Ms: percentile(result.editsMs, 90) };
    });
  } finally {
    await Promise.all(tracked.map((t) => t.session.stop()));
  }
}

export async function benchTyping(options: { workDir: string; edits: number; servers: ServerCommand[]; log: (line: string) => void }): Promise<TypingResult[]> {
  // The edited digits sit in an ENV value nothing reads, whose findings the editor keeps, and in a
  // RUN command, which it analyses again.
  const inRun = (text: string) => text.replace(`ENV ${EDIT_MARKER}`, `RUN echo ${EDIT_MARKER}`);
  const files = {
    'findings-heavy-13-lines': findingsHeavy(13),
    'findings-heavy-1000-lines': findingsHeavy(1000),
    'findings-heavy-13-lines, edit in a RUN': inRun(findingsHeavy(13)),
    'findings-heavy-1000-lines, edit in a RUN': inRun(findingsHeavy(1000)),
  };
  const results: TypingResult[] = [];
  for (const [name, text] of Object.entries(files)) {
    const file = writeProject(path.join(options.workDir, 'lsp-typing', name.replace(/\W+/g, '-')), text);
    try {
      for (const result of await typeInto(options.servers, name, file, text, options.edits)) {
        options.log(`typing, ${name}, ${result.server}: median ${result.medianMs?.toFixed(2)} ms, p90 ${result.p90Ms?.toFixed(2)} ms over ${result.editsMs.length} edits (${result.diagnostics} diagnostics, ${result.superseded} superseded, ${result.lost} lost)`);
        results.push(result);
      }
    } catch (error) {
      results.push(...options.servers.map((server) => ({ file: name, server: server.name, editsMs: [], superseded: 0, lost: 0, unavailable: (error as Error).message })));
    }
  }
  return results;
}
