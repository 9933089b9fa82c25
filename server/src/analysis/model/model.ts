// Turns a Dockerfile into what BuildKit will do with it: stages and their base images, the ENV/ARG
// timeline, the user and working directory at each instruction, RUN commands with their mounts,
// and what each COPY reads from the build context.
import type { Dockerfile, Instruction, From } from 'dockerfile-ast';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import * as posix from 'node:path/posix';
import type { BuildContext, DockerIgnore } from './context';
import { ignoreFileFor, parseDockerIgnore } from './context';
import { expandVariables, referencedVariables } from '../parse/expand';
import { imageFacts, splitImageReference, type ImageFacts } from './images';
import type { GoCommand } from '../go/gocommand';
import { perObject } from './memo';
import { addDelegatedGoCommands } from '../go/delegated';
import { parseDockerfileAst } from '../parse/reusingParser';
import type { ShellCommand } from '../parse/shell';
import type { Range } from './types';
import { Scope } from './scope';
import { classifySources, type CopySource } from './sources';
import { writtenArg, writtenArgumentsText, writtenCopy, writtenEnv, writtenFrom, writtenImageParts, writtenRun, type WrittenCopy, type WrittenMount } from '../parse/written';

export interface Origin {
  /** shell: `export` earlier in the same RUN; goenv: the file `go env -w` wrote. */
  kind: 'image' | 'env' | 'arg' | 'user' | 'inline' | 'shell' | 'goenv' | 'default' | 'derived' | 'unknown';
  /** Zero-based line of the instruction that set it. */
  line?: number;
  detail?: string;
}

export interface VarValue {
  /** undefined: declared (an ARG without default) but its value is only known at build time. */
  value: string | undefined;
  origin: Origin;
  /** ARGs are visible to RUN but do not persist into the image or child stages. */
  isArg: boolean;
}

export type Env = ReadonlyMap<string, VarValue>;

export interface ImageRef {
  raw: string;
  name: string;
  tag?: string;
  digest?: string;
  range: Range;
  facts: ImageFacts;
  /** Set when FROM names an earlier stage. */
  stage?: Stage;
  platform?: { value: string; range: Range };
}

export interface Mount extends WrittenMount {
  /** The target after variable expansion, normalised. */
  targetResolved?: string;
}

interface InstructionBase {
  node: Instruction;
  keyword: string;
  range: Range;
  /** Index in the whole file. */
  position: number;
  /** undefined for ARGs before the first FROM. */
  stage?: Stage;
  /** Variables in scope before this instruction runs. */
  env: Env;
  user?: { name: string; line: number };
  workdir: string;
}

export interface RunInstruction extends InstructionBase {
  keyword: 'RUN';
  commands: ShellCommand[];
  go: GoCommand[];
  mounts: Mount[];
  /** The mounts of type cache. */
  cacheMounts: Mount[];
  execForm: boolean;
  heredoc: boolean;
  /** Commands that run make or a script the analysis read to its end: their Go commands are in `go`. */
  readThrough?: Set<ShellCommand>;
}

export interface CopyInstruction extends InstructionBase {
  keyword: 'COPY' | 'ADD';
  sources: CopySource[];
  dest?: { value: string; range: Range };
  /** Absolute destination inside the image. */
  destResolved?: string;
  from?: { value: string; range: Range; stage?: Stage };
  heredoc: boolean;
}

export interface ArgInstruction extends InstructionBase {
  keyword: 'ARG';
  /** The first variable declared (`ARG A B` declares several). */
  name?: string;
  nameRange?: Range;
  defaultValue?: string;
  /** Every variable the line declares, in order. */
  vars: { name: string; nameRange: Range; defaultValue?: string }[];
}

export interface EnvInstruction extends InstructionBase {
  keyword: 'ENV';
  vars: { name: string; nameRange: Range; value: string; valueRange?: Range }[];
}

export interface OtherInstruction extends InstructionBase {
  keyword: 'FROM' | 'USER' | 'WORKDIR' | 'CMD' | 'ENTRYPOINT' | 'LABEL' | 'EXPOSE' | 'VOLUME' | 'SHELL'
    | 'HEALTHCHECK' | 'STOPSIGNAL' | 'ONBUILD' | 'MAINTAINER' | string;
}

export type InstructionModel = RunInstruction | CopyInstruction | ArgInstruction | EnvInstruction | OtherInstruction;

