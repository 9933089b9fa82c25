// Part 4: what installing the extension costs: the size of the two bundles VS Code loads and
// how long the language server takes from spawn to `initialized`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from './lsp/client';
import { servers } from './lsp/latency';
import { median } from './support/stats';

export interface BundleSize {
  file: string;
  bytes?: number;
}

export interface StartupResult {
  server: string;
  startsMs: number[];
  medianMs?: number;
  unavailable?: string;
}

export const BUNDLES = ['client/out/extension.js', 'server/out/server.js'];

export function bundleSizes(repoRoot: string): BundleSize[] {
  return BUNDLES.map((file) => {
    const full = path.join(repoRoot, file);
    return { file, bytes: fs.existsSync(full) ? fs.statSync(full).size : undefined };
  });
}

/** Spawn to `initialized`, started in turns so that machine load hits both servers alike. */
export async function benchStartup(options: { repoRoot: string; workDir: string; starts: number; log: (line: string) => void }): Promise<StartupResult[]> {
  const commands = servers(options.repoRoot).filter((s) => !s.initializationOptions);
  const results: StartupResult[] = commands.map((c) => ({ server: c.name, startsMs: [] }));
  const rootUri = pathToFileURL(options.workDir).href;
  for (let i = 0; i < options.starts; i++) {
    for (const [index, command] of commands.entries()) {
      if (!fs.existsSync(command.args[0])) {
        results[index].unavailable = `${path.relative(options.repoRoot, command.args[0])} is not built`;
        continue;
      }
      const { session, initializeMs } = await LspSession.start(command, rootUri);
      results[index].startsMs.push(initializeMs);
      await session.stop();
    }
  }
  for (const result of results) {
    result.medianMs = median(result.startsMs);
    if (!result.unavailable) options.log(`startup, ${result.server}: median ${result.medianMs.toFixed(0)} ms`);
  }
  return results;
}
