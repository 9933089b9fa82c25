// Part 2: time from didChange to publishDiagnostics, our server against the rcjsuen
// dockerfile-language-server-nodejs, on the same Dockerfiles and the same edits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, sleep } from '../support/stats';
import { LspSession, type ServerCommand } from './client';
import { EDIT_MARKER, generatedMultiStage, TYPICAL, writeProject } from './dockerfiles';
import { benchTyping, type TypingResult } from './typing';

export interface LatencyResult {
  file: string;
  server: string;
  editsMs: number[];
  medianMs?: number;
  diagnostics?: number;
  /** Size of the last publishDiagnostics notification's JSON. */
  diagnosticsBytes?: number;
  unavailable?: string;
}

export interface LatencyOptions {
  repoRoot: string;
  workDir: string;
  edits: number;
  log: (line: string) => void;
}

const WARM_UP_EDITS = 5;
/** Pause between edits, not timed, so that a late message of one edit cannot land in the next. */
const SETTLE_MS = 20;

export function servers(repoRoot: string): ServerCommand[] {
  const ours = path.join(repoRoot, 'server/out/server.js');
  const theirs = path.join(repoRoot, 'node_modules/dockerfile-language-server-nodejs/bin/docker-langserver');
  return [
    { name: 'go-dockerfile-cache', command: process.execPath, args: [ours, '--stdio'] },
    // The debounce only delays edits that come in quick succession; with 0 it never does.
    { name: 'go-dockerfile-cache (debounce 0)', command: process.execPath, args: [ours, '--stdio'], initializationOptions: { debounceMs: 0 } },
    { name: 'dockerfile-language-server-nodejs', command: process.execPath, args: [theirs, '--stdio'] },
  ];
}

interface Editor {
  session: LspSession;
  result: LatencyResult;
}

/**
 * Edits the same document in every server in turn, one edit at a time: the servers take turns,
 * so a spell of load from elsewhere on the machine slows all of them alike.
 */
async function measureInTurn(commands: ServerCommand[], file: string, text: string, edits: number): Promise<LatencyResult[]> {
  const uri = pathToFileURL(file).href;
  const name = path.basename(path.dirname(file));
  const editors: Editor[] = [];
  try {
    for (const command of commands) {
      const { session } = await LspSession.start(command, pathToFileURL(path.dirname(file)).href);
      editors.push({ session, result: { file: name, server: command.name, editsMs: [] } });
      await session.open(uri, text);
    }
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes(EDIT_MARKER));
    const character = lines[line].indexOf(EDIT_MARKER) + EDIT_MARKER.length;
    for (let i = 1; i <= WARM_UP_EDITS + edits; i++) {
      const digits = String(i).padStart(4, '0');
      lines[line] = lines[line].slice(0, character) + digits + lines[line].slice(character + 4);
      const edit = { range: { start: { line, character }, end: { line, character: character + 4 } }, text: digits };
      for (const editor of editors) {
        const { ms, diagnostics, bytes } = await editor.session.change(uri, i + 1, edit, lines.join('\n'));
        if (i > WARM_UP_EDITS) editor.result.editsMs.push(ms);
        editor.result.diagnostics = diagnostics;
        editor.result.diagnosticsBytes = bytes;
        await sleep(SETTLE_MS);
      }
    }
    return editors.map(({ result }) => ({ ...result, medianMs: median(result.editsMs) }));
  } finally {
    await Promise.all(editors.map((e) => e.session.stop()));
  }
}

/** Typing pace on findings-heavy files: our server as shipped against the rcjsuen server, side by side. */
export async function benchTypingPace(options: LatencyOptions): Promise<TypingResult[]> {
  const compared = servers(options.repoRoot).filter((server) => !server.name.includes('debounce 0'));
  const missing = compared.find((server) => !fs.existsSync(server.args[0]));
  if (missing) return compared.map((server) => ({ file: 'findings-heavy', server: server.name, editsMs: [], superseded: 0, lost: 0, unavailable: `${path.relative(options.repoRoot, missing.args[0])} is not built` }));
  return benchTyping({ workDir: options.workDir, edits: options.edits, servers: compared, log: options.log });
}

export async function benchLatency(options: LatencyOptions): Promise<LatencyResult[]> {
  const files = { 'typical-30-lines': TYPICAL, 'generated-1000-instructions': generatedMultiStage(1000) };
  const results: LatencyResult[] = [];
  for (const [name, text] of Object.entries(files)) {
    const file = writeProject(path.join(options.workDir, 'lsp', name), text);
    const available = servers(options.repoRoot).filter((server) => {
      if (fs.existsSync(server.args[0])) return true;
      results.push({ file: name, server: server.name, editsMs: [], unavailable: `${path.relative(options.repoRoot, server.args[0])} is not built` });
      return false;
    });
    try {
      for (const result of await measureInTurn(available, file, text, options.edits)) {
        options.log(`latency, ${name}, ${result.server}: median ${result.medianMs?.toFixed(2)} ms over ${result.editsMs.length} edits (${result.diagnostics} diagnostics)`);
        results.push(result);
      }
    } catch (error) {
      results.push(...available.map((server) => ({ file: name, server: server.name, editsMs: [], unavailable: (error as Error).message })));
    }
  }
  return results;
}
