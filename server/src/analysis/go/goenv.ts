// The Go environment in effect at an instruction: the directories `go` will really use for its
// module and build caches, and where each value came from. Mirrors `go env`: GOMODCACHE defaults
// to the first GOPATH entry + /pkg/mod, GOCACHE to $XDG_CACHE_HOME/go-build or
// $HOME/.cache/go-build, GOPATH to $HOME/go; HOME comes from the user's passwd entry.
import * as posix from 'node:path/posix';
import type { GoCommand } from './gocommand';
import { perObjectAnd } from '../model/memo';
import { instructionAtLine, isEnv, isArg, type DockerfileModel, type EnvInstruction, type InstructionModel, type Origin, type VarValue } from '../model/model';
import type { Range } from '../model/types';
import type { Word } from '../parse/shell';

export interface GoEnvValue {
  value: string;
  origin: Origin;
  /** One short phrase saying why it has this value. */
  because: string;
}

export interface GoEnv {
  HOME: GoEnvValue;
  GOPATH: GoEnvValue;
  GOMODCACHE: GoEnvValue;
  GOCACHE: GoEnvValue;
  CGO_ENABLED: GoEnvValue;
  GOFLAGS?: GoEnvValue;
  GOOS?: GoEnvValue;
  GOARCH?: GoEnvValue;
  GOPROXY?: GoEnvValue;
  GOPRIVATE?: GoEnvValue;
  GO111MODULE?: GoEnvValue;
}

export const GO_ENV_NAMES = ['GOPATH', 'GOMODCACHE', 'GOCACHE', 'GOFLAGS', 'GOPROXY', 'GOPRIVATE', 'GO111MODULE', 'CGO_ENABLED', 'GOOS', 'GOARCH', 'HOME', 'XDG_CACHE_HOME'] as const;

function describeOrigin(origin: Origin): string {
  const at = origin.line !== undefined ? ` on line ${origin.line + 1}` : '';
  switch (origin.kind) {
    case 'image': return `set by the ${origin.detail ?? 'base'} image`;
    case 'env': return `ENV${at}`;
    case 'arg': return `ARG${at}`;
    case 'user': return `USER${at}`;
    case 'inline': return 'set inline on this command';
    case 'derived': return origin.detail ?? 'derived';
    default: return origin.detail ?? 'Go default';
  }
}

export function isRootUser(name: string): boolean {
  const user = name.split(':')[0];
  return user === 'root' || user === '0';
}

/** HOME for the user in effect, as Docker sets it from the image's /etc/passwd. */
function effectiveHome(instruction: InstructionModel, inline: Map<string, string>): GoEnvValue {
  const fromInline = inline.get('HOME');
  if (fromInline !== undefined) return { value: fromInline, origin: { kind: 'inline' }, because: 'set inline on this command' };
  const env = instruction.env.get('HOME');
  if (env?.value) return { value: env.value, origin: env.origin, because: describeOrigin(env.origin) };
  const user = instruction.user;
  if (!user || isRootUser(user.name)) {
    return { value: '/root', origin: user ? { kind: 'user', line: user.line } : { kind: 'default', detail: 'root user' }, because: user ? `USER root on line ${user.line + 1}` : 'the build runs as root' };
  }
  const name = user.name.split(':')[0];
  if (/^\d+$/.test(name)) {
    return { value: '/', origin: { kind: 'user', line: user.line }, because: `USER ${name} on line ${user.line + 1} has no passwd entry in the image, so HOME is /` };
  }
  if (name === 'nobody') return { value: '/nonexistent', origin: { kind: 'user', line: user.line }, because: `USER nobody on line ${user.line + 1}` };
  return { value: `/home/${name}`, origin: { kind: 'user', line: user.line, detail: 'assumed' }, because: `USER ${name} on line ${user.line + 1} (assumed home /home/${name})` };
}

function fromEnv(instruction: InstructionModel, inline: Map<string, string>, name: string): GoEnvValue | undefined {
  const inlineValue = inline.get(name);
  if (inlineValue !== undefined) return { value: inlineValue, origin: { kind: 'inline' }, because: 'set inline on this command' };
  const v: VarValue | undefined = instruction.env.get(name);
  if (!v || v.value === undefined || v.value === '') return undefined;
  return { value: v.value, origin: v.origin, because: describeOrigin(v.origin) };
}

/**
 * The effective Go environment for a command (or, without one, for the instruction). Most rules
 * ask it of the same commands: it is worked out once per command.
 */
export function effectiveGoEnv(instruction: InstructionModel, go?: GoCommand): GoEnv {
  return goEnvOf(instruction, go);
}

