// The system packages a RUN installs with the distribution's package manager (apk, apt, yum, dnf),
// by name without a version pin: evidence in the file of what an image holds.
import type { RunInstruction } from './model';

/** The distributions' package managers. */
export const PACKAGE_MANAGERS: ReadonlySet<string> = new Set(['apk', 'apt', 'apt-get', 'yum', 'dnf', 'microdnf']);

/** In a package manager's command that installs (`apk add`, `apt(-get) install`, `yum|dnf|microdnf install`), the index of that word; -1 otherwise. */
export function installWordIndex(words: readonly string[]): number {
  const tool = words[0] ?? '';
  if (!PACKAGE_MANAGERS.has(tool) || !words.includes(tool === 'apk' ? 'add' : 'install')) return -1;
  return words.findIndex((w, i) => i > 0 && (w === 'add' || w === 'install'));
}

/** Names a RUN installs: the arguments of `apk add`, `apt(-get) install`, `yum|dnf|microdnf install` that are not options. */
export function installedPackages(run: RunInstruction): string[] {
  return run.commands.flatMap((c) => {
    const words = c.words.map((w) => w.value);
    const action = installWordIndex(words);
    if (action < 0) return [];
    // `apk add --virtual NAME pkg…`: NAME is the group's name, not a package.
    const args = words.slice(action + 1).filter((w, i, all) => !w.startsWith('-') && !(i > 0 && (all[i - 1] === '--virtual' || all[i - 1] === '-t')));
    return args.map((w) => w.split(/[=~<>]/)[0]);
  });
}

/** The package managers' words for bringing installed packages up to the newest release. */
const UPGRADE_WORDS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['apk', new Set(['upgrade'])],
  ['apt', new Set(['upgrade', 'full-upgrade', 'dist-upgrade'])],
  ['apt-get', new Set(['upgrade', 'dist-upgrade'])],
  ['yum', new Set(['update', 'upgrade'])],
  ['dnf', new Set(['update', 'upgrade'])],
  ['microdnf', new Set(['update', 'upgrade'])],
]);

/** Whether the RUN upgrades the image's packages (`apk upgrade`, `apt-get upgrade`, `dnf upgrade`): what it gets changes while its text does not. */
export function upgradesPackages(run: RunInstruction): boolean {
  return run.commands.some((c) => {
    const words = c.words.map((w) => w.value);
    const upgrades = UPGRADE_WORDS.get(words[0] ?? '');
    return upgrades !== undefined && words.slice(1).some((w) => upgrades.has(w));
  });
}
