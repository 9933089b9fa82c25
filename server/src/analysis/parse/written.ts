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
import { shellParserLoaded } from './bashGrammar';
import { ownCopy } from './reusingParser';
import { csvFlagFields, flagValue } from './flagValue';
import { joinMapped, parseShell, type MappedText, type ShellCommand } from './shell';
import { shellInvocation } from './shellTree';
import type { Position, Range } from '../model/types';

type Argument = ReturnType<Instruction['getArguments']>[number];
type JsonForm = { getOpeningBracket?(): unknown; getClosingBracket?(): unknown; getJSONStrings?(): { getJSONValue(): string; getRange(): Range }[] };

/**
 * `read(node, document)` once per instruction object. The document may be any version of the file
 * that holds the instruction's lines at the same place: only those lines are read from it, and
 * what is kept from it is copied (ownCopy), not cut from that version's whole text. What was read
 * before the shell grammar loaded (no shell commands at all) is not kept.
 */
function perInstruction<N extends Instruction, V>(read: (node: N, document: TextDocument) => V): (node: N, document: TextDocument) => V {
  const cache = new WeakMap<N, V>();
  return (node, document) => {
    let value = cache.get(node);
    if (value === undefined) {
      value = read(node, document);
      if (shellParserLoaded()) cache.set(node, value);
    }
    return value;
  };
}

/** A `--mount` flag as the frontend reads it, before variables are expanded; the model expands them. */
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

/**
 * A `--mount` as the frontend reads it: quotes removed, fields split as CSV, keys lower case
 * (flagValue.ts). One the frontend would refuse is of type `invalid`, which no rule claims
 * anything about.
 */
