// The command line as the commands that build read it (`profile`, `measure`): docker's own
// conventions, so a user's habits carry over. `--flag value` and `--flag=value` for the flags
// that take a value, switches, one Dockerfile, and everything after `--` handed to docker as is.
import { isBuildsInSetting } from '../analysis/ci/discover';
import type { BuildsInSetting } from '../analysis/ci/types';

/** A command line the command cannot run: exit 2 with the reason and the usage. */
export class UsageError extends Error {}

export interface CommandArgv {
  /** The Dockerfile named, if one was. */
  file?: string;
  /** What follows `--`: docker build arguments. */
  extraArgs: string[];
}

/**
 * Walks argv once: each flag of `valueFlags` with its value goes to `onValue`, every other
 * argument starting with `-` to `onSwitch`, which says whether it knew it.
 */
export function readCommandArgv(
  argv: readonly string[],
  valueFlags: ReadonlySet<string>,
  onValue: (flag: string, value: string) => void,
  onSwitch: (arg: string) => boolean,
): CommandArgv {
  const read: CommandArgv = { extraArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      read.extraArgs = argv.slice(i + 1);
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (valueFlags.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
      onValue(flag, value);
    } else if (arg.startsWith('-') && arg !== '-') {
      if (!onSwitch(arg)) throw new UsageError(`unknown option ${arg}`);
    } else if (read.file === undefined) read.file = arg;
    else throw new UsageError(`one Dockerfile at a time; also got "${arg}" (docker build args go after --)`);
  }
  return read;
}

/** The value of `--builds-in`, checked. */
export function buildsInValue(value: string): BuildsInSetting {
  if (!isBuildsInSetting(value)) throw new UsageError(`--builds-in must be auto, local or ci, not "${value}"`);
  return value;
}
