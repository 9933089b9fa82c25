// Inline suppression comments:
//   # go-dockerfile-cache ignore=GD003,GD016       (applies to the next instruction)
//   # go-dockerfile-cache ignore-file=GD012        (applies to the whole file)
import { instructionAtLine, type DockerfileModel, type InstructionModel } from './model/model';
import type { Finding, TextEdit } from './model/types';
import { indentOf } from './fixing/edits';

const MARKER = /^go-dockerfile-cache\s+(ignore|ignore-file)\s*=\s*([A-Za-z0-9_,\s]+)$/;

export interface Suppressions {
  file: Set<string>;
  /** Zero-based start line of an instruction → rule ids ignored there. */
  byInstructionLine: Map<number, Set<string>>;
}

function ids(list: string): string[] {
  return list.split(/[,\s]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
}

export function readSuppressions(model: DockerfileModel): Suppressions {
  const file = new Set<string>();
  const byInstructionLine = new Map<number, Set<string>>();
  const commentLines = new Set(model.ast.getComments().map((c) => c.getRange().start.line));
  for (const comment of model.ast.getComments()) {
    const match = MARKER.exec(comment.getContent().trim());
    if (!match) continue;
    if (match[1] === 'ignore-file') {
      for (const id of ids(match[2])) file.add(id);
      continue;
    }
    // The comment may sit in a block of comments directly above the instruction.
    let line = comment.getRange().start.line + 1;
    while (commentLines.has(line)) line++;
    if (instructionAtLine(model, line)?.range.start.line !== line) continue;
    const set = byInstructionLine.get(line) ?? new Set<string>();
    for (const id of ids(match[2])) set.add(id);
    byInstructionLine.set(line, set);
  }
  return { file, byInstructionLine };
}

export function isSuppressed(model: DockerfileModel, suppressions: Suppressions, finding: Finding): boolean {
  if (suppressions.file.has(finding.rule)) return true;
  const instruction = instructionAtLine(model, finding.range.start.line);
  return instruction !== undefined && suppressions.byInstructionLine.get(instruction.range.start.line)?.has(finding.rule) === true;
}

/** The edit that adds (or extends) an ignore comment above the instruction holding a finding. */
export function suppressionEdit(model: DockerfileModel, finding: Finding): TextEdit | undefined {
  const instruction: InstructionModel | undefined = instructionAtLine(model, finding.range.start.line);
  if (!instruction) return undefined;
  const above = instruction.range.start.line - 1;
  const existing = model.ast.getComments().find((c) => c.getRange().start.line === above && MARKER.test(c.getContent().trim()) && c.getContent().includes('ignore='));
  if (existing) {
    const range = existing.getRange();
    return { range: { start: { line: range.end.line, character: range.end.character }, end: range.end }, newText: `,${finding.rule}` };
  }
  const start = { line: instruction.range.start.line, character: 0 };
  return { range: { start, end: start }, newText: `${indentOf(model, instruction)}# go-dockerfile-cache ignore=${finding.rule}${model.eol}` };
}
