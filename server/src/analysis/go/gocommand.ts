// Recognises Go toolchain invocations inside shell commands and reads the flags that matter for
// caching and for what the build produces.
import type { ShellCommand, Word } from '../parse/shell';
import type { Range } from '../model/types';

export type GoSubcommand =
  | 'build' | 'install' | 'test' | 'vet' | 'run' | 'generate' | 'get' | 'list'
  | 'env' | 'version' | 'clean' | 'fmt' | 'tool' | 'work' | 'doc' | 'fix'
  | 'mod download' | 'mod tidy' | 'mod vendor' | 'mod verify' | 'mod graph' | 'mod why' | 'mod edit' | 'mod init'
  | 'mod other' | 'other';

const SUBCOMMANDS: ReadonlySet<string> = new Set(['build', 'install', 'test', 'vet', 'run', 'generate', 'get', 'list', 'env', 'version', 'clean', 'fmt', 'tool', 'work', 'doc', 'fix']);
const MOD_ACTIONS: ReadonlySet<string> = new Set(['download', 'tidy', 'vendor', 'verify', 'graph', 'why', 'edit', 'init']);

export interface GoCommand {
  subcommand: GoSubcommand;
  /** Covers `go` through the last argument. */
  range: Range;
  /** Covers `go build` / `go mod download`: the part a diagnostic underlines. */
  nameRange: Range;
  /** Flags by name without dashes: `-o x` and `-o=x` both give o → 'x'; boolean flags give ''. */
  flags: Map<string, { value: string; range: Range }>;
  /** Where `-o` writes, when given. */
  output?: string;
  /** Inline assignments before the command (`CGO_ENABLED=0 go build`). */
  inlineEnv: Map<string, string>;
  /** Command arguments after the subcommand, as written. */
  args: Word[];
  command: ShellCommand;
  /**
   * Set when the RUN runs the Go command through make or a script of the build context: every
   * range above is then the `make build` / `./build.sh` command's in the Dockerfile.
   */
  via?: DelegatedFrom;
}

export interface DelegatedFrom {
  /** The command as the RUN writes it: `make build`. */
  host: string;
  /** The Go command as the file runs it: `go build ./cmd/app`. */
  text: string;
  /** The file in the build context (`Makefile`, `scripts/build.sh`) and the one-based line. */
  file: string;
  line: number;
  /** false when the line uses a value the file does not define (`$(LDFLAGS)`, `$VERSION`): its flags are not all known. */
  complete: boolean;
  /**
   * Which flags the line passes is known: every value it does not define is the quoted value of a
   * flag that takes one (`-ldflags "$LD_FLAGS"`), which stays that flag's value whatever it holds.
   */
  flagsKnown: boolean;
  /**
   * Variables of the RUN's environment the file passes to the Go command: `$VERSION` in a script,
   * a make variable the Makefile never sets or sets with `?=` (the environment wins).
   */
  environment: readonly string[];
}

/** Go flags that take a separate value (`-o out`), so the next word is not a package. */
const VALUE_FLAGS = new Set([
  'o', 'ldflags', 'gcflags', 'asmflags', 'tags', 'mod', 'modfile', 'p', 'pkgdir', 'buildmode',
  'compiler', 'gccgoflags', 'installsuffix', 'overlay', 'pgo', 'exec', 'run', 'bench', 'count',
  'timeout', 'coverprofile', 'covermode', 'coverpkg', 'cpu', 'parallel', 'x-flags', 'C',
]);

const BUILDING: ReadonlySet<GoSubcommand> = new Set(['build', 'install', 'test', 'vet', 'run', 'generate']);

/**
 * Whether word `i` of a go command line is the quoted value of a flag that takes one (`-ldflags
 * "$LD_FLAGS"`, `-o "$OUT"`, `-tags="$TAGS"`): whatever a variable in it holds, it adds or removes
 * no other flag.
 */
