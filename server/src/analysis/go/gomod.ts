// go.mod and go.work as the go command reads them: the module path, the `go` and `toolchain`
// lines, requirements, replacements (local directories among them) and a workspace's `use`d
// modules. The syntax is golang.org/x/mod/modfile's: one directive per line or a parenthesised
// block of them, `//` comments, tokens that may be double- or back-quoted. Nothing here fails:
// a line it cannot read is skipped, as the product must say less rather than something false.
import { posix } from 'node:path';
import type { BuildContext } from '../model/context';
import { perObjectAnd } from '../model/memo';

export interface GoModRequire {
  path: string;
  version: string;
  indirect: boolean;
  /** Zero-based line in go.mod. */
  line: number;
}

export interface GoModReplace {
  from: string;
  fromVersion?: string;
  to: string;
  toVersion?: string;
  /** `to` is a directory (starts with ./, ../ or /): Go reads that directory's go.mod. */
  local: boolean;
  line: number;
}

export interface GoModFile {
  module?: string;
  /** The `go` line, e.g. "1.22" or "1.24.0". */
  go?: string;
  goLine?: number;
  /** The `toolchain` line, e.g. "go1.24.1". */
  toolchain?: string;
  toolchainLine?: number;
  requires: GoModRequire[];
  replaces: GoModReplace[];
}

export interface GoWorkFile {
  go?: string;
  toolchain?: string;
  /** Directories of the `use` directives, as written (relative to go.work's directory). */
  uses: { dir: string; line: number }[];
  replaces: GoModReplace[];
}

interface Directive {
  verb: string;
  args: string[];
  comment: string;
  line: number;
}

