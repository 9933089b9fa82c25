// The shell parser: tree-sitter's bash grammar (npm `tree-sitter-bash`, its WebAssembly build) run
// by `web-tree-sitter`.
//
// Why this one: both are maintained by the tree-sitter project; the grammar knows bash (a superset
// of what `/bin/sh -c` accepts in a RUN) with `if`/`for`/`while`/`case`, subshells, groups,
// functions, pipelines, substitutions and heredocs; and it recovers from syntax errors with a tree
// that marks the broken part (ERROR and missing nodes) instead of giving up, so a half-typed RUN in
// the editor still yields the commands before the damage. The other candidates fell short:
// `sh-syntax` (mvdan/sh in WebAssembly) hands back only the top-level statements' positions, not
// the commands inside them, and `mvdan-sh` (the same parser through GopherJS) is deprecated and
// adds 1.5 MB of JavaScript to each bundle.
//
// Loading compiles the WebAssembly, which only has an asynchronous API here: every entry point
// that analyses (language server, CLI check and fix, tests, benchmarks) awaits `loadShellParser()`
// once; after it, parsing is synchronous, as the analysis is. The two .wasm files sit beside the bundles in
// server/out (esbuild.mjs copies them there, the .vsix ships them) and are found in node_modules
// when running from source.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Parser, Tree } from 'web-tree-sitter';

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const BASH_WASM = 'tree-sitter-bash.wasm';

interface Loaded {
  parser?: Parser;
  failure?: Error;
  loading?: Promise<void>;
}

// One grammar per process, even when a test runner or bundler has loaded this module twice.
const STATE_KEY = Symbol.for('go-dockerfile-cache.bashGrammar');
const state: Loaded = ((globalThis as Record<symbol, Loaded>)[STATE_KEY] ??= {});

/**
 * Beside the bundle (server/out), or beside the server's bundle when the extension's client bundle
 * (client/out) measures a fix, else (running from source) in its npm package.
 */
function wasmFile(name: string, packageSubpath: string): string {
  const bundled = [path.join(__dirname, name), path.join(__dirname, '..', '..', 'server', 'out', name)].find((file) => fs.existsSync(file));
  return bundled ?? require.resolve(packageSubpath);
}

/** Loads the grammar once; resolves (never rejects) when parsing can start or has failed to load. */
export function loadShellParser(): Promise<void> {
  state.loading ??= (async () => {
    try {
      // Required here, not imported at the top: the extension's client reads Dockerfiles for the
      // build profiler, which needs no shell, and loads the parser only to measure a fix. (`require`
      // picks the package's CommonJS build, which the CommonJS bundles can run.)
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS build, on purpose (above)
      const { Language, Parser } = require('web-tree-sitter') as typeof import('web-tree-sitter');
      await Parser.init({ wasmBinary: fs.readFileSync(wasmFile(RUNTIME_WASM, `web-tree-sitter/${RUNTIME_WASM}`)) });
      const language = await Language.load(fs.readFileSync(wasmFile(BASH_WASM, `tree-sitter-bash/${BASH_WASM}`)));
      const parser = new Parser();
      parser.setLanguage(language);
      state.parser = parser;
    } catch (error) {
      state.failure = error instanceof Error ? error : new Error(String(error));
    }
  })();
  return state.loading;
}

/** Whether parsing can start: the grammar has loaded. */
export function shellParserLoaded(): boolean {
  return state.parser !== undefined;
}

/** Why the grammar could not be loaded, once loading has failed. */
export function shellParserFailure(): Error | undefined {
  return state.failure;
}

/**
 * The syntax tree of a shell text; undefined when the grammar is not loaded (the build profiler
 * never loads it) or failed to load: the analysis then reads no commands, saying less rather than
 * guessing.
 */
export function parseBash(text: string): Tree | undefined {
  return state.parser?.parse(text) ?? undefined;
}
