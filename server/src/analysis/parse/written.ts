// What each instruction says on its own, as written, before any variable is expanded: its shell
// commands and Go commands, its mounts, COPY paths and flags, ARG and ENV declarations.
//
// Each is read once per dockerfile-ast instruction object. The parser hands back the same object
// while the instruction's text and line stay the same (reusingParser.ts), so an edit re-reads only
// the instruction it changed. What depends on earlier instructions (the environment, stages, the
// build context) is worked out by the model on every parse. The objects returned here are shared
// by the models of successive versions: never change them, and never key a per-analysis memo on
// them alone.
import type { Flag, From, Heredoc, Instruction } from 'dockerfile-ast';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseGoCommand, type GoCommand } from '../go/gocommand';
import { ownCopy } from './reusingParser';
import { joinMapped, parseShell, type ShellCommand } from './shell';
import type { Range } from '../model/types';

type Argument = ReturnType<Instruction['getArguments']>[number];
type JsonForm = { getOpeningBracket?(): unknown; getClosingBracket?(): unknown; getJSONStrings?(): { getJSONValue(): string; getRange(): Range }[] };

/**
 * `read(node, document)` once per instruction object. The document may be any version of the file
 * that holds the instruction's lines at the same place: only those lines are read from it, and
 * what is kept from it is copied (ownCopy), not cut from that version's whole text.
 */
function perInstruction<N extends Instruction, V>(read: (node: N, document: TextDocument) => V): (node: N, document: TextDocument) => V {
  const cache = new WeakMap<N, V>();
  return (node, document) => {
    let value = cache.get(node);
    if (value === undefined) {
      value = read(node, document);
      cache.set(node, value);
    }
    return value;
  };
}

/** A mount as written: everything but the target resolved against the environment. */
/** A `--mount` flag as written; the model adds the target it resolves to. */
export interface WrittenMount {
  type: string;
  target?: string;
  id?: string;
  from?: string;
  source?: string;
  uid?: string;
  gid?: string;
  sharing?: string;
  range: Range;
  targetRange?: Range;
  flag: Flag;
}

function readMount(flag: Flag): WrittenMount {
  const mount: WrittenMount = { type: 'bind', range: flag.getRange(), flag };
  for (const option of flag.getOptions()) {
    const name = option.getName().toLowerCase();
    const value = option.getValue() ?? '';
    switch (name) {
      case 'type': mount.type = value; break;
      case 'target': case 'dst': case 'destination':
        mount.target = value;
        mount.targetRange = option.getValueRange() ?? option.getRange();
        break;
      case 'id': mount.id = value; break;
      case 'from': mount.from = value; break;
      case 'source': case 'src': mount.source = value; break;
      case 'uid': mount.uid = value; break;
      case 'gid': mount.gid = value; break;
      case 'sharing': mount.sharing = value; break;
    }
  }
  return mount;
}

function flagsOf(node: Instruction): Flag[] {
  return (node as unknown as { getFlags?(): Flag[] }).getFlags?.() ?? [];
}

/**
 * The here-documents of a RUN, COPY or ADD. dockerfile-ast reads the whole instruction again to
 * find them, and there can be none unless an argument starts with `<<`: most instructions skip that.
 */
function heredocsOf(node: Instruction, args: readonly Argument[]): Heredoc[] {
  if (!args.some((arg) => arg.getValue().startsWith('<<'))) return [];
  return (node as unknown as { getHeredocs?(): Heredoc[] }).getHeredocs?.() ?? [];
}

function jsonStringsOf(node: Instruction): { value: string; range: Range }[] | undefined {
  const json = node as Instruction & JsonForm;
  if (!(json.getOpeningBracket?.() && json.getClosingBracket?.() && json.getJSONStrings)) return undefined;
  return json.getJSONStrings().map((s) => ({ value: s.getJSONValue(), range: s.getRange() }));
}

function shellCommandsOf(node: Instruction, args: readonly Argument[], document: TextDocument): { commands: ShellCommand[]; execForm: boolean; heredoc: boolean } {
  const strings = jsonStringsOf(node);
  if (strings) {
    const words = strings.map((s) => ({ value: s.value, raw: s.value, range: s.range }));
    if (words.length === 0) return { commands: [], execForm: true, heredoc: false };
    return {
      execForm: true,
      heredoc: false,
      commands: [{ assignments: [], words, range: { start: words[0].range.start, end: words[words.length - 1].range.end }, terminator: '', terminatorEnd: words[words.length - 1].range.end }],
    };
  }
  const heredocs = heredocsOf(node, args);
  if (heredocs.length > 0) {
    const pieces: { text: string; start: { line: number; character: number } }[] = [];
    for (const heredoc of heredocs) {
      const content = heredoc.getContentRange();
      if (!content) continue;
      for (let line = content.start.line; line <= content.end.line; line++) {
        const text = ownCopy(document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, ''));
        pieces.push({ text, start: { line, character: 0 } });
      }
    }
    return { commands: parseShell(joinMapped(pieces, '\n')), execForm: false, heredoc: true };
  }
  const pieces = args.map((arg) => ({ text: arg.getValue(), start: arg.getRange().start }));
  return { commands: parseShell(joinMapped(pieces, ' ')), execForm: false, heredoc: false };
}

