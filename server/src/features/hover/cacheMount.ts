// Hover on `--mount=…`: what the mount keeps and what it does not, and for a cache mount whether
// its target is a directory Go uses at that step.
import { compiles, readsModules } from '../../analysis/go/gocommand';
import { effectiveGoEnv, mountCovers } from '../../analysis/go/goenv';
import type { Mount, RunInstruction } from '../../analysis/model/model';
import { code, lineRef } from './markdown';

const OTHER_MOUNTS: Record<string, string> = {
  bind: 'A bind mount shows files from the build context (or another stage with `from=`) during this step only. Their content is part of this step\'s cache key, and nothing of them ends up in the image.',
  secret: 'A secret mount exposes a secret to this step only: it is not in the image, not in the build cache and not part of the cache key.',
  ssh: 'An ssh mount forwards an SSH agent socket to this step only, e.g. for private modules over git+ssh.',
  tmpfs: 'A tmpfs mount is an empty in-memory directory for this step only; nothing written there is kept.',
};

function targetVerdict(run: RunInstruction, mount: Mount): string {
  const target = mount.targetResolved;
  if (!target) return 'The mount has no `target`, so it is not mounted anywhere useful.';
  if (run.go.length === 0) return `No go command runs in this step, so Go does not use ${code(target)} here.`;
  const lines: string[] = [];
  const go = run.go.find(compiles) ?? run.go.find(readsModules) ?? run.go[0];
  const env = effectiveGoEnv(run, go);
  const cacheUsed = run.go.some(compiles);
  const modulesUsed = run.go.some(readsModules);
  if (cacheUsed && mountCovers(target, env.GOCACHE.value)) lines.push(`✅ It holds Go's build cache here: GOCACHE is ${code(env.GOCACHE.value)} (${env.GOCACHE.because}).`);
  if (modulesUsed && mountCovers(target, env.GOMODCACHE.value)) lines.push(`✅ It holds Go's module cache here: GOMODCACHE is ${code(env.GOMODCACHE.value)} (${env.GOMODCACHE.because}).`);
  if (lines.length > 0) return lines.join('\n\n');
  return [
    `⚠️ Go does not use ${code(target)} in this step, so the mount stays empty:`,
    ...(cacheUsed ? [`- GOCACHE is ${code(env.GOCACHE.value)} (${env.GOCACHE.because})`] : []),
    ...(modulesUsed ? [`- GOMODCACHE is ${code(env.GOMODCACHE.value)} (${env.GOMODCACHE.because})`] : []),
  ].join('\n');
}

function ownershipNote(run: RunInstruction, mount: Mount): string | undefined {
  const user = run.user?.name.split(':')[0];
  if (!user || user === 'root' || user === '0' || mount.uid) return undefined;
  return `The step runs as USER ${code(user)} (${lineRef(run.user!.line)}) but the cache directory belongs to root: add \`uid=\`/\`gid=\` for that user or Go cannot write to it.`;
}

export function mountHover(run: RunInstruction, mount: Mount): string {
  if (mount.type !== 'cache') {
    return `**${code(`--mount=type=${mount.type}`)}**\n\n${OTHER_MOUNTS[mount.type] ?? 'A mount available to this step only.'}`;
  }
  const id = mount.id ? `id ${code(mount.id)}` : 'its target path (no `id`)';
  const sharing = mount.sharing === 'locked' ? 'one build at a time (`sharing=locked`)' : mount.sharing === 'private' ? 'a fresh copy per concurrent build (`sharing=private`)' : 'concurrent builds at once (`sharing=shared`, the default)';
  const parts = [
    `**Cache mount** on ${code(mount.targetResolved ?? mount.target ?? '?')}`,
    `**Keeps** the directory's contents from one build to the next on this builder, shared by every step and build that uses ${id}, by ${sharing}.`,
    '**Does not keep** them anywhere else: the files are not in the image (the layer does not contain them), not exported with `--cache-to` or pushed to a registry, and a fresh CI runner or `docker builder prune` starts it empty. This step\'s cache key does not depend on them.',
    targetVerdict(run, mount),
  ];
  const owner = ownershipNote(run, mount);
  if (owner) parts.push(owner);
  return parts.join('\n\n');
}