export interface Stage {
  index: number;
  name?: string;
  nameRange?: Range;
  from: From;
  fromRange: Range;
  image: ImageRef;
  /** Facts of the image this stage ultimately starts from (through stage references). */
  facts: ImageFacts;
  instructions: InstructionModel[];
  /** Its RUN instructions. */
  runs: RunInstruction[];
  /** This stage and the stages it starts FROM, parents first. */
  chain: readonly Stage[];
  /** Stages this one reads from: FROM <stage>, COPY --from, RUN --mount=from. */
  dependsOn: Set<Stage>;
  /** The stage exported by a plain `docker build` (the last one). */
  isFinal: boolean;
  /** The final stage depends on this stage, directly or not. */
  feedsFinal: boolean;
  /** Env, user and workdir after the last instruction. */
  endEnv: Env;
  endUser?: { name: string; line: number };
  endWorkdir: string;
}

export interface DockerfileModel {
  text: string;
  document: TextDocument;
  ast: Dockerfile;
  eol: '\n' | '\r\n';
  escape: string;
  instructions: InstructionModel[];
  /** Every RUN of the file, in order. */
  runs: RunInstruction[];
  stages: Stage[];
  finalStage?: Stage;
  context?: BuildContext;
  dockerignore: DockerIgnore;
  /** The Dockerfile's path relative to the context root, when it is known and inside the context. */
  dockerfile?: string;
}

export function isRun(i: InstructionModel): i is RunInstruction {
  return i.keyword === 'RUN';
}
export function isCopy(i: InstructionModel): i is CopyInstruction {
  return i.keyword === 'COPY' || i.keyword === 'ADD';
}
export function isArg(i: InstructionModel): i is ArgInstruction {
  return i.keyword === 'ARG';
}
export function isEnv(i: InstructionModel): i is EnvInstruction {
  return i.keyword === 'ENV';
}

/** BuildKit's automatic platform ARGs: defined for every build, stable between builds. */
export const AUTOMATIC_ARGS = new Set([
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
]);

function lookupIn(env: Env): (name: string) => string | undefined {
  return (name) => env.get(name)?.value;
}

/**
 * A written mount with its values expanded against the environment of its RUN, as the frontend
 * expands them. An option that refers to a variable whose value is only known at build time keeps
 * its written text: no rule can tell what it will be.
 */
function resolveMount(written: WrittenMount, env: Env, escape: string, workdir: string): Mount {
  const lookup = lookupIn(env);
  const known = (value: string | undefined) => {
    if (value === undefined || !value.includes('$')) return value;
    return referencedVariables(value).every((name) => lookup(name) !== undefined) ? expandVariables(value, lookup, escape) : value;
  };
  const options = { type: known(written.type)!.toLowerCase(), id: known(written.id), from: known(written.from), source: known(written.source), uid: known(written.uid), gid: known(written.gid), sharing: known(written.sharing) };
  if (written.target === undefined) return { ...written, ...options };
  const expanded = expandVariables(written.target, lookup, escape);
  // A relative target is under the WORKDIR, as the frontend joins them (`target=.` is the WORKDIR).
  const resolved = posix.normalize(expanded.startsWith('/') ? expanded : posix.join('/', workdir, expanded)).replace(/(.)\/$/, '$1');
  // A target that resolves to the root (`target=${UNSET}` with no WORKDIR) BuildKit refuses to mount over: no target.
  return { ...written, ...options, targetResolved: resolved === '/' ? undefined : resolved };
}

/** Build an image's initial environment, with every value attributed to the image. */
function imageEnv(facts: ImageFacts): Scope<VarValue> {
  const env = new Scope<VarValue>();
  for (const [name, value] of Object.entries(facts.env)) env.set(name, { value, origin: { kind: 'image', detail: facts.family }, isArg: false });
  return env;
}

/**
 * The model of a Dockerfile. With `previous` (the model of the document's last version, read with
 * the same build context), a stage whose instructions and upstream stages are unchanged is taken
 * over from it as it is, with the facts already worked out about it.
 */