const goEnvOf = perObjectAnd((instruction: InstructionModel, go: GoCommand | undefined): GoEnv => {
  const inline = go?.inlineEnv ?? new Map<string, string>();
  const HOME = effectiveHome(instruction, inline);
  const GOPATH = fromEnv(instruction, inline, 'GOPATH') ?? {
    value: posix.join(HOME.value, 'go'), origin: { kind: 'derived', detail: '$HOME/go' }, because: `Go's default $HOME/go, with HOME ${HOME.value} (${HOME.because})`,
  };
  const firstGopath = GOPATH.value.split(':')[0] || GOPATH.value;
  const GOMODCACHE = fromEnv(instruction, inline, 'GOMODCACHE') ?? {
    value: posix.join(firstGopath, 'pkg/mod'), origin: { kind: 'derived', detail: '$GOPATH/pkg/mod' }, because: `$GOPATH/pkg/mod with GOPATH ${GOPATH.value} (${GOPATH.because})`,
  };
  const xdg = fromEnv(instruction, inline, 'XDG_CACHE_HOME');
  const GOCACHE = fromEnv(instruction, inline, 'GOCACHE') ?? (xdg
    ? { value: posix.join(xdg.value, 'go-build'), origin: { kind: 'derived', detail: '$XDG_CACHE_HOME/go-build' }, because: `$XDG_CACHE_HOME/go-build (${xdg.because})` }
    : { value: posix.join(HOME.value, '.cache/go-build'), origin: { kind: 'derived', detail: '$HOME/.cache/go-build' }, because: `$HOME/.cache/go-build with HOME ${HOME.value} (${HOME.because})` });
  const facts = instruction.stage?.facts;
  const cgoDefault = facts?.family === 'golang-alpine' || facts?.family === 'alpine' ? '0' : '1';
  const CGO_ENABLED = fromEnv(instruction, inline, 'CGO_ENABLED') ?? {
    value: cgoDefault, origin: { kind: 'default' },
    because: cgoDefault === '0' ? 'Go turns cgo off when no C compiler is installed' : 'Go default: on when a C compiler is present',
  };
  return {
    HOME, GOPATH, GOMODCACHE, GOCACHE, CGO_ENABLED,
    GOFLAGS: fromEnv(instruction, inline, 'GOFLAGS'),
    GOOS: fromEnv(instruction, inline, 'GOOS'),
    GOARCH: fromEnv(instruction, inline, 'GOARCH'),
    GOPROXY: fromEnv(instruction, inline, 'GOPROXY'),
    GOPRIVATE: fromEnv(instruction, inline, 'GOPRIVATE'),
    GO111MODULE: fromEnv(instruction, inline, 'GO111MODULE'),
  };
});

/** Whether a cache mount target covers a Go cache directory (same dir or a parent of it). */
export function mountCovers(target: string | undefined, dir: string): boolean {
  if (!target) return false;
  const t = absolute(target);
  const d = absolute(dir);
  return d === t || d.startsWith(t === '/' ? '/' : `${t}/`);
}

/** One path or the other contains (or is) the other. */
export function pathsOverlap(a: string, b: string): boolean {
  return mountCovers(a, b) || mountCovers(b, a);
}

/** An absolute path without `.`, `..`, empty segments or a trailing slash: normalizing changes nothing. */
const NORMAL_ABSOLUTE = /^(?:\/(?!\.\.?(?:\/|$))[^/]+)+$/;

/** Relative paths resolve against / for mounts; Go rejects them, so compare as absolute. */
function absolute(p: string): string {
  // Most paths are written normalized already, and rules compare them often.
  if (NORMAL_ABSOLUTE.test(p)) return p;
  return posix.normalize(p.startsWith('/') ? p : `/${p}`).replace(/(.)\/$/, '$1');
}

/** Where a Go setting in effect for a command is written: its ENV (or ARG) assignment, or the inline word. */
export interface SettingSite {
  /** The assignment (`GOCACHE=off`), or the whole instruction when the variable cannot be told apart. */
  range: Range;
  /** The ENV that sets it, with the variable's own entry. */
  env?: { instruction: EnvInstruction; variable: EnvInstruction['vars'][number] };
  /** The inline `NAME=value` word before the command. */
  inline?: Word;
  /** Set by an ARG (its default or a build argument): not the file's to change. */
  fromArg?: boolean;
}

export function settingSite(model: DockerfileModel, go: GoCommand, name: string, value: GoEnvValue): SettingSite | undefined {
  if (value.origin.kind === 'inline') {
    const word = [...go.command.assignments, ...go.command.words].find((w) => w.value.startsWith(`${name}=`));
    return word ? { range: word.range, inline: word } : undefined;
  }
  if (value.origin.line === undefined) return undefined;
  const origin = instructionAtLine(model, value.origin.line);
  if (origin && isEnv(origin)) {
    const variable = origin.vars.findLast((v) => v.name === name);
    if (!variable) return { range: origin.range };
    return { range: { start: variable.nameRange.start, end: (variable.valueRange ?? variable.nameRange).end }, env: { instruction: origin, variable } };
  }
  if (origin && isArg(origin)) {
    const variable = origin.vars.find((v) => v.name === name);
    return { range: variable?.nameRange ?? origin.range, fromArg: true };
  }
  return undefined;
}
