// Hover on COPY/ADD: what invalidates it (the files it reads from the context after
// .dockerignore, or the stage it copies from) and that every later step of the stage rebuilds.
import type { CopyInstruction, DockerfileModel } from '../../analysis/model/model';
import { contextFilesRead, remoteSources } from './contextFiles';
import { code, lineRef, listWithMore, plural } from './markdown';
import { laterSteps } from './stepInputs';

function readsFromContext(model: DockerfileModel, copy: CopyInstruction): string {
  const sources = copy.sources.map((s) => s.value);
  const lines: string[] = [];
  const remote = remoteSources(sources);
  if (remote.length > 0) lines.push(`Downloads ${remote.map(code).join(', ')}: BuildKit fetches it again on every build and reruns this step when its content differs.`);
  const local = sources.filter((s) => !remote.includes(s));
  if (local.length === 0) return lines.join('\n\n');
  const context = model.context;
  if (!context?.root) {
    lines.push(`Reads ${local.map(code).join(', ')} from the build context (unknown until the Dockerfile is saved in a folder).`);
    return lines.join('\n\n');
  }
  const { files, ignored, truncated } = contextFilesRead(local, context, model.dockerignore);
  const count = truncated ? `more than ${files.length} files` : plural(files.length, 'file');
  const afterIgnore = model.dockerignore.text === undefined ? 'there is no `.dockerignore`' : 'after `.dockerignore`';
  if (files.length === 0) {
    lines.push(`Reads no file from the build context ${code(context.root)} (${afterIgnore}): nothing matches ${local.map(code).join(', ')}.`);
  } else {
    lines.push(`Reads **${count}** from the build context ${code(context.root)} (${afterIgnore}): ${listWithMore(files, truncated ? files.length + 1 : files.length)}.`);
  }
  if (ignored > 0) lines.push(`\`.dockerignore\` keeps ${plural(ignored, 'more file')} under these paths out of the context.`);
  lines.push('Any change to them (an edit, a file added or removed, a mode change) invalidates this step.');
  return lines.join('\n\n');
}

export function copyHover(model: DockerfileModel, copy: CopyInstruction): string {
  const parts = [`**What invalidates this ${code(copy.keyword)}** (${lineRef(copy.range.start.line)})`];
  if (copy.heredoc) {
    parts.push('Its content is written inline: only an edit of that text invalidates this step.');
  } else if (copy.from) {
    const stage = copy.from.stage;
    const where = stage ? `stage ${code(copy.from.value)} (${lineRef(stage.fromRange.start.line)})` : `image ${code(copy.from.value)}`;
    parts.push(`Copies ${copy.sources.map((s) => code(s.value)).join(', ')} from ${where}: it reruns when those files differ after ${stage ? 'that stage is built' : 'the image changes'}.`);
  } else {
    parts.push(readsFromContext(model, copy));
  }
  const later = laterSteps(copy);
  parts.push(later ? `When this step reruns, every later step of its stage reruns too, whatever it does: ${later}.` : 'It is the last step of its stage.');
  return parts.join('\n\n');
}
