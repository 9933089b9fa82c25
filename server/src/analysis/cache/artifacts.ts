// Which Go binaries end up in the final image and which `go build` produced each: the question
// behind every rule about the runtime image (cgo against a static base, a toolchain shipped to
// production, a missing runtime stage).
import * as posix from 'node:path/posix';
import { expandVariables, referencedVariables } from '../parse/expand';
import type { GoCommand } from '../go/gocommand';
import { effectiveGoEnv, goSetting } from '../go/goenv';
import { perObject, perObjectAnd } from '../model/memo';
import { isCopy, isRun, type CopyInstruction, type DockerfileModel, type RunInstruction, type Stage } from '../model/model';

export interface GoBuildStep {
  run: RunInstruction;
  go: GoCommand;
  /** The stage the RUN belongs to (the copied-from stage or one of its parents). */
  stage: Stage;
}

export interface FinalBinary {
  /**
   * The COPY --from that brings the binary into the final image; undefined when the binary is
   * built inside the final image itself (the final stage or a stage it starts FROM).
   */
  copy?: CopyInstruction;
  build?: GoBuildStep;
  /** Absolute path of the binary in the final image, when known. */
  path?: string;
}

/** A stage and the stages it starts FROM, parents first. */
export function stageChain(stage: Stage): readonly Stage[] {
  return stage.chain;
}

function producesBinary(go: GoCommand): boolean {
  return go.subcommand === 'build' || go.subcommand === 'install';
}

/** Every `go build` / `go install` in a stage and the stages it starts FROM. */
export const goBuildsIn = perObject((stage: Stage): readonly GoBuildStep[] =>
  stageChain(stage).flatMap((s) => s.runs.flatMap((run) =>
    run.go.filter(producesBinary).map((go) => ({ run, go, stage: s })))));

/**
 * Absolute path a build writes its binary to, when it can be known: `-o` resolved against the
 * RUN's WORKDIR (ends with `/` when `-o` names a directory), or `$GOBIN`/`$GOPATH/bin` for
 * `go install`. undefined for `go build` without `-o`, or an output that depends on an unset ARG.
 */
