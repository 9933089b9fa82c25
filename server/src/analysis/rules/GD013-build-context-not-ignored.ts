import { isCopy, type DockerfileModel } from '../model/model';
import type { FileChange, Fix } from '../model/types';
import { defineRule } from './api';

/** Sources that copy the whole build context. */
const WHOLE_CONTEXT = new Set(['.', './', '*', './*']);

/** `.git/*` leaves an empty directory but keeps out what commits change (HEAD, index, refs). */
function excludesGit(model: DockerfileModel): boolean {
  return model.dockerignore.ignores('.git') || model.dockerignore.ignores('.git/HEAD');
}

function dockerignoreWithGit(model: DockerfileModel): FileChange {
  const text = model.dockerignore.text;
  if (text === undefined) return { path: '.dockerignore', kind: 'create', text: '.git\n' };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || /\n$/.test(text) ? '' : eol;
  return { path: '.dockerignore', kind: 'replace', text: `${text}${separator}.git${eol}` };
}

export default defineRule({
  id: 'GD013',
  name: 'build-context-not-ignored',
  severity: 'warning',
  summary: 'The whole build context is copied while .dockerignore does not exclude .git, so every commit invalidates that COPY and every layer after it.',
  fixable: true,
  check({ model, report }) {
    if (!model.context?.root || excludesGit(model)) return;
    const missing = model.dockerignore.text === undefined;
    for (const copy of model.instructions.filter(isCopy)) {
      if (copy.from) continue;
      const source = copy.sources.find((s) => WHOLE_CONTEXT.has(s.value.trim()));
      if (!source) continue;
      const fix: Fix = {
        title: missing ? 'Create a .dockerignore that excludes .git' : 'Add .git to .dockerignore',
        edits: [],
        files: [dockerignoreWithGit(model)],
        preferred: true,
      };
      report({
        range: source.range,
        message: `\`${copy.keyword} ${source.value}\` copies the whole context including \`.git\`, which ${missing ? 'no .dockerignore excludes' : '.dockerignore does not exclude'}: every commit changes \`.git\`, so this ${copy.keyword} and everything after it rebuild on every commit even when no source changed.`,
        fixes: [fix],
      });
    }
  },
});
