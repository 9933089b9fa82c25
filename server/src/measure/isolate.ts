// Gives every cache mount of a Dockerfile an id of its own for one measure run, so the two
// variants never share a cache mount with each other or with the user's own builds, and the
// run's cache mounts can be found again to remove them.
import type { DockerfileModel } from '../analysis/model/model';
import type { TextEdit } from '../analysis/model/types';
import { applyEdits } from '../analysis/fixing/edits';

export interface IsolatedDockerfile {
  text: string;
  /** Undoes the change in text taken from the isolated file (a step's instruction), for showing it. */
  restore(text: string): string;
}

/** The text with each `--mount=type=cache` given `id=<prefix>-<its id or target>`. */
export function isolateCacheMounts(model: DockerfileModel, prefix: string): IsolatedDockerfile {
  const edits: TextEdit[] = [];
  const written: { added: string; was: string }[] = [];
  for (const run of model.runs) {
    for (const mount of run.cacheMounts) {
      const options = mount.flag.getOptions();
      const own = mount.id ?? mount.targetResolved ?? mount.target ?? 'cache';
      const id = `${prefix}-${own.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+/, '')}`;
      const idOption = options.find((o) => o.getName().toLowerCase() === 'id');
      if (idOption) {
        edits.push({ range: idOption.getRange(), newText: `id=${id}` });
        written.push({ added: `id=${id}`, was: model.document.getText(idOption.getRange()) });
      } else {
        const last = options[options.length - 1];
        edits.push({ range: { start: last.getRange().end, end: last.getRange().end }, newText: `,id=${id}` });
        written.push({ added: `,id=${id}`, was: '' });
      }
    }
  }
  // Longest first: one id can start with another's text.
  written.sort((a, b) => b.added.length - a.added.length);
  return {
    text: edits.length === 0 ? model.text : applyEdits(model, edits),
    restore: (text) => written.reduce((out, { added, was }) => out.split(added).join(was), text),
  };
}