export function resolvedOutput(model: DockerfileModel, step: GoBuildStep): string | undefined {
  const { run, go } = step;
  const lookup = (name: string) => go.inlineEnv.get(name) ?? run.env.get(name)?.value;
  if (go.output !== undefined) {
    if (referencedVariables(go.output).some((name) => lookup(name) === undefined)) return undefined;
    const expanded = expandVariables(go.output, lookup, model.escape);
    if (expanded === '' || /[`$]/.test(expanded)) return undefined;
    const joined = posix.normalize(expanded.startsWith('/') ? expanded : posix.join(run.workdir, expanded));
    return expanded.endsWith('/') && !joined.endsWith('/') ? `${joined}/` : joined;
  }
  if (go.subcommand === 'install') {
    const gobin = goSetting(run, go, 'GOBIN')?.value;
    const dir = gobin ? gobin : posix.join(effectiveGoEnv(run, go).GOPATH.value.split(':')[0], 'bin');
    return `${posix.normalize(dir)}/`;
  }
  return undefined;
}

/** Paths a COPY --from source cannot be a Go binary from: system files copied alongside it. */
const SYSTEM_PATH = /^\/(etc|usr\/share|usr\/lib|lib|var)\//;

/** Whether a COPY --from source (absolute, may end with `/`) picks up a build's output. */
function sourceMatchesOutput(source: string, output: string): boolean {
  const src = source.replace(/(.)\/$/, '$1');
  if (output.endsWith('/')) {
    const dir = output.replace(/(.)\/$/, '$1');
    return src === dir || src.startsWith(`${dir}/`);
  }
  if (src === output) return true;
  if (output.startsWith(src === '/' ? '/' : `${src}/`)) return true;
  if (/[*?[]/.test(src)) return globToRegExp(src).test(output);
  return false;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  try {
    return new RegExp(`^${body}$`);
  } catch {
    // An unbalanced `[` is no pattern BuildKit would accept either: it matches nothing.
    return /(?!)/;
  }
}

function copyTargetPath(copy: CopyInstruction, source: string, output: string | undefined): string | undefined {
  const dest = copy.destResolved;
  if (!dest) return undefined;
  const src = source.replace(/(.)\/$/, '$1');
  // A single source copied to a path without a trailing slash lands at that path, unless the
  // source is the output directory itself (then its contents land inside).
  const copiesDirectory = output?.endsWith('/') && src === output.replace(/(.)\/$/, '$1');
  if (!dest.endsWith('/') && copy.sources.length === 1 && !copiesDirectory) return dest;
  if (output && !output.endsWith('/')) {
    const relative = output === src || /[*?[]/.test(src) ? posix.basename(output) : posix.relative(src, output);
    return posix.join(dest, relative);
  }
  return undefined;
}

export function absoluteSource(value: string): string {
  const normalized = posix.normalize(value.startsWith('/') ? value : `/${value}`).replace(/(.)\/+$/, '$1');
  return value.endsWith('/') && normalized !== '/' ? `${normalized}/` : normalized;
}

/**
 * The Go binaries in the final image: each COPY --from=<stage> into the final image whose source
 * matches the resolved output of a `go build`/`go install` in that stage (or, when no output
 * matches, its first build whose output is unknown), plus builds run inside the final image.
 * One entry per binary: a COPY of a directory can bring several. Five rules ask: it is worked out
 * once per model.
 */
export const finalBinaries = perObject((model: DockerfileModel): readonly FinalBinary[] =>
  (model.finalStage ? binariesIn(model, model.finalStage) : []));

/** Stages whose binaries are being worked out: a stage that copies from itself gets nothing from it. */
const inProgress = new Set<Stage>();

/**
 * The Go binaries a stage holds: built in it or the stages it starts FROM, or copied in from
 * another stage's binaries (which may have been copied there in turn).
 */
const binariesIn = perObjectAnd((model: DockerfileModel, stage: Stage): readonly FinalBinary[] => {
  if (inProgress.has(stage)) return [];
  inProgress.add(stage);
  try {
    const result: FinalBinary[] = [];
    for (const s of stageChain(stage)) {
      for (const instruction of s.instructions) {
        if (isRun(instruction)) {
          for (const go of instruction.go.filter(producesBinary)) {
            const build = { run: instruction, go, stage: s };
            result.push({ build, path: resolvedOutput(model, build) });
          }
          continue;
        }
        if (!isCopy(instruction) || !instruction.from?.stage) continue;
        const held = binariesIn(model, instruction.from.stage).filter((b) => b.build);
        if (held.length === 0) continue;
        for (const source of instruction.sources) {
          const abs = absoluteSource(source.value);
          if (SYSTEM_PATH.test(abs)) continue;
          // A directory source can bring several binaries; without a known output, take the first binary that has none.
          const known = held.filter((b) => b.path !== undefined && sourceMatchesOutput(abs, b.path));
          const unknown = held.find((b) => b.path === undefined);
          const matched = known.length > 0 ? known : unknown ? [unknown] : [];
          for (const m of matched) result.push({ copy: instruction, build: m.build, path: copyTargetPath(instruction, abs, m.path) });
        }
      }
    }
    return result;
  } finally {
    inProgress.delete(stage);
  }
});

/**
 * Whether a build's binary is dynamically linked against the builder's C library: cgo on and no
 * `-extldflags -static`. undefined when CGO_ENABLED comes from an ARG given only at build time.
 */
export function linksLibc(step: GoBuildStep): boolean | undefined {
  const { run, go } = step;
  if (!go.inlineEnv.has('CGO_ENABLED') && run.env.has('CGO_ENABLED') && run.env.get('CGO_ENABLED')!.value === undefined) return undefined;
  if (effectiveGoEnv(run, go).CGO_ENABLED.value === '0') return false;
  return !/-static\b/.test(go.flags.get('ldflags')?.value ?? '');
}
