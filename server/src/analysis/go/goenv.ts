// The Go environment in effect at an instruction: the directories `go` will really use for its
// module and build caches, and where each value came from. Mirrors `go env`: GOMODCACHE defaults
// to the first GOPATH entry + /pkg/mod, GOCACHE to $XDG_CACHE_HOME/go-build or
// $HOME/.cache/go-build, GOPATH to $HOME/go; HOME comes from the user's passwd entry. The
// environment is ENV, ARG and the image's, changed by `export` earlier in the RUN and the command's
// own prefix; where it leaves a setting unset, the `go env -w` file of that HOME has its say.
import * as posix from 'node:path/posix';
import type { GoCommand } from './gocommand';
import { goEnvFileChanges } from './gocommand';
import { shellSettingsBefore } from './shellenv';
import { expandVariables } from '../parse/expand';
import { perObject, perObjectAnd } from '../model/memo';
import { installedPackages } from '../model/packages';
import { instructionAtLine, isEnv, isArg, isRun, type DockerfileModel, type EnvInstruction, type InstructionModel, type Origin, type RunInstruction, type Stage, type VarValue } from '../model/model';
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
    case 'shell': return `set earlier in this RUN${at}`;
    case 'goenv': return `\`go env -w\`${at}`;
    case 'derived': return origin.detail ?? 'derived';
    default: return origin.detail ?? 'Go default';
  }
}

export function isRootUser(name: string): boolean {
  const user = name.split(':')[0];
  return user === 'root' || user === '0';
}

/** A variable of the environment a command runs with; undefined when unset (or empty, which Go reads as unset). */
type ProcessLookup = (name: string) => GoEnvValue | undefined;

