// Bundles what VS Code and @vscode/test-electron load as plain JavaScript: the
// suite (run inside the extension host, mocha included) and the launcher that
// stands in for a desktop VS Code. Kept apart from the extension's own bundle.
import * as esbuild from 'esbuild';

const here = new URL('.', import.meta.url).pathname;
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', logLevel: 'warning', absWorkingDir: here };

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['suite/index.ts'],
    outfile: 'out/suite/index.js',
    external: ['vscode'],
    // Only mocha's parallel mode, which the suite does not use, resolves files at run time.
    logOverride: { 'require-resolve-not-external': 'silent' },
  }),
  esbuild.build({ ...common, entryPoints: ['launcher/main.ts'], outfile: 'out/launcher.js', packages: 'external' }),
]);
