// Text edits the fixes are made of. Every helper keeps the file's line endings and the
// instruction's indentation, so a fixed Dockerfile looks like the user wrote it.
import { instructionAtLine, type CopyInstruction, type DockerfileModel, type InstructionModel, type RunInstruction } from '../model/model';
import type { Position, TextEdit } from '../model/types';
import { flagsOf } from '../parse/written';

export function lineText(model: DockerfileModel, line: number): string {
  return model.document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

export function indentOf(model: DockerfileModel, instruction: InstructionModel): string {
  return /^[ \t]*/.exec(lineText(model, instruction.range.start.line))![0];
}

/** Insert whole lines above an instruction, with its indentation. */
/** Lines inserted above an instruction, and above the comments directly above it, which stay with it. */
export function insertLinesBefore(model: DockerfileModel, instruction: InstructionModel, lines: string[]): TextEdit {
  const indent = indentOf(model, instruction);
  const line = leadingCommentsStart(model, instruction);
  return {
    range: { start: { line, character: 0 }, end: { line, character: 0 } },
    newText: lines.map((l) => indent + l + model.eol).join(''),
  };
}

/** Position just after the last line of an instruction (start of the next line, or end of file). */
function afterInstruction(model: DockerfileModel, instruction: InstructionModel): { position: Position; needsEol: boolean } {
  const next = instruction.range.end.line + 1;
  if (next < model.document.lineCount) return { position: { line: next, character: 0 }, needsEol: false };
  return { position: model.document.positionAt(model.text.length), needsEol: !/\r?\n$/.test(model.text) };
}

export function insertLinesAfter(model: DockerfileModel, instruction: InstructionModel, lines: string[]): TextEdit {
  const indent = indentOf(model, instruction);
  const { position, needsEol } = afterInstruction(model, instruction);
  const body = lines.map((l) => indent + l).join(model.eol);
  return { range: { start: position, end: position }, newText: needsEol ? model.eol + body : body + model.eol };
}

/** The full lines an instruction occupies, including its line break. */
export function instructionLines(model: DockerfileModel, instruction: InstructionModel): { text: string; edit: TextEdit } {
  const start = { line: instruction.range.start.line, character: 0 };
  const { position } = afterInstruction(model, instruction);
  let text = model.document.getText({ start, end: position });
  if (!/\r?\n$/.test(text)) text += model.eol;
  return { text, edit: { range: { start, end: position }, newText: '' } };
}

/**
 * An instruction's lines to move elsewhere: like instructionLines, except that taking away the
 * file's last line when it has no line break also takes the break before it, so the file still
 * ends the way it did (whichever fix runs first, the end of the file comes out the same).
 */
export function cutInstructionLines(model: DockerfileModel, instruction: InstructionModel): { text: string; edit: TextEdit } {
  const { text, edit } = instructionLines(model, instruction);
  const line = instruction.range.start.line;
  if (line === 0 || /\r?\n$/.test(model.text) || instruction.range.end.line !== model.document.lineCount - 1) return { text, edit };
  const previousEnd = { line: line - 1, character: lineText(model, line - 1).length };
  return { text, edit: { range: { start: previousEnd, end: edit.range.end }, newText: '' } };
}

/** Move an instruction (all its lines) above another one. */
export function moveInstructionBefore(model: DockerfileModel, moved: InstructionModel, anchor: InstructionModel): TextEdit[] {
  const { text, edit } = cutInstructionLines(model, moved);
  // Above the comments directly above the anchor, which stay with it (an ignore marker too).
  const line = leadingCommentsStart(model, anchor);
  return [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: text }, edit];
}

/** Add a flag (e.g. `--mount=type=cache,target=/x`) right after the RUN keyword. */
export function addRunFlag(run: RunInstruction, flag: string): TextEdit {
  const keywordEnd = run.node.getInstructionRange().end;
  return { range: { start: keywordEnd, end: keywordEnd }, newText: ` ${flag}` };
}

/** Remove a `--mount=…` flag from its RUN, with the space after it. */
export function dropMountEdit(model: DockerfileModel, mount: { range: TextEdit['range'] }): TextEdit {
  const { line, character } = mount.range.end;
  const rest = lineText(model, line).slice(character);
  // The last thing on a continued line: the command on the next line moves up to where the flag was.
  const next = line + 1 < model.document.lineCount ? lineText(model, line + 1) : undefined;
  if (rest.trim() === model.escape && next !== undefined && next.trim() !== '' && !next.trim().startsWith('#')) {
    return { range: { start: mount.range.start, end: { line: line + 1, character: next.length - next.trimStart().length } }, newText: '' };
  }
  const after = rest.startsWith(' ') ? 1 : 0;
  return { range: { start: mount.range.start, end: { line, character: character + after } }, newText: '' };
}

/**
 * Whether a path can be written into a `--mount=` option as is (no quoting rules to get wrong).
 * Go rejects relative GOCACHE/GOMODCACHE values, so a fix never mounts one.
 */
export function safeMountTarget(target: string): boolean {
  return /^\/[^\s,"'`\\]*$/.test(target);
}

/**
 * `,uid=…,gid=…` for a cache mount used by a numeric non-root USER: BuildKit creates cache
 * directories owned by root, which that user cannot write.
 */
export function mountOwnerSuffix(instruction: InstructionModel): string {
  const user = instruction.user?.name;
  if (!user) return '';
  const [uid, gid] = user.split(':');
  if (!/^\d+$/.test(uid) || uid === '0') return '';
  return `,uid=${uid},gid=${gid && /^\d+$/.test(gid) ? gid : uid}`;
}

export function replaceRange(range: TextEdit['range'], newText: string): TextEdit {
  return { range, newText };
}

/** Apply non-overlapping edits to a text. */
export function applyEdits(model: DockerfileModel, edits: TextEdit[]): string {
  const withOffsets = edits
    .map((e, order) => ({ start: model.document.offsetAt(e.range.start), end: model.document.offsetAt(e.range.end), text: e.newText, order }))
    .sort((a, b) => b.start - a.start || b.end - a.end || b.order - a.order);
  let text = model.text;
  for (const e of withOffsets) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}

/**
 * First line of the comment lines directly above an instruction (its own first line when there
 * are none): whatever goes "before" the instruction goes above them, so a comment, or an ignore
 * marker, stays with the instruction it describes.
 */
export function leadingCommentsStart(model: DockerfileModel, instruction: InstructionModel): number {
  // Parser directives (`# escape=`, `# syntax=`) only count on the file's first lines: nothing may go above them.
  const directives = model.ast.getDirectives();
  const firstFree = directives.length > 0 ? directives[directives.length - 1].getRange().end.line + 1 : 0;
  let line = instruction.range.start.line;
  while (line > firstFree && lineText(model, line - 1).trim().startsWith('#') && !instructionAtLine(model, line - 1)) line--;
  return line;
}

/** The `--chown`/`--chmod` flags of a COPY, as written, each followed by a space: a COPY added beside it keeps the same owner. */
export function copyOwnershipFlags(copy: CopyInstruction): string {
  return flagsOf(copy.node).filter((f) => ['chown', 'chmod'].includes(f.getName().toLowerCase())).map((f) => `${f.toString()} `).join('');
}