export function isQuotedFlagValue(words: readonly { value: string; raw: string }[], i: number): boolean {
  const raw = words[i].raw;
  const attached = /^--?([A-Za-z][\w.-]*)=(["'])/.exec(raw);
  if (attached) return VALUE_FLAGS.has(attached[1]) && raw.length > attached[0].length && raw.endsWith(attached[2]);
  const flag = /^--?([A-Za-z][\w.-]*)$/.exec(words[i - 1]?.value ?? '');
  return flag !== null && VALUE_FLAGS.has(flag[1]) && /^(["']).*\1$/s.test(raw);
}

/**
 * `go`, a path to it, or tonistiigi/xx's `xx-go`, which sets GOOS, GOARCH and the C cross-compiler
 * for the target platform and runs go with the same arguments.
 */
export function isGoBinary(word: string): boolean {
  return word === 'go' || word === 'xx-go' || /\/go$/.test(word);
}

export function parseGoCommand(command: ShellCommand): GoCommand | undefined {
  let words = command.words;
  // `env FOO=1 go build` and `time go build` run go all the same.
  while (words.length > 0 && (words[0].value === 'env' || words[0].value === 'time' || words[0].value === 'exec')) {
    words = words.slice(1);
    while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0].value)) words = words.slice(1);
  }
  if (words.length === 0 || !isGoBinary(words[0].value)) return undefined;
  // `xx-go --wrap` installs the wrapper as `go` for the later steps; it runs no Go command itself.
  if (words[0].value === 'xx-go' && words[1]?.value.startsWith('--')) return undefined;
  const inlineEnv = new Map<string, string>();
  for (const assignment of [...command.assignments, ...command.words.slice(0, command.words.length - words.length)]) {
    const eq = assignment.value.indexOf('=');
    if (eq > 0) inlineEnv.set(assignment.value.slice(0, eq), assignment.value.slice(eq + 1));
  }
  // `go -C dir build`: -C comes before the subcommand and changes the directory go runs in.
  let chdir: { value: string; range: Range } | undefined;
  const first = words[1]?.value ?? '';
  const skip = first === '-C' || first === '--C' ? 2 : /^--?C=/.test(first) ? 1 : 0;
  if (skip === 2 && words[2]) chdir = { value: words[2].value, range: { start: words[1].range.start, end: words[2].range.end } };
  else if (skip === 1) chdir = { value: first.slice(first.indexOf('=') + 1), range: words[1].range };
  const at = chdir ? 1 + skip : 1;
  const sub = words[at]?.value ?? '';
  let subcommand: GoSubcommand = 'other';
  let argStart = at + 1;
  if (sub === 'mod') {
    const action = words[at + 1]?.value ?? '';
    argStart = at + 2;
    subcommand = MOD_ACTIONS.has(action) ? `mod ${action}` as GoSubcommand : 'mod other';
  } else if (SUBCOMMANDS.has(sub)) {
    subcommand = sub as GoSubcommand;
  }
  const flags = new Map<string, { value: string; range: Range }>();
  if (chdir) flags.set('C', chdir);
  const args = words.slice(argStart);
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const match = /^--?([A-Za-z][\w.-]*)(?:=(.*))?$/s.exec(word.value);
    if (!match) continue;
    const name = match[1];
    if (match[2] !== undefined) {
      flags.set(name, { value: match[2], range: word.range });
    } else if (VALUE_FLAGS.has(name) && i + 1 < args.length) {
      flags.set(name, { value: args[i + 1].value, range: { start: word.range.start, end: args[i + 1].range.end } });
      i++;
    } else {
      flags.set(name, { value: '', range: word.range });
    }
  }
  const nameEnd = words[Math.min(argStart, words.length) - 1] ?? words[0];
  return {
    subcommand,
    range: { start: words[0].range.start, end: words[words.length - 1].range.end },
    nameRange: { start: words[0].range.start, end: nameEnd.range.end },
    flags,
    output: flags.get('o')?.value,
    inlineEnv,
    args,
    command,
  };
}

/**
 * A build for a debugger: optimisations and inlining off (`-gcflags="all=-N -l"`), so Delve can
 * step through the code; it maps the binary back to its sources by their absolute paths.
 */
