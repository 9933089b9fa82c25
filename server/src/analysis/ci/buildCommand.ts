// `docker buildx build` and `docker buildx bake` as CI files and scripts write them: the shell text
// of a step is tokenised with the project's shell parser, then read like the docker CLI reads its
// arguments (flags with values, the build context, the Dockerfile, the cache exports).
import * as posix from 'node:path/posix';
import { joinMapped, parseShell } from '../parse/shell';
import { scriptRuns, type Arguments } from '../parse/scriptFlow';
import { scriptCall, wordsWithArguments, type ShellWord } from './scriptCalls';
import type { CacheExport } from './types';

/** A `docker build` found in shell text. */
export interface ShellBuild {
  kind: 'build';
  /** Zero-based line within the shell text. */
  line: number;
  /** The script it is written in, reached by a call from the shell text, with its zero-based line there. */
  script?: { file: string; line: number };
  /** The Dockerfile, relative to the repository root; undefined when only known at run time. */
  dockerfile?: string;
  cacheTo: string[];
  cacheFrom: string[];
  /** `--platform` values as written (each may list several, comma-separated). */
  platforms: string[];
  /** The build context folder, relative to the repository root; undefined when unknown or not a folder. */
  context?: string;
  /** `--no-cache`: no layer of the build is taken from the cache. */
  noCache: boolean;
}

/** A `docker buildx bake` found in shell text. */
export interface ShellBake {
  kind: 'bake';
  line: number;
  script?: { file: string; line: number };
  /** Bake files named with -f, relative to the repository root (empty: the default names). */
  files: string[];
  targets: string[];
  /** `--set` overrides, as written (`*.cache-to=type=gha,mode=max`). */
  sets: string[];
  workdir: string;
}

export type ShellInvocation = ShellBuild | ShellBake;

const DOCKER_GLOBAL_VALUE_FLAGS = new Set(['--context', '-c', '--host', '-H', '--config', '--log-level', '-l', '--tlscacert', '--tlscert', '--tlskey']);
const BUILDX_VALUE_FLAGS = new Set(['--builder']);
/** Flags of `build` and `bake` that take no value; every other flag written without `=` takes the next word. */
const BOOLEAN_FLAGS = new Set([
  '--push', '--load', '--pull', '--no-cache', '-q', '--quiet', '--rm', '--force-rm', '--debug', '--check', '--squash',
  '--compress', '--disable-content-trust', '--print', '--list-targets', '--list-variables',
]);

/** A GitHub Actions expression (`${{ … }}`) is replaced before the shell sees the text: keep it one opaque word. */
export function maskExpressions(text: string): string {
  return text.replace(/\$\{\{[\s\S]*?\}\}/g, (m) => `\${${'_'.repeat(Math.max(0, m.length - 3))}}`);
}

/** A simple command of shell text: its zero-based first line, its offset in the text and its words. */
interface CommandAt {
  line: number;
  offset: number;
  words: ShellWord[];
}

function commandsAt(text: string): CommandAt[] {
  const lines = maskExpressions(text).split(/\r?\n/);
  const lineStarts: number[] = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  const out: CommandAt[] = [];
  for (let i = 0; i < lines.length; i++) {
    // A line ending in a backslash continues on the next: one logical line, parsed as one.
    const first = i;
    const pieces: { text: string; start: { line: number; character: number } }[] = [];
    let line = lines[i];
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) {
      pieces.push({ text: line.slice(0, -1), start: { line: i, character: 0 } });
      line = lines[++i];
    }
    pieces.push({ text: line, start: { line: i, character: 0 } });
    try {
      for (const command of parseShell(joinMapped(pieces, ' '))) {
        const start = command.range.start;
        if (command.words.length > 0) out.push({ line: Math.max(first, start.line), offset: lineStarts[start.line] + start.character, words: command.words });
      }
    } catch {
      // Text the shell parser cannot read builds nothing we can know about.
    }
  }
  return out;
}

/** The simple commands of shell text, each with its zero-based first line. */
export function shellCommandWords(text: string): { line: number; words: string[] }[] {
  return commandsAt(text).map(({ line, words }) => ({ line, words: words.map((w) => w.value) }));
}

/** A path written in a CI file, relative to `workdir` (itself relative to the repository root). */
export function repositoryPath(workdir: string, written: string): string | undefined {
  if (written === '' || written.includes('$') || /^[a-z][a-z0-9+.-]*:\/\//i.test(written) || written.includes('{{') || written === '-') return undefined;
  if (written.startsWith('/')) return undefined;
  const joined = posix.normalize(posix.join(workdir || '.', written));
  if (joined.startsWith('../') || joined === '..') return undefined;
  return joined === '' ? '.' : joined;
}

/** Splits `a=b,"c=d,e"` on the commas outside double quotes, as buildx reads its CSV attributes. */
function splitCsv(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}

/**
 * One cache-to entry: `type=gha,mode=max`, or a bare reference (a registry export). undefined
 * when its type or mode is only known at run time.
 */
export function parseCacheExport(text: string): CacheExport | undefined {
  const fields = splitCsv(text.trim());
  if (fields.length === 0) return undefined;
  const attrs = new Map<string, string>();
  for (const field of fields) {
    const eq = field.indexOf('=');
    if (eq < 0) attrs.set(attrs.size === 0 && fields.length === 1 ? 'ref' : field, '');
    else attrs.set(field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1).trim());
  }
  const type = attrs.get('type') ?? (attrs.has('ref') ? 'registry' : undefined);
  const mode = attrs.get('mode') ?? 'min';
  if (!type || type.includes('$') || mode.includes('$')) return undefined;
  // `inline` stores the cache in the image itself and only knows mode=min.
  return { type, mode: mode === 'max' && type !== 'inline' ? 'max' : 'min', text: text.trim() };
}