export function parseDockerfile(text: string, context?: BuildContext, previous?: DockerfileModel, dockerfile?: string): DockerfileModel {
  // The parser's own document: its line offsets are already worked out.
  const { ast, document } = parseDockerfileAst(text);
  const escape = ast.getEscapeCharacter();
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const dockerignore = dockerIgnoreOf(context, dockerfile);
  const nodes = ast.getInstructions();
  const kept = previous && previous.context === context && previous.dockerignore === dockerignore && previous.escape === escape && previous.eol === eol
    ? unchangedStages(previous, nodes) : new Map<number, Stage>();
  // The nodes of a stage taken over are skipped up to the next FROM.
  let skipping = false;
  const instructions: InstructionModel[] = [];
  const runs: RunInstruction[] = [];
  const stages: Stage[] = [];
  // ARGs declared before the first FROM: usable in FROM lines, and inside a stage once re-declared.
  const globalArgs = new Map<string, VarValue>();
  for (const name of AUTOMATIC_ARGS) globalArgs.set(name, { value: undefined, origin: { kind: 'arg', detail: 'automatic platform ARG' }, isArg: true });

  let stage: Stage | undefined;
  let env = new Scope<VarValue>();
  let user: { name: string; line: number } | undefined;
  let workdir = '/';

  const closeStage = () => {
    if (!stage) return;
    stage.endEnv = env;
    stage.endUser = user;
    stage.endWorkdir = workdir;
  };

  nodes.forEach((node, position) => {
    const keyword = node.getKeyword().toUpperCase();
    if (skipping && keyword !== 'FROM') return;
    const range = node.getRange();
    const line = range.start.line;
    if (keyword === 'FROM') {
      closeStage();
      skipping = false;
      const same = kept.get(stages.length);
      if (same) {
        stages.push(same);
        instructions.push(...same.instructions);
        runs.push(...same.runs);
        stage = undefined;
        skipping = true;
        return;
      }
      const from = node as From;
      const written = writtenFrom(from, document);
      const imageRaw = written.image ?? '';
      const expandedImage = expandVariables(imageRaw, lookupIn(globalArgs), escape);
      const referenced = stages.findLast((s) => s.name !== undefined && s.name.toLowerCase() === expandedImage.toLowerCase());
      // Facts come from the image after ARG expansion: `FROM golang:${TAG}` with TAG=1.22-alpine is Alpine.
      const expandedRef = splitImageReference(expandedImage);
      const facts = referenced ? referenced.facts : imageFacts(expandedRef.name, expandedRef.tag);
      const image = imageRefOf(from, document, expandedImage, { raw: imageRaw, range: written.imageRange ?? range, facts, stage: referenced, platform: written.platform });
      stage = {
        index: stages.length,
        name: written.stageName,
        nameRange: written.stageNameRange,
        from,
        fromRange: range,
        image,
        facts,
        instructions: [],
        runs: [],
        chain: [],
        dependsOn: new Set(referenced ? [referenced] : []),
        isFinal: false,
        feedsFinal: false,
        endEnv: new Scope<VarValue>(),
        endWorkdir: '/',
      };
      // A FROM can only name an earlier stage, whose chain is complete.
      stage.chain = referenced ? [...referenced.chain, stage] : [stage];
      stages.push(stage);
      if (referenced) {
        // A child stage starts from the parent's image: its ENV, USER and WORKDIR, not its ARGs.
        env = Scope.of(referenced.endEnv, (v) => !v.isArg);
        user = referenced.endUser;
        workdir = referenced.endWorkdir;
      } else {
        env = imageEnv(facts);
        user = undefined;
        workdir = facts.workdir;
      }
      instructions.push({ node, keyword, range, position, stage, env, user, workdir });
      stage.instructions.push(instructions[instructions.length - 1]);
      return;
    }

    // Each model lists its fields rather than spreading a shared base into a bigger literal,
    // which costs V8 microseconds per object: milliseconds on a long file.
    let model: InstructionModel;
    if (keyword === 'ARG') {
      // `ARG TARGETOS TARGETARCH` declares several variables; a later default may use an earlier one.
      const vars: ArgInstruction['vars'] = [];
      let next = env;
      for (const declared of writtenArg(node, document)) {
        const name = declared.name;
        const defaultValue = declared.rawDefault === undefined ? undefined : expandVariables(declared.rawDefault, lookupIn(stage ? next : globalArgs), escape);
        vars.push({ name, nameRange: declared.nameRange, defaultValue });
        if (!stage) {
          globalArgs.set(name, { value: defaultValue, origin: { kind: 'arg', line }, isArg: true });
        } else {
          const inherited = globalArgs.get(name);
          const value = defaultValue ?? inherited?.value;
          // An ENV of the same name wins over the ARG for the rest of the stage.
          if (!next.has(name) || next.get(name)!.isArg) next = next.with(name, { value, origin: { kind: 'arg', line, detail: inherited && defaultValue === undefined ? 'global ARG' : undefined }, isArg: true });
        }
      }
      model = { node, range, position, stage, env, user, workdir, keyword: 'ARG', name: vars[0]?.name, nameRange: vars[0]?.nameRange, defaultValue: vars[0]?.defaultValue, vars };
      env = next;
    } else if (keyword === 'ENV') {
      const vars = writtenEnv(node, document);
      model = { node, range, position, stage, env, user, workdir, keyword: 'ENV', vars };
      // All assignments on one ENV line see the values from before the line.
      const before = lookupIn(env);
      const next = Scope.of(env);
      for (const v of vars) next.set(v.name, { value: expandVariables(v.value, before, escape), origin: { kind: 'env', line }, isArg: false });
      env = next;
    } else if (keyword === 'RUN') {
      const { commands, execForm, heredoc, go, mounts: written } = writtenRun(node, document);
      const mounts = written.map((m) => resolveMount(m, env, escape, workdir));
      const run: RunInstruction = { node, range, position, stage, env, user, workdir, keyword: 'RUN', commands, execForm, heredoc, mounts, cacheMounts: mounts.filter((m) => m.type === 'cache'), go };
      runs.push(run);
      stage?.runs.push(run);
      model = run;
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      model = copyModel(keyword, writtenCopy(node, document), { node, range, position, stage, env, user, workdir }, stages, context, dockerignore, escape);
    } else {
      model = { node, range, position, stage, env, user, workdir, keyword };
      if (keyword === 'USER') {
        const name = expandVariables(writtenArgumentsText(node, document), lookupIn(env), escape);
        user = name ? { name, line } : user;
      } else if (keyword === 'WORKDIR') {
        const dir = expandVariables(writtenArgumentsText(node, document), lookupIn(env), escape);
        if (dir) workdir = posix.normalize(dir.startsWith('/') ? dir : posix.join(workdir, dir));
      }
    }
    instructions.push(model);
    stage?.instructions.push(model);
  });
  closeStage();
  linkStages(stages, instructions);
  // A stage taken over keeps what it knew of the stages reading it (whether it feeds the final
  // image): with other links between the stages, every stage is built again.
  if (kept.size > 0 && linksChanged(stages, kept, previous!)) return parseDockerfile(text, context);
  const model: DockerfileModel = { text, document, ast, eol, escape, instructions, runs, stages, finalStage: stages[stages.length - 1], context, dockerignore, dockerfile };
  addDelegatedGoCommands(model, (run) => !kept.has(run.stage?.index ?? -1));
  return model;
}