/** HOME for the user in effect, as Docker sets it from the image's /etc/passwd. */
function effectiveHome(instruction: InstructionModel, processEnv: ProcessLookup): GoEnvValue {
  const set = processEnv('HOME');
  if (set) return set;
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

/**
 * The environment the command runs with: its own `NAME=value` prefix, then what the RUN's shell
 * exported or unset before it, then ENV, ARG and the image.
 */
function processEnvOf(instruction: InstructionModel, go: GoCommand | undefined): ProcessLookup {
  const inline = go?.inlineEnv;
  const shell = go && isRun(instruction) ? shellSettingsBefore(instruction, go.command) : undefined;
  const lookup: ProcessLookup = (name) => {
    const inlineValue = inline?.get(name);
    if (inlineValue !== undefined) {
      // `CGO_ENABLED=${CGO_ENABLED} go build`: the shell expands the value from what is set before the command.
      if (!inlineValue.includes('$')) return { value: inlineValue, origin: { kind: 'inline' }, because: 'set inline on this command' };
      if (/\$\(|`/.test(inlineValue)) return undefined;
      const value = expandVariables(inlineValue, (n) => outer(n)?.value ?? '');
      return value === '' ? undefined : { value, origin: { kind: 'inline' }, because: `set inline on this command (\`${name}=${inlineValue}\`)` };
    }
    return outer(name);
  };
  const outer: ProcessLookup = (name) => {
    const set = shell?.get(name);
    if (set) {
      const line = set.word.range.start.line;
      return set.value ? { value: set.value, origin: { kind: 'shell', line }, because: `set by \`${set.word.value}\` earlier in this RUN (line ${line + 1})` } : undefined;
    }
    const v: VarValue | undefined = instruction.env.get(name);
    if (!v || v.value === undefined || v.value === '') return undefined;
    return { value: v.value, origin: v.origin, because: describeOrigin(v.origin) };
  };
  return lookup;
}

/** Where `go env -w` keeps its settings for a command with this environment; undefined with GOENV=off. */
function goEnvFile(processEnv: ProcessLookup, home: GoEnvValue): string | undefined {
  const goenv = processEnv('GOENV')?.value;
  if (goenv !== undefined) return goenv === 'off' ? undefined : goenv;
  const config = processEnv('XDG_CONFIG_HOME')?.value;
  return posix.join(config && config.startsWith('/') ? config : posix.join(home.value, '.config'), 'go/env');
}

/** Each `go env -w`/`-u` of a stage, in order, with the file it writes. */
interface GoEnvFileWrite {
  run: RunInstruction;
  go: GoCommand;
  file: string;
  persists: boolean;
  /** The values as the shell passes them (`$VAR` expanded); undefined for `-u`, or a value only the build knows. */
  changes: { name: string; value: string | undefined }[];
}

const goEnvWritesOf = perObject((stage: Stage): GoEnvFileWrite[] => {
  const writes: GoEnvFileWrite[] = [];
  for (const run of stage.runs) {
    for (const go of run.go) {
      if (go.subcommand !== 'env' || goEnvFileChanges(go).length === 0) continue;
      const processEnv = processEnvOf(run, go);
      const file = goEnvFile(processEnv, effectiveHome(run, processEnv));
      if (!file) continue;
      // A file under a cache or tmpfs mount is not in the layer: only the rest of its RUN sees it.
      const persists = !run.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs') && mountCovers(m.targetResolved, file));
      const lookup = (name: string) => processEnv(name)?.value ?? '';
      const changes = goEnvFileChanges(go).map(({ name, value }) => ({
        name, value: value === undefined || /\$\(|`/.test(value) ? undefined : expandVariables(value, lookup),
      }));
      writes.push({ run, go, file, persists, changes });
    }
  }
  return writes;
});

/** The settings of the `go env -w` file a command reads: what earlier `go env -w` in this stage and the stages it starts FROM wrote there. */
function goEnvFileSettings(instruction: InstructionModel, go: GoCommand | undefined, file: string | undefined): Map<string, GoEnvValue> {
  const settings = new Map<string, GoEnvValue>();
  const stage = instruction.stage;
  if (!stage || !file) return settings;
  for (const from of stage.chain) {
    for (const write of goEnvWritesOf(from)) {
      if (write.file !== file) continue;
      const sameRun = write.run === instruction;
      if (sameRun ? !go || write.run.go.indexOf(write.go) >= write.run.go.indexOf(go) : write.run.position >= instruction.position || !write.persists) continue;
      const line = write.go.range.start.line;
      for (const { name, value } of write.changes) {
        if (value === undefined || value === '') settings.delete(name);
        else settings.set(name, { value, origin: { kind: 'goenv', line, detail: file }, because: `\`go env -w\` on line ${line + 1}, in ${file}` });
      }
    }
  }
  return settings;
}

/**
 * The effective Go environment for a command (or, without one, for the instruction). Most rules
 * ask it of the same commands: it is worked out once per command. As in Go, the environment wins
 * over the `go env -w` file, which wins over Go's defaults.
 */
export function effectiveGoEnv(instruction: InstructionModel, go?: GoCommand): GoEnv {
  return goEnvOf(instruction, go);
}

/** Packages that bring gcc, the C compiler Go's cgo default looks for on Linux. */
const C_COMPILER_PACKAGES: ReadonlySet<string> = new Set(['gcc', 'build-base', 'alpine-sdk', 'g++']);

/** The C compiler package a RUN of the stage (or a stage it starts FROM) installs before `instruction`; '' for none. */
function cCompilerInstalled(instruction: InstructionModel): string {
  // The stage itself first, then the stages it starts FROM, nearest first.
  for (const stage of [...(instruction.stage?.chain ?? [])].reverse()) {
    for (const run of stage.runs) {
      if (stage === instruction.stage && run.position >= instruction.position) continue;
      const found = installedPackages(run).find((p) => C_COMPILER_PACKAGES.has(p.split(/[=<>~]/)[0]));
      if (found) return found;
    }
  }
  return '';
}

/** Any Go setting (GOBIN, GOWORK…) as the command sees it: its environment, else the `go env -w` file. */
export function goSetting(instruction: InstructionModel, go: GoCommand | undefined, name: string): GoEnvValue | undefined {
  const processEnv = processEnvOf(instruction, go);
  return processEnv(name) ?? goEnvFileSettings(instruction, go, goEnvFile(processEnv, effectiveHome(instruction, processEnv))).get(name);
}

const goEnvOf = perObjectAnd((instruction: InstructionModel, go: GoCommand | undefined): GoEnv => {
  const processEnv = processEnvOf(instruction, go);
  const HOME = effectiveHome(instruction, processEnv);
  const file = goEnvFileSettings(instruction, go, goEnvFile(processEnv, HOME));
  const setting = (name: string) => processEnv(name) ?? file.get(name);
  const GOPATH = setting('GOPATH') ?? {
    value: posix.join(HOME.value, 'go'), origin: { kind: 'derived', detail: '$HOME/go' }, because: `Go's default $HOME/go, with HOME ${HOME.value} (${HOME.because})`,
  };
  const firstGopath = GOPATH.value.split(':')[0] || GOPATH.value;
  const GOMODCACHE = setting('GOMODCACHE') ?? {
    value: posix.join(firstGopath, 'pkg/mod'), origin: { kind: 'derived', detail: '$GOPATH/pkg/mod' }, because: `$GOPATH/pkg/mod with GOPATH ${GOPATH.value} (${GOPATH.because})`,
  };
  const xdg = processEnv('XDG_CACHE_HOME');
  const GOCACHE = setting('GOCACHE') ?? (xdg
    ? { value: posix.join(xdg.value, 'go-build'), origin: { kind: 'derived', detail: '$XDG_CACHE_HOME/go-build' }, because: `$XDG_CACHE_HOME/go-build (${xdg.because})` }
    : { value: posix.join(HOME.value, '.cache/go-build'), origin: { kind: 'derived', detail: '$HOME/.cache/go-build' }, because: `$HOME/.cache/go-build with HOME ${HOME.value} (${HOME.because})` });
  const facts = instruction.stage?.facts;
  const compiler = facts?.family === 'golang-alpine' || facts?.family === 'alpine' ? cCompilerInstalled(instruction) : undefined;
  const cgoDefault = compiler === '' ? '0' : '1';
  const CGO_ENABLED = setting('CGO_ENABLED') ?? {
    value: cgoDefault, origin: { kind: 'default' },
    because: compiler ? `Go turns cgo on when a C compiler is present, and the image installs ${compiler}`
      : cgoDefault === '0' ? 'Go turns cgo off when no C compiler is installed' : 'Go default: on when a C compiler is present',
  };
  return {
    HOME, GOPATH, GOMODCACHE, GOCACHE, CGO_ENABLED,
    GOFLAGS: setting('GOFLAGS'),
    GOOS: setting('GOOS'),
    GOARCH: setting('GOARCH'),
    GOPROXY: setting('GOPROXY'),
    GOPRIVATE: setting('GOPRIVATE'),
    GO111MODULE: setting('GO111MODULE'),
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

/** Mount targets come resolved against the WORKDIR; a relative Go directory (Go rejects it) is compared as if absolute. */
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