export function isDebugBuild(go: GoCommand): boolean {
  const gcflags = go.flags.get('gcflags')?.value ?? '';
  return /(?:^|[\s=])-N(?=\s|$)/.test(gcflags) && /(?:^|[\s=])-l(?=\s|$)/.test(gcflags);
}

/** The package arguments of a command, as written: its arguments other than flags and their values. */
export function packageArgs(go: GoCommand): Word[] {
  const packages: Word[] = [];
  for (let i = 0; i < go.args.length; i++) {
    const match = /^--?([A-Za-z][\w.-]*)(=)?/.exec(go.args[i].value);
    if (!match) packages.push(go.args[i]);
    else if (match[2] === undefined && VALUE_FLAGS.has(match[1])) i++;
  }
  return packages;
}

/** A command inside an `if`, a `case` or a shell function runs only on some builds. */
export function runsConditionally(go: GoCommand): boolean {
  return go.command.within.some((c) => c === 'if' || c === 'case' || c === 'function');
}

/**
 * Commands that compile, and so read and fill GOCACHE. `go mod …`, `go env`, `go version` and
 * `go list -m` compile nothing; `go list` compiles only for `-export` (and cgo files for `-compiled`).
 */
export function compiles(go: GoCommand): boolean {
  if (go.subcommand === 'list') return !go.flags.has('m') && (go.flags.has('export') || go.flags.has('compiled'));
  return BUILDING.has(go.subcommand) && go.subcommand !== 'generate';
}

/** Commands that need the module graph downloaded (GOMODCACHE). */
export function readsModules(go: GoCommand): boolean {
  return BUILDING.has(go.subcommand) || go.subcommand === 'mod download' || go.subcommand === 'mod tidy'
    || go.subcommand === 'get' || go.subcommand === 'mod vendor' || go.subcommand === 'mod verify';
}

/** A version that names one release for good: a semantic version, a pseudo-version, a full commit hash. */
const FIXED_VERSION = /^(v\d+\.\d+\.\d+(?:-[\w.-]+)?(?:\+incompatible)?|[0-9a-f]{40})$/;

/**
 * `go install example.com/tool@latest`, `go run x@main`: every package is asked for at a version
 * that moves (a query, a branch), so each run may get a newer release than the last.
 */
export function fetchesMovingVersion(go: GoCommand): boolean {
  if (go.subcommand !== 'install' && go.subcommand !== 'run') return false;
  const packages = packageArgs(go).map((p) => p.value);
  return packages.length > 0 && packages.every((p) => p.includes('@') && !FIXED_VERSION.test(p.slice(p.lastIndexOf('@') + 1)));
}

/**
 * Commands a module cache mount serves in their own step: those that compile, `go generate`,
 * `go get` and `go mod vendor`. `go mod tidy|verify|graph|why`, `go list -m`, `go env` and
 * `go version` compile nothing, and a step that only downloads is `go mod download`'s own case:
 * GD003 asks no mount for them, and GD001's fix takes a download's mount away with it when only
 * they stay behind.
 */
export function servedByModuleCacheMount(go: GoCommand): boolean {
  return compiles(go) || go.subcommand === 'generate' || go.subcommand === 'get' || go.subcommand === 'mod vendor';
}

/**
 * What `go env -w NAME=value …` or `go env -u NAME …` changes in the `go env -w` file: value
 * undefined for `-u`. Nothing for any other command.
 */
export function goEnvFileChanges(go: GoCommand): { name: string; value: string | undefined }[] {
  if (go.subcommand !== 'env') return [];
  const mode = go.args.find((a) => a.value === '-w' || a.value === '-u')?.value;
  if (!mode) return [];
  const changes: { name: string; value: string | undefined }[] = [];
  for (const arg of go.args) {
    if (arg.value.startsWith('-')) continue;
    const eq = arg.value.indexOf('=');
    const name = eq < 0 ? arg.value : arg.value.slice(0, eq);
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) continue;
    if (mode === '-w' && eq > 0) changes.push({ name, value: arg.value.slice(eq + 1) });
    else if (mode === '-u' && eq < 0) changes.push({ name, value: undefined });
  }
  return changes;
}