/**
 * Whether a stage built again reads other stages than it did in `previous`. (A function of its
 * own: a closure in parseDockerfile naming `previous` would keep every earlier model alive
 * through the getters of the stages it builds.)
 */
function linksChanged(stages: readonly Stage[], kept: ReadonlyMap<number, Stage>, previous: DockerfileModel): boolean {
  return stages.some((stage, i) => !kept.has(i) && stageIndexes(stage.dependsOn) !== stageIndexes(previous.stages[i].dependsOn));
}

/** The indexes of some stages, in order, as one comparable text. */
export function stageIndexes(stages: Iterable<Stage>): string {
  return [...stages].map((s) => s.index).sort((a, b) => a - b).join();
}

/**
 * The stages of `previous` that the nodes of the new parse leave as they were: the same stages
 * (every FROM and every line before the first one the same node), and for each, the same nodes
 * at the same instruction positions, and stages it reads from that are unchanged too.
 */
function unchangedStages(previous: DockerfileModel, nodes: readonly Instruction[]): Map<number, Stage> {
  const kept = new Map<number, Stage>();
  const froms: number[] = [];
  nodes.forEach((node, i) => { if (node.getKeyword().toUpperCase() === 'FROM') froms.push(i); });
  if (froms.length !== previous.stages.length) return kept;
  const first = froms[0] ?? nodes.length;
  const preamble = previous.instructions.filter((i) => !i.stage);
  if (preamble.length !== first || preamble.some((p, i) => p.node !== nodes[i])) return kept;
  // Another FROM (a stage renamed, another base) may change what every `--from` names.
  if (previous.stages.some((stage, i) => stage.from !== nodes[froms[i]])) return kept;
  previous.stages.forEach((stage, index) => {
    const start = froms[index];
    const end = index + 1 < froms.length ? froms[index + 1] : nodes.length;
    const same = stage.instructions.length === end - start
      && stage.instructions[0]?.position === start
      && stage.instructions.every((instruction, i) => instruction.node === nodes[start + i])
      && [...stage.dependsOn].every((dep) => kept.has(dep.index));
    if (same) kept.set(index, stage);
  });
  return kept;
}

/**
 * A FROM's image. Few questions need the name, tag and digest as dockerfile-ast reads them: they
 * are read when first asked. (A function of its own, so that the getters hold only what they read,
 * not the parse that made them: the next version's model may take the stage over.)
 */