export interface WrittenRun {
  commands: ShellCommand[];
  execForm: boolean;
  heredoc: boolean;
  go: GoCommand[];
  mounts: WrittenMount[];
}

export const writtenRun = perInstruction((node: Instruction, document: TextDocument): WrittenRun => {
  const { commands, execForm, heredoc } = shellCommandsOf(node, node.getArguments(), document);
  const mounts = flagsOf(node).filter((f) => f.getName().toLowerCase() === 'mount').map(readMount);
  const go = commands.map(parseGoCommand).filter((g): g is GoCommand => g !== undefined);
  return { commands, execForm, heredoc, go, mounts };
});

export interface WrittenCopy {
  /** Sources then destination, as written (JSON strings for the exec form); none with a heredoc. */
  paths: { value: string; range: Range }[];
  heredoc: boolean;
  fromFlag?: { value: string; range: Range };
}

export const writtenCopy = perInstruction((node: Instruction): WrittenCopy => {
  const args = node.getArguments();
  const fromFlag = flagsOf(node).find((f) => f.getName().toLowerCase() === 'from');
  const heredoc = heredocsOf(node, args).length > 0;
  const written = jsonStringsOf(node) ?? args.map((a) => ({ value: a.getValue(), range: a.getRange() }));
  return {
    paths: heredoc ? [] : written,
    heredoc,
    fromFlag: fromFlag ? { value: fromFlag.getValue() ?? '', range: fromFlag.getValueRange() ?? fromFlag.getRange() } : undefined,
  };
});

/**
 * The variables an ARG declares. dockerfile-ast reads `ARG A B` like the old `ENV A B` form (A with
 * the value "B"), but BuildKit declares both, so that form is split by hand.
 */
export const writtenArg = perInstruction((node: Instruction): { name: string; nameRange: Range; rawDefault?: string }[] => {
  type Property = { getName(): string; getNameRange(): Range; getValue(): string | null };
  const args = node.getArguments();
  const properties = (node as unknown as { getProperties?(): Property[] }).getProperties?.() ?? [];
  if (!(properties.length === 1 && args.length > 1 && !args[0].getValue().includes('='))) {
    return properties.map((p) => ({ name: p.getName(), nameRange: p.getNameRange(), rawDefault: p.getValue() ?? undefined }));
  }
  return args.map((arg) => {
    const [name, ...rest] = arg.getValue().split('=');
    const start = arg.getRange().start;
    return { name, nameRange: { start, end: { line: start.line, character: start.character + name.length } }, rawDefault: rest.length > 0 ? rest.join('=') : undefined };
  });
});

export const writtenEnv = perInstruction((node: Instruction): { name: string; nameRange: Range; value: string; valueRange?: Range }[] => {
  type Property = { getName(): string; getNameRange(): Range; getValue(): string | null; getValueRange(): Range | null };
  const props = (node as unknown as { getProperties?(): Property[] }).getProperties?.() ?? [];
  return props.map((p) => ({ name: p.getName(), nameRange: p.getNameRange(), value: p.getValue() ?? '', valueRange: p.getValueRange() ?? undefined }));
});

/** The arguments of USER or WORKDIR, trimmed. */
export const writtenArgumentsText = perInstruction((node: Instruction): string => node.getArgumentsContent()?.trim() ?? '');

export interface WrittenFrom {
  image?: string;
  imageRange?: Range;
  stageName?: string;
  stageNameRange?: Range;
  platform?: { value: string; range: Range };
}

/**
 * What FROM names, as dockerfile-ast's `getImage()`, `getImageRange()`, `getBuildStage()` and
 * `getBuildStageRange()` give it, from one reading of the arguments instead of one per question.
 */
export const writtenFrom = perInstruction((from: From, document: TextDocument): WrittenFrom => {
  const platformFlag = from.getPlatformFlag();
  const platform = platformFlag ? { value: platformFlag.getValue() ?? '', range: platformFlag.getRange() } : undefined;
  const args = from.getArguments();
  if (args.length === 0) return { platform };
  const stageNameRange = args.length > 2 && args[1].getValue().toUpperCase() === 'AS' ? args[2].getRange() : undefined;
  return {
    image: args[0].getValue(),
    imageRange: args[0].getRange(),
    stageName: stageNameRange ? ownCopy(document.getText(stageNameRange)) : undefined,
    stageNameRange,
    platform,
  };
});

/** The image name, tag and digest as dockerfile-ast reads them (tens of microseconds each, so only when asked). */
export const writtenImageParts = perInstruction((from: From): { name: string | null; tag?: string; digest?: string } => ({
  name: from.getImageName(),
  tag: from.getImageTag() ?? undefined,
  digest: from.getImageDigest() ?? undefined,
}));
