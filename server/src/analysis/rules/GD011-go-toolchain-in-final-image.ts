import * as posix from 'node:path/posix';
import { isRootUser } from '../go/goenv';
import { isDebugBuild, type GoCommand } from '../go/gocommand';
import { imageStart, startedPath, startedProgram } from '../model/startup';
import { imageFileFromContext } from '../go/commandmodule';
import { shellCommandsOf } from '../go/delegated';
import { finalBinaries, linksLibc, stageChain, type FinalBinary } from '../cache/artifacts';
import { isArg, isEnv, isRun, type DockerfileModel, type EnvInstruction, type InstructionModel, type Stage } from '../model/model';
import { baseImageName, resolvedImage } from '../model/imageref';
import { isToolchainFamily } from '../model/images';
import { instructionLines, leadingCommentsStart, lineText } from '../fixing/edits';
import { referencedVariables } from '../parse/expand';
import type { Fix, TextEdit } from '../model/types';
import { defineRule } from './api';

/** Instructions that only describe how the image runs: they belong to the runtime stage. */
const RUNTIME_KEYWORDS = new Set(['CMD', 'ENTRYPOINT', 'EXPOSE', 'LABEL', 'HEALTHCHECK', 'STOPSIGNAL', 'VOLUME']);

/** Variables the build needs and the running binary does not. */
const BUILD_VARIABLE = /^(GO\w*|CGO_\w+|PATH|HOME|XDG_CACHE_HOME|CC|CXX)$/;

/** A command line with nothing a shell would interpret, so it can run without one. */
const PLAIN_COMMAND = /^[\w./:=@%+,-]+(?:[ \t]+[\w./:=@%+,-]+)*$/;

interface RuntimeBase {
  image: string;
  hasShell: boolean;
  /** Whether it carries CA certificates and a passwd file of its own. */
  bare: boolean;
}

/** scratch for static binaries; an image with the builder's libc when the binary needs one. */
function runtimeBase(model: DockerfileModel, final: Stage, binaries: FinalBinary[]): RuntimeBase {
  if (binaries.every((b) => b.build && linksLibc(b.build) === false)) return { image: 'scratch', hasShell: false, bare: true };
  const tag = resolvedImage(model, final)?.tag ?? '';
  if (final.facts.musl) {
    const alpine = /alpine(\d+\.\d+)/.exec(tag);
    return { image: alpine ? `alpine:${alpine[1]}` : 'alpine', hasShell: true, bare: false };
  }
  return { image: `gcr.io/distroless/base-${/bullseye/.test(tag) ? 'debian11' : 'debian12'}`, hasShell: false, bare: false };
}

/** The lines of an instruction and its comments, and the edit that removes them. */
function cutLines(model: DockerfileModel, instruction: InstructionModel): { text: string; edit: TextEdit } {
  const { text, edit } = instructionLines(model, instruction);
  const start = { line: leadingCommentsStart(model, instruction), character: 0 };
  const comments = model.document.getText({ start, end: edit.range.start });
  return { text: comments + text, edit: { range: { start, end: edit.range.end }, newText: '' } };
}

/** `CMD ./app -port 80` needs /bin/sh; the exec form runs without one. undefined when it is not that simple. */
function execForm(model: DockerfileModel, instruction: InstructionModel): string | undefined {
  const node = instruction.node as unknown as { getOpeningBracket?(): unknown };
  if (node.getOpeningBracket?.()) return undefined;
  const args = instruction.node.getArgumentsContent()?.trim() ?? '';
  if (instruction.range.start.line !== instruction.range.end.line || !PLAIN_COMMAND.test(args)) return undefined;
  const keyword = lineText(model, instruction.range.start.line).slice(0, instruction.node.getInstructionRange().end.character);
  return `${keyword} [${args.split(/[ \t]+/).map((a) => JSON.stringify(a)).join(', ')}]${model.eol}`;
}

function isShellForm(instruction: InstructionModel): boolean {
  return !(instruction.node as unknown as { getOpeningBracket?(): unknown }).getOpeningBracket?.();
}

function unusedStageName(model: DockerfileModel): string {
  const taken = new Set(model.stages.map((s) => s.name?.toLowerCase()));
  return ['build', 'builder', 'build-stage'].find((n) => !taken.has(n)) ?? `build-${model.stages.length}`;
}

/** ENV values the program may read at run time, as lines for the runtime stage. */
function runtimeEnvLines(model: DockerfileModel, envs: EnvInstruction[]): string[] {
  return envs.flatMap((env) => {
    const kept = env.vars.filter((v) => !BUILD_VARIABLE.test(v.name));
    if (kept.length === 0) return [];
    if (kept.length === env.vars.length && env.range.start.line === env.range.end.line) return [lineText(model, env.range.start.line).trim()];
    return [`ENV ${kept.map((v) => `${v.name}=${v.valueRange ? model.document.getText(v.valueRange) : v.value}`).join(' ')}`];
  });
}

