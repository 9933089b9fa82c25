// What a RUN's own shell puts in the environment before a command: `export NAME=value` (and
// `declare -x`), an assignment to a variable the environment already has, `unset NAME`, in the
// order the shell runs them. Only settings whose shell scope is still open at the command count:
// an `export` inside `( … )`, a pipeline or a `sh -c` script ends with it.
import { expandVariables } from '../parse/expand';
import type { ShellCommand, Word } from '../parse/shell';
import { perObjectAnd } from '../model/memo';
import type { RunInstruction } from '../model/model';

export interface ShellSetting {
  /** undefined: `unset`, so the variable is gone from the environment. */
  value: string | undefined;
  /** The word that sets it (`GOPATH=/root/gocode`) or names it (`unset GOPATH`). */
  word: Word;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A value the analysis cannot work out: a command substitution. */
const COMPUTED = /\$\(|`/;

function inScope(setter: ShellCommand, command: ShellCommand): boolean {
  return setter.scope.length <= command.scope.length && setter.scope.every((id, i) => command.scope[i] === id);
}

function splitAssignment(value: string): [string, string | undefined] {
  const eq = value.indexOf('=');
  return eq < 0 ? [value, undefined] : [value.slice(0, eq), value.slice(eq + 1)];
}

/**
 * The environment variables the RUN's shell has set or unset by the time `command` starts (not its
 * own `NAME=value` prefix: GoCommand.inlineEnv holds that). Empty when the command is not the RUN's.
 */
export const shellSettingsBefore = perObjectAnd((run: RunInstruction, command: ShellCommand): ReadonlyMap<string, ShellSetting> => {
  const exported = new Map<string, ShellSetting>();
  const at = run.commands.indexOf(command);
  if (at <= 0 || run.execForm) return exported;
  // Shell variables that are not (yet) in the environment: `export NAME` later exports them.
  const local = new Map<string, ShellSetting>();
  const lookup = (name: string) => {
    const set = exported.get(name) ?? local.get(name);
    return set ? set.value : run.env.get(name)?.value;
  };
  const assign = (word: Word, exporting: boolean) => {
    const [name, written] = splitAssignment(word.value);
    if (!NAME.test(name)) return;
    if (written === undefined) {
      // `export NAME`: exports what the shell holds under that name.
      const held = local.get(name);
      if (exporting && held) {
        exported.set(name, held);
        local.delete(name);
      }
      return;
    }
    // Set from a command's output, which only the build knows; the usual case,
    // `export GOPATH=$(go env GOPATH)`, keeps the value in effect, so that is what stays.
    if (COMPUTED.test(written)) return;
    const setting = { value: expandVariables(written, lookup), word };
    if (exporting || exported.has(name) || run.env.has(name)) {
      exported.set(name, setting);
      local.delete(name);
    } else local.set(name, setting);
  };
  for (const earlier of run.commands.slice(0, at)) {
    if (!inScope(earlier, command)) continue;
    const [first, ...rest] = earlier.words;
    if (!first) {
      for (const word of earlier.assignments) assign(word, false);
      continue;
    }
    const options = rest.filter((w) => w.value.startsWith('-')).map((w) => w.value).join('');
    const operands = rest.filter((w) => !w.value.startsWith('-'));
    if (first.value === 'export' && !options.includes('n') && !options.includes('f')) {
      for (const word of operands) assign(word, true);
    } else if ((first.value === 'declare' || first.value === 'typeset') && options.includes('x') && !options.includes('f')) {
      for (const word of operands) assign(word, true);
    } else if (first.value === 'unset' && !options.includes('f')) {
      for (const word of operands) {
        if (!NAME.test(word.value)) continue;
        exported.set(word.value, { value: undefined, word });
        local.delete(word.value);
      }
    }
  }
  return exported;
});