/** Reads the words of one command as a docker build or bake, or undefined. */
export function readDockerInvocation(words: readonly string[], line: number, workdir: string): ShellInvocation | undefined {
  let i = 0;
  if (words[i] === 'sudo') i++;
  if (posix.basename(words[i] ?? '') !== 'docker') return undefined;
  i++;
  const skipFlags = (valueFlags: Set<string>) => {
    while (i < words.length && words[i].startsWith('-')) i += !words[i].includes('=') && valueFlags.has(words[i]) ? 2 : 1;
  };
  skipFlags(DOCKER_GLOBAL_VALUE_FLAGS);
  if (words[i] === 'buildx') {
    i++;
    skipFlags(BUILDX_VALUE_FLAGS);
  } else if (words[i] === 'image' || words[i] === 'builder') {
    i++;
  }
  const verb = words[i++];
  if (verb !== 'build' && verb !== 'b' && verb !== 'bake') return undefined;
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  let noCache = false;
  for (; i < words.length; i++) {
    const word = words[i];
    if (word === '--') {
      positionals.push(...words.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq > 0 ? word.slice(0, eq) : word;
    if (name === '--no-cache') noCache = eq < 0 || word.slice(eq + 1) === 'true';
    if (BOOLEAN_FLAGS.has(name)) continue;
    const value = eq > 0 ? word.slice(eq + 1) : words[++i];
    if (value === undefined) break;
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  const all = (...names: string[]) => names.flatMap((n) => values.get(n) ?? []);
  if (verb === 'bake') {
    return {
      kind: 'bake',
      line,
      files: all('-f', '--file').map((f) => repositoryPath(workdir, f)).filter((f): f is string => f !== undefined),
      targets: positionals,
      sets: all('--set'),
      workdir,
    };
  }
  const context = positionals[0];
  const contextPath = context === undefined ? undefined : repositoryPath(workdir, context);
  const file = all('-f', '--file').pop();
  // buildx reads -f from the working directory; without it, the Dockerfile in the context.
  const dockerfile = file !== undefined ? repositoryPath(workdir, file) : contextPath === undefined ? undefined : posix.join(contextPath, 'Dockerfile');
  return { kind: 'build', line, dockerfile, cacheTo: all('--cache-to'), cacheFrom: all('--cache-from'), platforms: all('--platform'), context: contextPath, noCache };
}

/** Scripts calling scripts: deeper calls are not followed. */
const MAX_SCRIPT_DEPTH = 3;

/** How to read the scripts a text calls, and which script the text is, with the arguments it got. */
export interface ScriptReading {
  read: (path: string) => string | undefined;
  /** The script this text is (relative to the repository root), when it was reached by a call. */
  file?: string;
  args?: Arguments;
  depth?: number;
}

/**
 * Every docker build or bake in shell text, each read from the directory the commands before it
 * `cd` into (a `cd` to a place only the run knows ends the reading: nothing after it is placed).
 * With `scripts`, a command that runs a script of the repository by its path is followed into
 * it: the script runs in the caller's directory, with the call's arguments, only the branches
 * those arguments take (scriptFlow.ts), and its builds say where in it they are written.
 */
export function dockerInvocations(text: string, workdir: string, scripts?: ScriptReading): ShellInvocation[] {
  const out: ShellInvocation[] = [];
  const depth = scripts?.depth ?? 0;
  const file = scripts?.file;
  const runs = file !== undefined ? scriptRuns(text, scripts?.args) : undefined;
  let dir: string | undefined = workdir;
  for (const { line, offset, words } of commandsAt(text)) {
    if (runs && !runs(offset)) continue;
    const values = file !== undefined ? wordsWithArguments(words, scripts?.args) : words.map((w) => w.value);
    if (values[0] === 'cd') {
      dir = values.length === 2 && dir !== undefined ? repositoryPath(dir, values[1]) : undefined;
      continue;
    }
    if (dir === undefined) continue;
    const invocation = readDockerInvocation(values, line, dir);
    if (invocation) {
      out.push(file === undefined ? invocation : { ...invocation, script: { file, line } });
      continue;
    }
    if (!scripts || depth >= MAX_SCRIPT_DEPTH) continue;
    const call = scriptCall(values);
    const path = call && repositoryPath(dir, call.written);
    const called = path === undefined ? undefined : scripts.read(path);
    if (call && path !== undefined && called !== undefined) out.push(...dockerInvocations(called, dir, { read: scripts.read, file: path, args: call.args, depth: depth + 1 }));
  }
  return out;
}
