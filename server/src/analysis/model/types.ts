// Shared shapes of the analysis core. Ranges and positions are LSP-style: zero-based lines and
// UTF-16 columns, end exclusive. The CLI converts to one-based when it prints.
import type { Range, TextEdit } from 'vscode-languageserver-types';

export type { Range, Position, TextEdit } from 'vscode-languageserver-types';

export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = Severity | 'off';
/** Rule id (GD001…) → severity override or 'off'. Unknown ids are reported, never fatal. */
export type RuleSettings = Record<string, RuleSetting>;

export interface RelatedLocation {
  range: Range;
  message: string;
}

/** A change to another file of the build context (today only `.dockerignore`). */
export interface FileChange {
  /** Path relative to the build context root, with forward slashes. */
  path: string;
  /** `create` when the file does not exist yet, `replace` to overwrite its whole text. */
  kind: 'create' | 'replace';
  text: string;
}

export interface Fix {
  /** Plain-words title, shown as the quick fix label. */
  title: string;
  /** Edits to the Dockerfile itself, non-overlapping, against the analysed text. */
  edits: TextEdit[];
  /** Edits to other files of the build context. */
  files?: FileChange[];
  /** The one obvious fix for the finding. */
  preferred?: boolean;
  /**
   * Set when the fix changes what the image does at run time, not only how it is built: what
   * changes, in a few words ("the image runs as 65532:65532, not root"). Such a fix is a
   * suggestion: the editor offers it as a quick fix (never preferred, never in source.fixAll) and
   * `fix` leaves it out, saying so, unless asked with --unsafe-fixes.
   */
  unsafe?: string;
}

export interface Finding {
  rule: string;
  name: string;
  severity: Severity;
  message: string;
  range: Range;
  related?: RelatedLocation[];
  /** First fix is the one `fix` and `source.fixAll` apply. Empty when there is no automatic fix. */
  fixes: Fix[];
  /** LSP diagnostic tags: 1 = unnecessary, 2 = deprecated. */
  tags?: number[];
}
