// A build script called with arguments: `scripts/docker/buildx.sh develop linux/amd64 bookworm
// /bookworm` from a Makefile recipe or a CI step, whose `docker buildx build -f
// docker/${1/-//}$4/Dockerfile .` names its Dockerfile through the positional parameters. The
// script is read with the arguments of the call put in place of `$1`, `${4}`, `${1/-//}` and
// `${2:-x}`; a parameter the call does not give a known value leaves the word unknown, as a
// variable does.
import type { Arguments } from '../parse/scriptFlow';

/** A word of shell text: its value (quotes removed) and its text as written. */
export interface ShellWord {
  value: string;
  raw: string;
}

const SHELLS = /^(sh|bash|ash|dash|zsh)$/;
/** Flags of a shell that take no value and come before the script's path (`bash -ex build.sh`). */
const SHELL_FLAG = /^-[a-zA-Z]+$/;
/** `$N` and `${N…}` with a modifier buildx scripts use: `/pat/rep`, `//pat/rep`, `:-def`, `-def`, `:+alt`, `+alt`. */
const POSITIONAL = /\$([1-9])|\$\{([1-9])(?:(\/\/?)([^/}]*)(?:\/([^}]*))?|(:?[-+])([^}]*))?\}/g;
const GLOB = /[*?[\\]/;

/** `pattern` replaced by `replacement` in `value` (once, or everywhere): undefined for a glob pattern. */
function substitute(value: string, pattern: string, replacement: string, everywhere: boolean): string | undefined {
  if (GLOB.test(pattern) || pattern.includes('$')) return undefined;
  if (pattern === '') return value;
  return everywhere ? value.split(pattern).join(replacement) : value.replace(pattern, () => replacement);
}

/**
 * The word with the call's arguments in place of its positional parameters; undefined when one
 * of them is only known at run time. A parameter past the last argument is empty.
 */
export function withArguments(value: string, args: Arguments): string | undefined {
  let unknown = false;
  const expanded = value.replace(POSITIONAL, (whole, bare: string | undefined, braced: string | undefined, slashes: string | undefined, pattern = '', replacement = '', op: string | undefined, word = '') => {
    const n = Number(bare ?? braced);
    const arg = args === undefined ? undefined : n <= args.length ? args[n - 1] : '';
    if (arg === undefined || word.includes('$') || replacement.includes('$')) {
      unknown = true;
      return whole;
    }
    if (slashes) {
      const replaced = substitute(arg, pattern, replacement, slashes === '//');
      if (replaced === undefined) unknown = true;
      return replaced ?? whole;
    }
    if (op === undefined) return arg;
    const set = op.startsWith(':') ? arg !== '' : n <= (args?.length ?? 0);
    if (op.endsWith('-')) return set ? arg : word;
    return set ? word : '';
  });
  return unknown ? undefined : expanded;
}

/**
 * The words of a command inside a script called with `args`: each positional parameter replaced
 * (a parameter written alone and unquoted splits into the words of its value, or into none when
 * empty), or the word left as written when its value is only known at run time.
 */
export function wordsWithArguments(words: readonly ShellWord[], args: Arguments): string[] {
  return words.flatMap((word) => {
    const value = withArguments(word.value, args);
    if (value === undefined) return [word.value];
    return /^\$(\{[1-9]\}|[1-9])$/.test(word.raw) ? value.split(/\s+/).filter(Boolean) : [value];
  });
}

/**
 * The script a command runs and the arguments it passes: `./build.sh a b`, `scripts/x.sh a`,
 * `bash -e scripts/x.sh a`, with the script's path as written. undefined for a command that runs
 * no file by its path (a command on PATH).
 */
export function scriptCall(words: readonly string[]): { written: string; args: (string | undefined)[] } | undefined {
  let i = 0;
  if (SHELLS.test(words[0] ?? '')) {
    i = 1;
    while (i < words.length && SHELL_FLAG.test(words[i])) i++;
    // `sh -c '…'` runs text, not a file.
    if (words.slice(1, i).some((w) => w.includes('c'))) return undefined;
  }
  const written = words[i];
  if (written === undefined || (i === 0 && !written.includes('/'))) return undefined;
  return { written, args: words.slice(i + 1).map((w) => (/[$`]/.test(w) ? undefined : w)) };
}