/** Tokens of one line: bare words, "quoted" (with escapes) and `raw` strings; `//` starts a comment. */
function tokenize(line: string): { tokens: string[]; comment: string } {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (line.startsWith('//', i)) {
      return { tokens, comment: line.slice(i + 2).trim() };
    } else if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        value += line[j++];
      }
      tokens.push(value);
      i = j + 1;
    } else if (c === '`') {
      const end = line.indexOf('`', i + 1);
      tokens.push(line.slice(i + 1, end < 0 ? line.length : end));
      i = end < 0 ? line.length : end + 1;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else {
      let j = i;
      while (j < line.length && !/[\s"`()]/.test(line[j]) && !line.startsWith('//', j)) j++;
      tokens.push(line.slice(i, j));
      i = j;
    }
  }
  return { tokens, comment: '' };
}

function directives(text: string): Directive[] {
  const out: Directive[] = [];
  let block: string | undefined;
  text.split('\n').forEach((raw, line) => {
    const { tokens, comment } = tokenize(raw);
    if (tokens.length === 0) return;
    if (block !== undefined) {
      if (tokens[0] === ')') {
        block = undefined;
        return;
      }
      out.push({ verb: block, args: tokens, comment, line });
      return;
    }
    if (tokens.length === 2 && tokens[1] === '(') {
      block = tokens[0];
      return;
    }
    out.push({ verb: tokens[0], args: tokens.slice(1), comment, line });
  });
  return out;
}

/** `./x`, `../x`, `/x` (and Windows drive paths) are directories; anything else is a module path. */
export function isLocalReplacement(target: string): boolean {
  return target.startsWith('./') || target.startsWith('../') || target === '.' || target === '..' || target.startsWith('/') || /^[A-Za-z]:[\\/]/.test(target);
}

function readReplace(d: Directive): GoModReplace | undefined {
  const arrow = d.args.indexOf('=>');
  if (arrow < 1 || arrow > 2 || arrow + 1 >= d.args.length) return undefined;
  const to = d.args[arrow + 1];
  return {
    from: d.args[0],
    fromVersion: arrow === 2 ? d.args[1] : undefined,
    to,
    toVersion: d.args[arrow + 2],
    local: isLocalReplacement(to),
    line: d.line,
  };
}

export function parseGoMod(text: string): GoModFile {
  const mod: GoModFile = { requires: [], replaces: [] };
  for (const d of directives(text)) {
    switch (d.verb) {
      case 'module':
        if (d.args[0]) mod.module = d.args[0];
        break;
      case 'go':
        if (d.args[0]) [mod.go, mod.goLine] = [d.args[0], d.line];
        break;
      case 'toolchain':
        if (d.args[0]) [mod.toolchain, mod.toolchainLine] = [d.args[0], d.line];
        break;
      case 'require':
        if (d.args.length >= 2) mod.requires.push({ path: d.args[0], version: d.args[1], indirect: /^indirect\b/.test(d.comment), line: d.line });
        break;
      case 'replace': {
        const replace = readReplace(d);
        if (replace) mod.replaces.push(replace);
        break;
      }
    }
  }
  return mod;
}

export function parseGoWork(text: string): GoWorkFile {
  const work: GoWorkFile = { uses: [], replaces: [] };
  for (const d of directives(text)) {
    if (d.verb === 'go' && d.args[0]) work.go = d.args[0];
    else if (d.verb === 'toolchain' && d.args[0]) work.toolchain = d.args[0];
    else if (d.verb === 'use' && d.args[0]) work.uses.push({ dir: d.args[0], line: d.line });
    else if (d.verb === 'replace') {
      const replace = readReplace(d);
      if (replace) work.replaces.push(replace);
    }
  }
  return work;
}

/**
 * A Go version as numbers and a pre-release rank, the order of golang.org/x/mod's gover:
 * 1.21 < 1.21rc1 < 1.21.0 < 1.21.1. `go1.22.3` and `1.22.3` are the same; undefined when it
 * is not a Go version at all.
 */
function goVersionKey(v: string): number[] | undefined {
  const m = /^(?:go)?(\d+)(?:\.(\d+))?(?:\.(\d+)|(rc|beta)(\d+))?$/.exec(v.trim());
  if (!m) return undefined;
  const [, major, minor = '0', patch, pre, preNumber] = m;
  // Within one minor version: the bare language version (1.21) ranks 0, betas 1, rcs 2, releases 3.
  const rank = patch !== undefined ? 3 : pre === 'beta' ? 1 : pre === 'rc' ? 2 : 0;
  return [Number(major), Number(minor), rank, Number(patch ?? preNumber ?? 0)];
}

/** Negative, zero or positive as `a` is older than, the same as or newer than `b`; undefined if either is not a version. */
export function compareGoVersions(a: string, b: string): number | undefined {
  const ka = goVersionKey(a);
  const kb = goVersionKey(b);
  if (!ka || !kb) return undefined;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
  return 0;
}

/** "1.22.3" → "1.22"; the language version the image tag golang:1.22 stands for. */
export function goMinorVersion(v: string): string | undefined {
  const m = /^(?:go)?(\d+)\.(\d+)/.exec(v.trim());
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/**
 * Whether a replace directive takes effect for a go.mod's own requirements: Go only reads the
 * replacement (a local directory's go.mod) for a module the build needs, and a replace with a
 * version on its left only for that version.
 */
export function replacementApplies(goMod: GoModFile, replace: GoModReplace): boolean {
  return goMod.requires.some((r) => r.path === replace.from && (replace.fromVersion === undefined || r.version === replace.fromVersion));
}

/** What the build context says about the module rooted at a context directory. */
export interface ModuleFacts {
  /** Context-relative directory of go.mod ('.' for the root). */
  dir: string;
  goMod: GoModFile;
  hasGoSum: boolean;
  /** vendor/modules.txt exists beside go.mod. */
  hasVendor: boolean;
  /** Requirements other than the module itself: with none there is nothing to download. */
  requiresModules: boolean;
  /** Local replacements, each directory relative to the context root (posix, normalised). */
  localReplaces: { replace: GoModReplace; dir: string }[];
}

function join(dir: string, rel: string): string {
  const joined = posix.normalize(dir === '.' ? rel : `${dir}/${rel}`);
  return joined === '' ? '.' : joined.replace(/\/$/, '');
}

const moduleFactsCache = perObjectAnd((context: BuildContext, dir: string): ModuleFacts | undefined => {
  const file = (name: string) => (dir === '.' ? name : `${dir}/${name}`);
  const text = context.readText(file('go.mod'));
  if (text === undefined) return undefined;
  const goMod = parseGoMod(text);
  return {
    dir,
    goMod,
    hasGoSum: context.exists(file('go.sum')),
    hasVendor: context.exists(file('vendor/modules.txt')),
    requiresModules: goMod.requires.length > 0,
    localReplaces: goMod.replaces.filter((r) => r.local && !r.to.startsWith('/')).map((replace) => ({ replace, dir: join(dir, replace.to) })),
  };
});

/** The module whose go.mod sits in `dir` of the context, or undefined when there is none. */
export function moduleFacts(context: BuildContext, dir: string): ModuleFacts | undefined {
  return moduleFactsCache(context, dir);
}

const workspaceCache = perObjectAnd((context: BuildContext, dir: string): GoWorkFile | undefined => {
  const text = context.readText(dir === '.' ? 'go.work' : `${dir}/go.work`);
  return text === undefined ? undefined : parseGoWork(text);
});

/** The go.work in `dir` of the context, or undefined. */
export function workspaceFile(context: BuildContext, dir: string): GoWorkFile | undefined {
  return workspaceCache(context, dir);
}
