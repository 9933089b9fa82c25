import { mountOwnerSuffix } from '../edits';
import { isRootUser } from '../goenv';
import { cacheMounts, mountOnGoCache } from '../gofacts';
import { instructionAtLine, isRun, type Mount, type RunInstruction } from '../model';
import { defineRule } from './api';

/** `mode=0777` (or any mode writable by others) opens the directory to every user. */
function writableByAll(mount: Mount): boolean {
  const mode = mount.flag.getOptions().find((o) => o.getName().toLowerCase() === 'mode')?.getValue();
  return mode !== undefined && mode !== null && /^0?[0-7]*[2367]$/.test(mode);
}

/** Which Go cache the mount holds, for the message. */
function goCacheOn(run: RunInstruction, mount: Mount): string | undefined {
  if (run.go.some((go) => mountOnGoCache(run, go, 'GOCACHE') === mount)) return 'the build cache (GOCACHE)';
  if (run.go.some((go) => mountOnGoCache(run, go, 'GOMODCACHE') === mount)) return 'the module cache (GOMODCACHE)';
  return undefined;
}

export default defineRule({
  id: 'GD018',
  name: 'cache-mount-not-writable-by-user',
  severity: 'warning',
  summary: 'A cache mount without uid/gid is used by a non-root USER, who cannot write to it: BuildKit creates cache directories owned by root.',
  fixable: true,
  check({ model, report }) {
    for (const run of model.instructions.filter(isRun)) {
      const user = run.user;
      if (!user || isRootUser(user.name)) continue;
      for (const mount of cacheMounts(run)) {
        if (mount.uid !== undefined || writableByAll(mount)) continue;
        const target = mount.targetResolved ?? mount.target ?? 'the mount';
        const suffix = mountOwnerSuffix(run);
        const ids = suffix ? `\`${suffix.slice(1)}\`` : `\`uid\` and \`gid\` with the numeric ids of ${user.name.split(':')[0]}`;
        report({
          range: mount.range,
          message: `\`USER ${user.name}\` (line ${user.line + 1}) cannot write to this cache mount: BuildKit creates ${target} owned by root with mode 0755, so Go fails with "permission denied" when it writes ${goCacheOn(run, mount) ?? 'there'}. Add ${ids} to the mount.`,
          related: [{ range: instructionAtLine(model, user.line)?.range ?? run.range, message: 'the user the RUN runs as' }],
          fixes: suffix ? [{ title: `Add ${suffix.slice(1)} to the cache mount`, edits: [{ range: { start: mount.range.end, end: mount.range.end }, newText: suffix }], preferred: true }] : [],
        });
      }
    }
  },
});
