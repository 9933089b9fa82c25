// The system packages a RUN installs with the distribution's package manager (apk, apt, yum, dnf),
// by name without a version pin: evidence in the file of what an image holds.
import type { RunInstruction } from './model';

/** Names a RUN installs: the arguments of `apk add`, `apt(-get) install`, `yum|dnf|microdnf install` that are not options. */
export function installedPackages(run: RunInstruction): string[] {
  return run.commands.flatMap((c) => {
    const words = c.words.map((w) => w.value);
    const tool = words[0] ?? '';
    const installs = (tool === 'apk' && words.includes('add')) || (/^apt(-get)?$/.test(tool) && words.includes('install'))
      || (/^(yum|dnf|microdnf)$/.test(tool) && words.includes('install'));
    if (!installs) return [];
    const action = words.findIndex((w, i) => i > 0 && (w === 'add' || w === 'install'));
    // `apk add --virtual NAME pkg…`: NAME is the group's name, not a package.
    const args = words.slice(action + 1).filter((w, i, all) => !w.startsWith('-') && !(i > 0 && (all[i - 1] === '--virtual' || all[i - 1] === '-t')));
    return args.map((w) => w.split(/[=~<>]/)[0]);
  });
}
