// Bundles the language server, the CLI and the VS Code client into single files.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, minify: true, logLevel: 'warning' };
const entries = [
  { entryPoints: ['server/src/lsp/server.ts'], outfile: 'server/out/server.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The client's build profiler reads Dockerfiles but no shell; Measure the Fix runs `fix`, which
  // loads the shell parser (its WebAssembly from server/out).
  { entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
];

for (const entry of entries) {
  const options = { ...common, ...entry };
  if (watch) await (await esbuild.context(options)).watch();
  else await esbuild.build(options);
}
// The shell parser's WebAssembly (the tree-sitter runtime and its bash grammar) is loaded from
// beside the bundles at run time (server/src/analysis/parse/bashGrammar.ts).
const { chmodSync, copyFileSync } = await import('node:fs');
const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url);
for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm']) {
  copyFileSync(require.resolve(wasm), `server/out/${wasm.split('/').pop()}`);
}
if (!watch) chmodSync('server/out/cli.js', 0o755);