function imageRefOf(from: From, document: TextDocument, expandedImage: string, fields: Omit<ImageRef, 'name' | 'tag' | 'digest'>): ImageRef {
  let parts: { name: string; tag?: string; digest?: string } | undefined;
  const imageParts = () => {
    if (parts) return parts;
    const read = writtenImageParts(from, document);
    return (parts = { name: read.name ?? expandedImage, tag: read.tag, digest: read.digest });
  };
  return {
    raw: fields.raw,
    range: fields.range,
    facts: fields.facts,
    stage: fields.stage,
    platform: fields.platform,
    get name() { return imageParts().name; },
    get tag() { return imageParts().tag; },
    get digest() { return imageParts().digest; },
  };
}

/** The last .dockerignore read: it seldom changes between analyses, and compiling its patterns is not free. */
let lastDockerIgnore: DockerIgnore | undefined;

function dockerIgnoreOf(context: BuildContext | undefined, dockerfile: string | undefined): DockerIgnore {
  const path = ignoreFileFor(context, dockerfile);
  const text = context?.readText(path);
  if (!lastDockerIgnore || lastDockerIgnore.text !== text || lastDockerIgnore.path !== path) lastDockerIgnore = parseDockerIgnore(text, path);
  return lastDockerIgnore;
}

function copyModel(
  keyword: 'COPY' | 'ADD',
  written: WrittenCopy,
  base: Omit<InstructionBase, 'keyword'>,
  stages: Stage[],
  context: BuildContext | undefined,
  dockerignore: DockerIgnore,
  escape: string,
): CopyInstruction {
  const { paths, heredoc, fromFlag } = written;
  const lookup = lookupIn(base.env);
  const dest = paths.length >= 2 ? paths[paths.length - 1] : undefined;
  let destResolved: string | undefined;
  if (dest) {
    const expanded = expandVariables(dest.value, lookup, escape);
    const joined = expanded.startsWith('/') ? expanded : posix.join(base.workdir, expanded);
    destResolved = posix.normalize(joined) + (/\/$/.test(expanded) || expanded === '.' ? '/' : '');
    destResolved = destResolved.replace(/\/+$/, '/');
  }
  let from: CopyInstruction['from'];
  if (fromFlag) {
    const value = fromFlag.value;
    const byName = stages.findLast((s) => s.name !== undefined && s.name.toLowerCase() === value.toLowerCase());
    const byIndex = /^\d+$/.test(value) ? stages[Number(value)] : undefined;
    from = { value, range: fromFlag.range, stage: byName ?? byIndex };
  }
  const rawSources = paths.slice(0, -1).map((s) => ({ value: expandVariables(s.value, lookup, escape), range: s.range }));
  const sources = from ? rawSources.map((s) => ({ value: s.value, range: s.range, kind: 'other' as const })) : classifySources(rawSources, context, dockerignore);
  const { node: instruction, range, position, stage, env, user, workdir } = base;
  return { node: instruction, range, position, stage, env, user, workdir, keyword, sources, dest, destResolved, from, heredoc };
}

function linkStages(stages: Stage[], instructions: InstructionModel[]): void {
  for (const instruction of instructions) {
    const stage = instruction.stage;
    if (!stage) continue;
    if (isCopy(instruction) && instruction.from?.stage) stage.dependsOn.add(instruction.from.stage);
    if (isRun(instruction)) {
      for (const mount of instruction.mounts) {
        const source = mount.from ? stages.find((s) => s.name?.toLowerCase() === mount.from!.toLowerCase() || String(s.index) === mount.from) : undefined;
        if (source && mount.type !== 'cache') stage.dependsOn.add(source);
      }
    }
  }
  const final = stages[stages.length - 1];
  if (!final) return;
  final.isFinal = true;
  const visit = (s: Stage) => {
    if (s.feedsFinal) return;
    s.feedsFinal = true;
    for (const dep of s.dependsOn) visit(dep);
  };
  visit(final);
}

/** The instruction whose range contains a zero-based line, if any. */
export function instructionAtLine(model: DockerfileModel, line: number): InstructionModel | undefined {
  return instructionsByLine(model)[line];
}

/** Line → the first instruction covering it: findings, suppressions and fixes ask by line, often. */
const instructionsByLine = perObject((model: DockerfileModel): (InstructionModel | undefined)[] => {
  const byLine: (InstructionModel | undefined)[] = [];
  for (const instruction of model.instructions) {
    for (let line = instruction.range.start.line; line <= instruction.range.end.line; line++) byLine[line] ??= instruction;
  }
  return byLine;
});
