// The Go version a command runs with: the official golang image's tag says it exactly (golang:1.22,
// golang:1.22.3-alpine3.20, through ARG defaults); else the `go` line of the go.mod the command
// finds says the least it can be (Go 1.21 and later refuse an older toolchain for a newer module,
// and older ones fail on what the module uses). Unknown tags (`latest`, `alpine`, `1`, a digest
// alone) and images outside the table give no version: the analysis then says less, never more.
import { repositoryPath } from '../model/images';
import { resolvedImage } from '../model/imageref';
import { expandVariables } from '../parse/expand';
import type { DockerfileModel, InstructionModel, RunInstruction, Stage } from '../model/model';
import type { GoCommand } from './gocommand';
import { moduleOfCommand } from './commandmodule';
import { compareGoVersions } from './gomod';
import { perOwnedObjectAnd } from '../model/memo';

export interface GoVersionInEffect {
  /** "1.22", "1.22.3" or "1.21rc2" as the tag or go.mod writes it. */
  version: string;
  /** From the image tag: the Go that runs. From go.mod: the least Go that can build the module. */
  source: 'image' | 'go.mod';
  /** The image reference or the go.mod path, for messages. */
  from: string;
}

/** The Go release a golang image tag names: `1.22-alpine` → 1.22; `latest`, `alpine`, `1` → undefined. */
export function goVersionOfTag(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  const m = /^(\d+\.\d+(?:\.\d+|(?:rc|beta)\d+)?)(?:-[A-Za-z0-9.-]+)?$/.exec(tag);
  return m ? m[1] : undefined;
}

/** The image's Go comes from its tag only for the official image (and its mirrors). */
function isOfficialGoImage(name: string): boolean {
  const repo = repositoryPath(name);
  return repo === 'golang';
}

/** The stage a stage ultimately starts FROM (through FROM <stage>). */
function rootStage(stage: Stage): Stage {
  return stage.chain[0] ?? stage;
}

/** The Go version of a stage's base image, from its tag; undefined when the image does not say. */
export function goVersionOfImage(model: DockerfileModel, stage: Stage): GoVersionInEffect | undefined {
  return imageGoVersion(model, stage, undefined);
}

/** An official Go release archive, as go.dev/dl names it: go1.4.2.linux-amd64.tar.gz → 1.4.2. */
const RELEASE_ARCHIVE = /(?:^|[/=\s])go(\d+\.\d+(?:\.\d+)?)\.linux-[a-z0-9]+\.tar\.gz(?![\w.])/;

/**
 * The Go a stage installs from an official release archive (`curl …/go1.21.5.linux-amd64.tar.gz`,
 * the archive's name through ENV or ARG): the image then runs that Go. Read from the RUN words of
 * the stage and the stages it starts FROM, with the variables in scope there filled in.
 */
export function archiveGoVersion(stage: Stage): GoVersionInEffect | undefined {
  for (const s of stage.chain.length > 0 ? stage.chain : [stage]) {
    for (const instruction of s.instructions) {
      if (instruction.keyword !== 'RUN') continue;
      const lookup = (name: string) => instruction.env.get(name)?.value;
      for (const command of (instruction as RunInstruction).commands) {
        for (const word of command.words) {
          const m = RELEASE_ARCHIVE.exec(expandVariables(word.value, lookup));
          if (m) return { version: m[1], source: 'image', from: `the Go ${m[1]} release archive installed on line ${instruction.range.start.line + 1}` };
        }
      }
    }
  }
  return undefined;
}

/** Asked for every Go command by several rules: read once per stage. */
const imageGoVersion = perOwnedObjectAnd((model: DockerfileModel, stage: Stage, _detail: undefined): GoVersionInEffect | undefined => {
  const root = rootStage(stage);
  const image = resolvedImage(model, root);
  if (!image || !isOfficialGoImage(image.name)) return archiveGoVersion(stage);
  const version = goVersionOfTag(image.tag);
  return version ? { version, source: 'image', from: image.reference } : undefined;
});

/**
 * The Go version in effect for a command (or an instruction): the image's, else the go.mod `go`
 * line of the module the command runs in. Undefined when neither says.
 */
export function goVersionInEffect(model: DockerfileModel, instruction: InstructionModel, go?: GoCommand): GoVersionInEffect | undefined {
  if (!instruction.stage) return undefined;
  const fromImage = goVersionOfImage(model, instruction.stage);
  if (fromImage) return fromImage;
  if (!go || instruction.keyword !== 'RUN') return undefined;
  const module = moduleOfCommand(model, instruction as RunInstruction, go).module;
  if (!module?.goMod.go) return undefined;
  return { version: module.goMod.go, source: 'go.mod', from: module.dir === '.' ? 'go.mod' : `${module.dir}/go.mod` };
}

/**
 * Whether the Go in effect is at least `minimum`: true or false when the version says, undefined
 * when it does not (no version, or only go.mod's lower bound, which is older than `minimum`).
 */
export function goAtLeast(model: DockerfileModel, instruction: InstructionModel, minimum: string, go?: GoCommand): boolean | undefined {
  const inEffect = goVersionInEffect(model, instruction, go);
  if (!inEffect) return undefined;
  const order = compareGoVersions(inEffect.version, minimum);
  if (order === undefined) return undefined;
  if (order >= 0) return true;
  // go.mod's line is only the least Go that builds the module: an older line says nothing.
  return inEffect.source === 'image' ? false : undefined;
}

/** The Go in effect is known to be older than `minimum` (the feature is not there). */
export function goOlderThan(model: DockerfileModel, instruction: InstructionModel, minimum: string, go?: GoCommand): boolean {
  return goAtLeast(model, instruction, minimum, go) === false;
}
