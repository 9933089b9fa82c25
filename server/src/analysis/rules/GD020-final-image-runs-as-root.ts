import { isToolchainFamily } from '../model/images';
import { finalBinaries, stageChain } from '../cache/artifacts';
import { insertLinesAfter, insertLinesBefore } from '../fixing/edits';
import { isRootUser } from '../go/goenv';
import { resolvedImage } from '../model/imageref';
import { repositoryPath } from '../model/images';
import { instructionAtLine, type DockerfileModel, type Stage } from '../model/model';
import type { TextEdit } from '../model/types';
import { defineRule } from './api';

/** The nonroot user of distroless images; on scratch a numeric user needs no passwd entry. */
const NONROOT = '65532:65532';

/** Images whose config already runs as a non-root user. */
function imageRunsAsNonRoot(model: DockerfileModel, final: Stage): boolean {
  const root = stageChain(final)[0];
  const image = resolvedImage(model, root);
  const tag = (image?.tag ?? root.image.tag ?? '').toLowerCase();
  return tag.includes('nonroot') || repositoryPath(image?.name ?? root.image.name) === 'chainguard/static';
}

/**
 * The last non-root USER the final image's stages set before switching back to root, as written
 * (`USER app`), unless it uses variables that may be out of scope where the fix puts it.
 */
function earlierUser(final: Stage): string | undefined {
  return stageChain(final).flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'USER')
    .map((i) => i.node.getArgumentsContent()?.trim() ?? '')
    .filter((name) => name !== '' && !name.includes('$') && !isRootUser(name))
    .pop();
}

/**
 * Before the first ENTRYPOINT/CMD after the stage's last USER and last RUN, else after the
 * stage's last line: the user must only change who runs the image, never who runs a build step
 * (that would move HOME, and with it Go's caches, and the permissions the step has).
 */
function userEdit(model: DockerfileModel, final: Stage, user: string): TextEdit {
  const instructions = final.instructions;
  const keywords = instructions.map((i) => i.keyword);
  const after = Math.max(keywords.lastIndexOf('USER'), keywords.lastIndexOf('RUN'), keywords.lastIndexOf('COPY'), keywords.lastIndexOf('ADD'));
  const command = instructions.slice(after + 1).find((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD');
  return command
    ? insertLinesBefore(model, command, [`USER ${user}`])
    : insertLinesAfter(model, instructions[instructions.length - 1], [`USER ${user}`]);
}

export default defineRule({
  id: 'GD020',
  name: 'final-image-runs-as-root',
  severity: 'info',
  summary: 'The final image holds a Go binary and runs it as root: no USER, or USER root.',
  fixable: true,
  check({ model, report }) {
    const final = model.finalStage;
    if (!final) return;
    const binaries = finalBinaries(model);
    const user = final.endUser;
    if (binaries.length === 0 || (user && !isRootUser(user.name)) || (!user && imageRunsAsNonRoot(model, final))) return;
    // A toolchain final image is GD011's finding: its fix makes a new final stage, which this
    // rule then looks at. Reporting both would set the user in a stage about to stop being final.
    if ((final.facts.hasGo || isToolchainFamily(final.facts.family)) && binaries.some((b) => !b.copy && b.build)) return;
    const binary = binaries.find((b) => b.path)?.path ?? 'the Go binary';
    const userInstruction = user ? instructionAtLine(model, user.line) : undefined;
    const cause = user ? `\`USER ${user.name}\` on line ${user.line + 1} is the last USER of the final image` : 'the final image sets no USER';
    const previous = user ? earlierUser(final) : undefined;
    const advice = previous
      ? `Switch back to \`USER ${previous}\` once the steps that need root are done.`
      : `Add \`USER ${NONROOT}\` (a numeric user needs no passwd entry, even on scratch).`;
    report({
      range: userInstruction?.range ?? final.image.range,
      message: `${binary} runs as root: ${cause}, so whoever takes over the process is root in the container, with root's rights on every mounted volume. ${advice}`,
      fixes: [{ title: `Run the final image as ${previous ?? NONROOT}`, edits: [userEdit(model, final, previous ?? NONROOT)], preferred: true }],
    });
  },
});