function readMount(flag: Flag, escape: string): WrittenMount {
  const mount: WrittenMount = { type: 'bind', range: flag.getRange(), flag };
  const fields = csvFlagFields(flag, escape);
  if (!fields) return { type: 'invalid', range: flag.getRange(), flag };
  for (const { key, value: text } of fields) {
    if (!text) continue;
    const value = text.value;
    switch (key) {
      case 'type': mount.type = value.toLowerCase(); break;
      case 'target': case 'dst': case 'destination':
        mount.target = value;
        mount.targetRange = text.range;
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

/** The Dockerfile's escape character, as the parser read it for this instruction. */
function escapeOf(node: Instruction): string {
  return (node as unknown as { escapeChar?: string }).escapeChar ?? '\\';
}

/** The flags of an instruction as written (`--from`, `--chown`, `--mount`…). */
export function flagsOf(node: Instruction): Flag[] {
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

/** The exec form's strings (`["go", "run", "."]`); undefined for the shell form. */
export function writtenJsonStrings(node: Instruction): { value: string; range: Range }[] | undefined {
  const json = node as Instruction & JsonForm;
  if (!(json.getOpeningBracket?.() && json.getClosingBracket?.() && json.getJSONStrings)) return undefined;
  const strings = json.getJSONStrings();
  // dockerfile-ast drops the spaces inside a string (`"-s -w"` reads `-s-w`): the values come from
  // the array read as JSON, as BuildKit reads it; the ranges from dockerfile-ast.
  const values = jsonArrayOf(node.getArgumentsContent() ?? '');
  const exact = values?.length === strings.length ? values : undefined;
  return strings.map((s, i) => ({ value: exact?.[i] ?? s.getJSONValue(), range: s.getRange() }));
}

function jsonArrayOf(text: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((w) => typeof w === 'string') ? parsed as string[] : undefined;
  } catch {
    return undefined;
  }
}

type Piece = { text: string; start: Position };

/**
 * The shell text of arguments as pieces to join with a space: on each line, the document's text
 * from its first argument to its last (spacing inside quotes kept); an argument that spans lines
 * on its own. A line continuation becomes the joining space, as BuildKit joins the lines.
 */
function argumentPieces(args: readonly Argument[], document: TextDocument): Piece[] {
  const pieces: Piece[] = [];
  let line: Range | undefined;
  const flush = () => {
    if (line) pieces.push({ text: ownCopy(document.getText(line)), start: line.start });
    line = undefined;
  };
  for (const arg of args) {
    const range = arg.getRange();
    if (range.start.line !== range.end.line) {
      flush();
      pieces.push({ text: ownCopy(arg.getValue()), start: range.start });
    } else if (line && line.end.line === range.start.line) {
      line = { start: line.start, end: range.end };
    } else {
      flush();
      line = range;
    }
  }
  flush();
  return pieces;
}

/** The lines of a heredoc's content, as pieces to join with a newline. */
function heredocPieces(heredoc: Heredoc, document: TextDocument): Piece[] {
  const content = heredoc.getContentRange();
  if (!content) return [];
  const pieces: Piece[] = [];
  for (let line = content.start.line; line <= content.end.line; line++) {
    const text = ownCopy(document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, ''));
    pieces.push({ text, start: { line, character: 0 } });
  }
  return pieces;
}

/** A script that names an interpreter other than a shell (`#!/usr/bin/env python3`) is no shell text. */
function isShellScript(pieces: Piece[]): boolean {
  const first = pieces[0]?.text ?? '';
  if (!first.startsWith('#!')) return true;
  const words = first.slice(2).trim().split(/\s+/);
  return shellInvocation(words[0]?.endsWith('/env') ? words.slice(1).map((value) => ({ value })) : words.map((value) => ({ value }))).readsStdin;
}

/**
 * A RUN with heredocs, as BuildKit runs it: the command line (heredoc operators aside) is shell;
 * a heredoc is a script when nothing else is on the command line (`RUN <<EOF`) or when a shell
 * reads it (`RUN sh <<EOF`); fed to any other command (`cat <<EOF > file`), it is data.
 */
function heredocCommands(args: readonly Argument[], heredocs: Heredoc[], document: TextDocument): ShellCommand[] {
  const bodyLine = Math.min(...heredocs.map((h) => (h.getContentRange() ?? h.getDelimiterRange())?.start.line ?? Number.MAX_SAFE_INTEGER));
  const head = argumentPieces(args.filter((a) => a.getRange().start.line < bodyLine), document);
  // The operators (`<<EOF`, `<<-"EOF"`) become spaces: the rest of the line keeps its offsets.
  for (const heredoc of heredocs) {
    const { start, end } = heredoc.getStartRange();
    const piece = head.find((p) => p.start.line === start.line && p.start.character <= start.character && start.character < p.start.character + p.text.length);
    if (!piece || end.line !== start.line) continue;
    const from = start.character - piece.start.character;
    const to = Math.min(end.character - piece.start.character, piece.text.length);
    piece.text = piece.text.slice(0, from) + ' '.repeat(to - from) + piece.text.slice(to);
  }
  const commands = parseShell(joinMapped(head, ' '));
  const topLevel = commands.filter((c) => c.within.length === 0);
  for (const heredoc of heredocs) {
    const at = heredoc.getStartRange().start;
    const before = (p: Position) => p.line < at.line || (p.line === at.line && p.character <= at.character);
    // The command the heredoc is fed to: the statement it sits in, else the one right after it (`<<EOF sh`).
    const consumer = topLevel.findLast((c) => before(c.range.start) && !before(c.terminatorEnd))
      ?? topLevel.find((c) => !before(c.range.start));
    const pieces = heredocPieces(heredoc, document);
    if (consumer && !shellInvocation(consumer.words).readsStdin) continue;
    if (isShellScript(pieces)) commands.push(...parseShell(joinMapped(pieces, '\n')));
  }
  return commands;
}

/**
 * A JSON string of one line as shell text: each character of its value at the document position
 * of what encodes it (`\\"` for `"`); undefined for a string that spans lines.
 */
function jsonStringText(value: string, range: Range, document: TextDocument): MappedText | undefined {
  const raw = document.getText(range);
  if (range.start.line !== range.end.line || !raw.startsWith('"')) return undefined;
  const at: number[] = [];
  for (let i = 1; i < raw.length - 1 && at.length < value.length; i++) {
    at.push(i);
    if (raw[i] === '\\') i += raw[i + 1] === 'u' ? 5 : 1;
  }
  if (at.length !== value.length) return undefined;
  const end = raw.length - 1;
  return { text: value, positionAt: (index) => ({ line: range.start.line, character: range.start.character + (index < at.length ? at[index] : end) }) };
}

function shellCommandsOf(node: Instruction, args: readonly Argument[], document: TextDocument): { commands: ShellCommand[]; execForm: boolean; heredoc: boolean } {
  const strings = writtenJsonStrings(node);
  if (strings) {
    const words = strings.map((s) => ({ value: s.value, raw: s.value, range: s.range }));
    if (words.length === 0) return { commands: [], execForm: true, heredoc: false };
    const range = { start: words[0].range.start, end: words[words.length - 1].range.end };
    const commands: ShellCommand[] = [{ assignments: [], words, writes: [], range, terminator: '', terminatorEnd: range.end, within: [], scope: [] }];
    // `["sh", "-c", "go build …"]`: the script's commands, as in `RUN sh -c '…'`.
    const script = shellInvocation(words).script;
    const text = script === undefined ? undefined : jsonStringText(words[script].value, words[script].range, document);
    if (text) commands.push(...parseShell(text).map((c) => ({ ...c, within: ['sh -c' as const, ...c.within] })));
    return { execForm: true, heredoc: false, commands };
  }
  const heredocs = heredocsOf(node, args);
  if (heredocs.length > 0) return { commands: heredocCommands(args, heredocs, document), execForm: false, heredoc: true };
  return { commands: parseShell(joinMapped(argumentPieces(args, document), ' ')), execForm: false, heredoc: false };
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
  const escape = escapeOf(node);
  const mounts = flagsOf(node).filter((f) => f.getName().toLowerCase() === 'mount').map((f) => readMount(f, escape));
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
  const from = flagsOf(node).find((f) => f.getName().toLowerCase() === 'from');
  const fromFlag = from && (flagValue(from, escapeOf(node)) ?? { value: '', range: from.getRange() });
  const heredoc = heredocsOf(node, args).length > 0;
  const written = writtenJsonStrings(node) ?? args.map((a) => ({ value: a.getValue(), range: a.getRange() }));
  return {
    paths: heredoc ? [] : written,
    heredoc,
    fromFlag,
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
  const platform = platformFlag ? { value: flagValue(platformFlag, escapeOf(from))?.value ?? '', range: platformFlag.getRange() } : undefined;
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
