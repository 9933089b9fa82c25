import * as posix from 'node:path/posix';
import { isToolchainFamily } from '../model/images';
import { finalBinaries, stageChain, type FinalBinary } from '../cache/artifacts';
import { insertLinesAfter, insertLinesBefore } from '../fixing/edits';
import { isRootUser } from '../go/goenv';
import { resolvedImage } from '../model/imageref';
import { repositoryPath } from '../model/images';
import { instructionAtLine, isCopy, isRun, type DockerfileModel, type InstructionModel, type Stage } from '../model/model';
import { expandVariables } from '../parse/expand';
import { flagsOf } from '../parse/written';
import { installedPackages } from '../model/packages';
import { goInstalledByFile } from '../go/imageassumptions';
import { holdsFilesOnly, imageStart, startedPath } from '../model/startup';
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

/** Whether the user the final image's base runs as is known: scratch, alpine, golang, distroless, a distribution's image. */
function baseUserKnown(final: Stage): boolean {
  return !final.facts.unknownConfig;
}

/**
 * Packages that are only of use to root: network configuration (they need CAP_NET_ADMIN), FUSE
 * mounting (CAP_SYS_ADMIN), and the tools an entrypoint uses to drop root itself once it has set
 * up what needs it.
 */
const ROOT_PACKAGES = new Set(['iptables', 'ip6tables', 'nftables', 'iproute2', 'iproute', 'ipset', 'wireguard-tools', 'fuse', 'fuse3', 'su-exec', 'gosu', 'setpriv']);

/**
 * A port below 1024 the image EXPOSEs (its ARG/ENV defaults expanded): only root binds it where
 * the runtime keeps the kernel's default `ip_unprivileged_port_start` (Docker lowers it, Kubernetes
 * runtimes need not).
 */
function exposesPrivilegedPort(instruction: InstructionModel): boolean {
  if (instruction.keyword !== 'EXPOSE') return false;
  return instruction.node.getArguments().some((a) => {
    const port = Number(expandVariables(a.getValue(), (name) => instruction.env.get(name)?.value).split('/')[0]);
    return Number.isInteger(port) && port > 0 && port < 1024;
  });
}

/** Whether a path is in root's home: `/root`, `~`, `$HOME` while the step runs as root. */
function inRootHome(path: string): boolean {
  return /^(?:\/root|~|\$HOME|\$\{HOME\})(?:\/|$)/.test(path);
}

/** The owner a `--chown` flag or a `chown` command gives (`app:app`, `1000`): a user other than root. */
function otherOwner(owner: string | undefined): boolean {
  return owner !== undefined && owner !== '' && !owner.startsWith('-') && !isRootUser(owner);
}

/**
 * A step of the final image that gives files to a user other than root (`COPY --chown=app`,
 * `chown -R app /data`): the file knows its users, and runs the program as root all the same. Either
 * root is on purpose (the program needs it and hands its files to what it starts) or the
 * entrypoint switches user itself; neither is for this rule to undo.
 */
function ownsFilesForAnotherUser(instruction: InstructionModel): boolean {
  if (isCopy(instruction)) {
    return flagsOf(instruction.node).some((f) => f.getName().toLowerCase() === 'chown' && otherOwner(f.getValue() ?? undefined));
  }
  return isRun(instruction) && instruction.commands.some((c) => c.words[0]?.value === 'chown' && otherOwner(c.words.slice(1).find((w) => !w.value.startsWith('-'))?.value));
}

/**
 * Evidence in the file that the final image needs root to do its work, so that a non-root USER
 * would break it: a package only root can use, set-up written to root's home (`git config
 * --global`, a file under ~ or /root) that another user would not read, a VOLUME (Docker creates
 * its directory owned by root, so only root can write it), a privileged port, or the Go toolchain (the go command
 * the image is kept for needs a writable cache under HOME, and a numeric user's HOME is /).
 * The toolchain may be the base image's or one the file installs (a release archive unpacked, `apk
 * add go`, a COPY of /usr/local/go): such an image is the build environment and the runtime at
 * once, and everything its build made (GOPATH, the source tree, the WORKDIR) belongs to root, so
 * a non-root user needs writable directories the file does not set up.
 */
function needsRoot(model: DockerfileModel, final: Stage): boolean {
  const chain = stageChain(final);
  // A toolchain final image is also GD011's finding (when the toolchain is not the image's point):
  // its fix makes a new final stage, which this rule then looks at.
  if (chain.some((s) => s.facts.hasGo || isToolchainFamily(s.facts.family)) || goInstalledByFile(final)) return true;
  const instructions = chain.flatMap((s) => s.instructions).filter((i) => !i.user || isRootUser(i.user.name));
  return instructions.some((i) => i.keyword === 'VOLUME' || exposesPrivilegedPort(i) || ownsFilesForAnotherUser(i)
    || (isCopy(i) && i.destResolved !== undefined && inRootHome(i.destResolved))
    || (isRun(i) && (installedPackages(i).some((p) => ROOT_PACKAGES.has(p))
      || i.commands.some((c) => c.writes.some((w) => inRootHome(w.value))
        || (c.words[0]?.value === 'git' && c.words[1]?.value === 'config' && c.words.some((w) => w.value === '--global'))))));
}

/**
 * The Go binary the image starts, when its ENTRYPOINT (else CMD) names one of them; all of them
 * when the stages start nothing; none when it starts another program (a prebuilt server, a script
 * that may drop root itself). A binary whose path is not known may be the one started.
 */
function startedBinaries(final: Stage, binaries: readonly FinalBinary[]): FinalBinary[] {
  const start = imageStart(final);
  const program = start ? startedPath(start) : undefined;
  if (program === undefined) return [...binaries];
  // A shell script is no Go binary, whichever path the binaries have: it may drop root itself.
  if (/\.(sh|bash)$/.test(program)) return [];
  const named = binaries.filter((b) => b.path !== undefined && !b.path.endsWith('/')
    && (program.includes('/') ? posix.normalize(program) === b.path || (!program.startsWith('/') && posix.basename(b.path) === posix.basename(program)) : posix.basename(b.path) === program));
  if (named.length > 0) return named;
  // A folder of binaries (`GOBIN=/usr/local/bin go install …`) holds the program when the start
  // names it inside that folder, or by a bare name PATH may find there.
  const inFolder = (folder: string) => !program.includes('/') || posix.normalize(program).startsWith(folder);
  return binaries.filter((b) => b.path === undefined || (b.path.endsWith('/') && inFolder(b.path)));
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
    // An image that starts nothing runs nothing as root: its files are exported, not run.
    if (!final || holdsFilesOnly(final)) return;
    const user = final.endUser;
    if ((user && !isRootUser(user.name)) || (!user && (imageRunsAsNonRoot(model, final) || !baseUserKnown(final)))) return;
    const binaries = startedBinaries(final, finalBinaries(model));
    if (binaries.length === 0 || needsRoot(model, final)) return;
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
      // Who runs the image is what the image does, not how it is built: a suggestion, never applied by `fix` unasked.
      fixes: [{ title: `Run the final image as ${previous ?? NONROOT}`, edits: [userEdit(model, final, previous ?? NONROOT)], unsafe: `the image runs as ${previous ?? NONROOT}, not root` }],
    });
  },
});