/** `LABEL version=$VERSION`: a stage ARG the moved lines read must be declared in the runtime stage too. */
function argLinesUsedBy(model: DockerfileModel, final: Stage, moved: InstructionModel[]): string[] {
  const names = new Set(moved.flatMap((i) => referencedVariables(i.node.getArgumentsContent() ?? '').filter((n) => i.env.get(n)?.isArg)));
  return final.instructions.filter(isArg).filter((a) => a.name && names.has(a.name)).map((a) => lineText(model, a.range.start.line).trim());
}

/** Whether a started program (`/app/server`, `./server`, `server` found on the PATH) is one of the binaries at `paths`. */
function startsOneOf(program: string, workdir: string, paths: readonly string[]): boolean {
  if (!program.includes('/')) return paths.some((p) => posix.basename(p) === program);
  const resolved = posix.resolve(workdir, program);
  return paths.some((p) => posix.resolve(workdir, p) === resolved);
}

function buildFix(model: DockerfileModel, final: Stage, binaries: FinalBinary[]): Fix | undefined {
  // Every Go binary of the final image goes along, built there or copied in from another stage.
  // `go install` or `go build` without -o: the binary's path is only known to the build.
  const built = finalBinaries(model).filter((b) => b.build).map((b) => (b.copy || b.build!.go.output !== undefined ? b.path : undefined));
  const paths = built.filter((p): p is string => p !== undefined);
  if (paths.length !== built.length) return undefined;
  // What the image starts must be one of them: an entrypoint script, a launcher (tini) or a shell
  // would be missing from the runtime stage, which gets only the binaries.
  const start = imageStart(final);
  const started = start && startedPath(start);
  if (start && started !== undefined && !startsOneOf(started, start.workdir, paths)) return undefined;
  // A RUN, COPY or ADD after the last Go build prepares the image the program runs in
  // (certificates moved into /etc/ssl, a config file): the runtime stage would lack what it made.
  const lastBuild = Math.max(...binaries.map((b) => (b.build!.stage === final ? b.build!.run.position : -1)));
  if (final.instructions.some((i) => i.position > lastBuild && (isRun(i) || i.keyword === 'COPY' || i.keyword === 'ADD'))) return undefined;
  const base = runtimeBase(model, final, binaries);
  // A USER moves to the runtime stage only when no RUN of the build stage runs as that user.
  const lastRun = Math.max(...final.instructions.filter(isRun).map((i) => i.position));
  const moved = final.instructions.filter((i) => RUNTIME_KEYWORDS.has(i.keyword) || (i.keyword === 'USER' && i.position > lastRun));
  if (moved.some((i) => /\bgo\b/.test(i.node.getArgumentsContent() ?? '') && ['CMD', 'ENTRYPOINT'].includes(i.keyword))) return undefined;
  const edits: TextEdit[] = [];
  const movedText: string[] = [];
  for (const instruction of moved) {
    const cut = cutLines(model, instruction);
    let text = cut.text;
    if (!base.hasShell && isShellForm(instruction) && ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instruction.keyword)) {
      const exec = instruction.keyword === 'HEALTHCHECK' ? undefined : execForm(model, instruction);
      if (!exec) return undefined;
      text = cut.text.slice(0, model.document.offsetAt(instruction.range.start) - model.document.offsetAt(cut.edit.range.start)) + exec;
    }
    movedText.push(text);
    edits.push(cut.edit);
  }
  let name = final.name;
  if (!name) {
    name = unusedStageName(model);
    edits.push({ range: { start: final.image.range.end, end: final.image.range.end }, newText: ` AS ${name}` });
  }
  // Root is every runtime image's default user: repeating `USER root` there adds nothing.
  const keptUser = final.endUser && !moved.some((i) => i.keyword === 'USER') && !isRootUser(final.endUser.name) ? final.endUser.name : undefined;
  const runtimeUser = moved.filter((i) => i.keyword === 'USER').map((i) => i.node.getArgumentsContent()?.trim() ?? '').pop() ?? keptUser;
  const userName = runtimeUser?.split(':')[0];
  // scratch and distroless have no passwd entry for a user created in the build stage.
  const namedUser = userName !== undefined && userName !== 'root' && !/^\d+$/.test(userName);
  const lines = [`FROM ${base.image}`];
  if (base.bare) lines.push(`COPY --from=${name} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`);
  if (namedUser && !base.hasShell) lines.push(`COPY --from=${name} /etc/passwd /etc/group /etc/`);
  for (const path of new Set(paths)) lines.push(`COPY --from=${name} ${path} ${path}`);
  // WORKDIR and ENV set anywhere the final image inherits from still matter when the binary runs.
  const inherited = stageChain(final).flatMap((s) => s.instructions);
  if (inherited.some((i) => i.keyword === 'WORKDIR')) lines.push(`WORKDIR ${final.endWorkdir}`);
  lines.push(...argLinesUsedBy(model, final, moved));
  lines.push(...runtimeEnvLines(model, inherited.filter(isEnv)));
  if (keptUser) lines.push(`USER ${keptUser}`);
  // When the last line moves away, what is left ends with the line break before it.
  const lastLineMoves = moved.some((i) => i.range.end.line === model.document.lineCount - 1);
  const endsWithEol = /\r?\n$/.test(model.text) || lastLineMoves;
  const appended = `${endsWithEol ? '' : model.eol}${model.eol}${lines.map((l) => l + model.eol).join('')}${movedText.join('')}`;
  const end = model.document.positionAt(model.text.length);
  edits.push({ range: { start: end, end }, newText: appended });
  return { title: `Run the binary from a ${base.image} stage instead of the Go toolchain image`, edits, preferred: true };
}

