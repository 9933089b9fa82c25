import { isCopy, type CopyInstruction, type DockerfileModel } from '../model/model';
import { contextSendsGit, gitReadAfter, gitRepositoryNeededAfter, type GitRead } from '../go/readsgit';
import { WHOLE_CONTEXT_SOURCES } from '../model/sources';
import type { FileChange, Fix } from '../model/types';
import type { BuildSite } from '../ci/types';
import { CONTEXT_IGNORE_FILE } from '../model/context';
import { otherDockerfilesReadingGit } from '../go/gitReaders';
import { listed } from '../go/modulefiles';
import { defineRule } from './api';

/** The ARGs that already stand in for git, and what to do with them. */
function passInstead(args: NonNullable<GitRead['passedIn']>): string {
  const several = args.length > 1;
  const lines = [...new Set(args.map((a) => String(a.line + 1)))];
  return `unless the build is given ${listed(args.map((a) => `\`--build-arg ${a.name}=…\``))}: the ${several ? 'ARGs' : 'ARG'} on ${lines.length > 1 ? 'lines' : 'line'} ${listed(lines)} already ${several ? 'reach' : 'reaches'} it in place of git. Pass ${several ? 'them' : 'it'} on every build, then add .git to .dockerignore.`;
}

/** The ignore file's text with `.git` added, at `path` (the file itself, or a new one for the Dockerfile alone). */
function withGit(text: string | undefined, path: string, kind: FileChange['kind']): FileChange {
  if (text === undefined) return { path, kind, text: '.git\n' };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || /\n$/.test(text) ? '' : eol;
  return { path, kind, text: `${text}${separator}.git${eol}` };
}

/**
 * The fix: `.git` added to the ignore file the Dockerfile reads. Where that is the context's
 * .dockerignore and other Dockerfiles read git through it, they would lose their stamps: the
 * Dockerfile gets its own `<Dockerfile>.dockerignore` instead (BuildKit reads it in place of the
 * context's), unless the classic builder, which knows no such file, builds it too.
 */
function ignoreFix(model: DockerfileModel, site: BuildSite | undefined): { fix?: Fix; note: string } {
  const ignore = model.dockerignore;
  const missing = ignore.text === undefined;
  const shared = ignore.path === CONTEXT_IGNORE_FILE && model.context ? otherDockerfilesReadingGit(model.context, model.dockerfile ?? '') : [];
  if (shared.length === 0) {
    const fix = { title: missing ? 'Create a .dockerignore that excludes .git' : `Add .git to ${ignore.path}`, edits: [], files: [withGit(ignore.text, ignore.path, missing ? 'create' : 'replace')], preferred: true };
    return { fix, note: '' };
  }
  const named = shared.slice(0, 2).map((f) => `\`${f}\``);
  const readers = shared.length > 2 ? `${named.join(', ')} and ${shared.length - 2} more` : listed(named);
  const serves = missing ? `A .dockerignore at the context's root would also serve ${readers}` : `The context's .dockerignore also serves ${readers}`;
  if (model.dockerfile === undefined || site?.classicBuilder) {
    return { note: ` ${serves}, whose builds read git: exclude .git for this Dockerfile alone.` };
  }
  const own = `${model.dockerfile}.dockerignore`;
  const fix = { title: `Give ${model.dockerfile} its own ignore file that excludes .git`, edits: [], files: [withGit(ignore.text, own, 'create')], preferred: true };
  return { fix, note: ` ${serves}, whose builds read git: the fix gives this Dockerfile its own \`${own}\` (${missing ? 'with' : 'the context\'s patterns and'} .git), which BuildKit reads in its place.` };
}

/** No RUN after the COPY in its stage, and no stage that starts FROM it or copies from it. */
function nothingAfter(model: DockerfileModel, copy: CopyInstruction): boolean {
  const stage = copy.stage;
  if (!stage) return false;
  if (stage.runs.some((r) => r.position > copy.position)) return false;
  return !model.stages.some((s) => s !== stage && s.dependsOn.has(stage));
}

export default defineRule({
  id: 'GD013',
  name: 'build-context-not-ignored',
  severity: 'warning',
  summary: 'The whole build context is copied while .dockerignore does not exclude .git, so every commit invalidates that COPY and every layer after it.',
  fixable: true,
  needsCache: true,
  scoped: true,
  check({ model, site, inScope, report }) {
    // A context with no .git of its own (a folder of the repository, or no repository at all) sends none.
    // `!.git` in .dockerignore lets .git back in on purpose (provenance, a version read from it).
    if (!contextSendsGit(model) || model.dockerignore.patterns.some((p) => /^!\s*\/?\.git(\/|$)/.test(p))) return;
    const missing = model.dockerignore.text === undefined;
    for (const copy of model.instructions.filter(isCopy)) {
      if (copy.from || !inScope(copy.stage)) continue;
      const source = copy.sources.find((s) => WHOLE_CONTEXT_SOURCES.has(s.value.trim()));
      if (!source) continue;
      // The last step of an image that nothing builds on: a new commit rebuilds only this copy.
      if (nothingAfter(model, copy)) continue;
      // The build checks out or otherwise works on the repository it copied: .git is part of what
      // it builds from, and excluding it breaks the build (no version passed in can replace it).
      if (gitRepositoryNeededAfter(model, copy)) continue;
      // Without any ignore file a commit changes a copied file anyway: what .git adds is the
      // rebuilds without a new commit, and its history sent with every build.
      const cost = missing
        ? 'on every commit, and so does every fetch, checkout or fresh clone of the same commit (a CI re-run); each build also sends the repository\'s history with the context.'
        : 'on every commit even when no source changed.';
      const base = `\`${copy.keyword} ${source.value}\` copies the whole context including \`.git\`, which ${missing ? 'no .dockerignore excludes' : `${model.dockerignore.path} does not exclude`}: every commit changes \`.git\`, so this ${copy.keyword} and everything after it rebuild ${cost}`;
      const git = gitReadAfter(model, copy);
      // Only where the fix is offered: finding the other Dockerfiles reads the whole context.
      const { fix, note } = git ? { fix: undefined, note: '' } : ignoreFix(model, site);
      report({
        range: source.range,
        message: !git ? `${base}${note}`
          : git.passedIn
            ? `${base} But this build reads git (${git.why}): without .git ${git.loses}, ${passInstead(git.passedIn)}`
            : `${base} But this build reads git (${git.why}): without .git ${git.loses}. Pass the version in instead (\`ARG VERSION\` into \`-ldflags "-X main.version=$VERSION"\`, set by \`--build-arg VERSION=$(git describe)\`), then add .git to .dockerignore.`,
        // Excluding .git there changes what the build produces: never done without the user.
        fixes: fix ? [fix] : [],
      });
    }
  },
});
