// Keeps build annotations on the instructions they describe while the Dockerfile is edited:
// an edit drops the annotations of the lines it touches and moves the ones below it.
import type { StepAnnotation } from '../../../server/src/profile/model';

/** Structurally a vscode TextDocumentContentChangeEvent (and an LSP one): range in the text before the edit. */
export interface TextChange {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

function newlines(text: string): number {
  let count = 0;
  for (const ch of text) if (ch === '\n') count++;
  return count;
}

/**
 * Where the lines `line..endLine` are after `change`, or undefined when the change touched them.
 * Inserting or deleting whole lines (both ends at column 0, text ending in a newline) leaves the
 * line at the end of the range untouched: adding a line above an instruction does not change it.
 */
export function moveLines(line: number, endLine: number, change: TextChange): { line: number; endLine: number } | undefined {
  const { start, end } = change.range;
  const wholeLines = start.character === 0 && end.character === 0 && (change.text === '' || change.text.endsWith('\n'));
  const firstBelow = wholeLines ? end.line : end.line + 1;
  if (endLine < start.line) return { line, endLine };
  if (line < firstBelow) return undefined;
  const delta = newlines(change.text) - (end.line - start.line);
  return { line: line + delta, endLine: endLine + delta };
}

/** The steps as they sit in the text after `changes` (applied in order, as a change event lists them). */
export function stepsAfterEdits(steps: readonly StepAnnotation[], changes: readonly TextChange[]): StepAnnotation[] {
  const moved: StepAnnotation[] = [];
  for (const step of steps) {
    let place: { line: number; endLine: number } | undefined = { line: step.line, endLine: step.endLine };
    for (const change of changes) {
      place = moveLines(place.line, place.endLine, change);
      if (!place) break;
    }
    if (place) moved.push(place.line === step.line && place.endLine === step.endLine ? step : { ...step, ...place });
  }
  return moved;
}