/** `go install github.com/go-delve/delve/cmd/dlv@…`: the image is made to debug with. */
function installsDelve(go: GoCommand): boolean {
  return go.subcommand === 'install' && go.args.some((a) => /^github\.com\/go-delve\/delve\/cmd\/dlv(@|$)/.test(a.value));
}

/**
 * An ENTRYPOINT script from the build context whose last command is `exec "$@"`, with no CMD: the
 * container runs whatever command it is given, after the script's setup (a CI tools image).
 */
function runsTheCommandItIsGiven(model: DockerfileModel, final: Stage): boolean {
  const start = imageStart(final);
  const program = start?.keyword === 'ENTRYPOINT' ? startedPath(start) : undefined;
  if (!start || !program || stageChain(final).some((s) => s.instructions.some((i) => i.keyword === 'CMD'))) return false;
  const file = imageFileFromContext(model, start, posix.resolve(start.workdir, program));
  const text = file === undefined ? undefined : model.context?.readText(file);
  const last = text === undefined ? undefined : shellCommandsOf(text).filter((c) => c.within.length === 0).pop();
  return last !== undefined && last.words.length === 2 && last.words[0].value === 'exec' && /^"\$(@|\{@\})"$/.test(last.words[1].raw);
}

/**
 * Why the toolchain in the final image is the image's point rather than a cost, if it is: the
 * image starts nothing of its own (no ENTRYPOINT or CMD in any of its stages, or an entrypoint
 * script that ends by running its arguments: a development or CI image that runs the commands it
 * is given), it runs the program under Delve or installs Delve (an entrypoint script starts it),
 * or the program is built with optimizations off (`-gcflags=all=-N -l`) for a debugger. Such an
 * image is built on purpose: the compiler and sources in it are what it is for.
 */
function toolchainIsThePoint(model: DockerfileModel, final: Stage, binaries: FinalBinary[]): boolean {
  const starts = stageChain(final).flatMap((s) => s.instructions).filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  if (starts.length === 0 || runsTheCommandItIsGiven(model, final)) return true;
  if (starts.some((i) => startedProgram(i) === 'dlv')) return true;
  return binaries.some((b) => b.build !== undefined && (isDebugBuild(b.build.go) || installsDelve(b.build.go)));
}

export default defineRule({
  id: 'GD011',
  name: 'go-toolchain-in-final-image',
  severity: 'warning',
  summary: 'The final image is the Go toolchain image that built the binary, so every deploy ships the compiler, the module and build caches and the source along with it.',
  fixable: true,
  check({ model, report }) {
    const final = model.finalStage;
    if (!final || !(final.facts.hasGo || isToolchainFamily(final.facts.family))) return;
    const binaries = finalBinaries(model).filter((b) => !b.copy && b.build);
    if (binaries.length === 0 || toolchainIsThePoint(model, final, binaries)) return;
    const image = baseImageName(model, final);
    const size = final.facts.family === 'golang-alpine' ? 'over 200 MB' : 'over 800 MB';
    const first = binaries[0].build!;
    // A final stage that runs the tests may be the image they are run in (a CI image): whether it
    // is, or the binary is what ships, cannot be told, and the fix would make it only the latter.
    const runsTests = stageChain(final).some((s) => s.runs.some((r) => r.go.some((g) => g.subcommand === 'test' || g.subcommand === 'vet')));
    const fix = runsTests ? undefined : buildFix(model, final, binaries);
    report({
      range: final.image.range,
      message: `The final image is ${image}, the Go toolchain that built ${binaries[0].path ?? 'the binary'} on line ${first.run.range.start.line + 1}: every push, pull and deploy moves ${size} of compiler, caches and source for one binary. Copy the binary into a small runtime stage instead.`,
      related: binaries.map((b) => ({ range: b.build!.go.nameRange, message: `builds ${b.path ?? 'a binary'} into the final image` })),
      fixes: fix ? [fix] : [],
    });
  },
});
