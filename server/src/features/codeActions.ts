// Code actions for the findings under the cursor: each fix as a quick fix, "Disable GD0NN for
// this line", and `source.fixAll.go-dockerfile-cache`, which applies every safe fix at once (the
// kind `editor.codeActionsOnSave` asks for).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind, type CodeAction, type Diagnostic, type TextDocumentEdit, type CreateFile, type WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { AnalysisResult } from '../analysis/analyze';
import type { BuildContext } from '../analysis/model/context';
import { fixAll } from '../analysis/fixing/fixer';
import type { DockerfileModel } from '../analysis/model/model';
import { rules as allRules } from '../analysis/rules/index';
import { suppressionEdit } from '../analysis/suppress';
import type { Finding, Fix, Range, TextEdit } from '../analysis/model/types';
import { DIAGNOSTIC_SOURCE, toDiagnostic } from './diagnostics';
import { CACHE_MISS_RULES } from './measuredCost';
import { analysisOf, rangesIntersect, sameRange, type FeatureOptions } from './options';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.go-dockerfile-cache`;

export interface CodeActionOptions extends FeatureOptions {
  uri: string;
  /** Version of the open document, for TextDocumentEdit; null when unknown. */
  version?: number | null;
  /** The diagnostics the editor sent with the request, linked to the actions that fix them. */
  diagnostics?: Diagnostic[];
  /** CodeActionContext.only: the kinds the editor asks for. */
  only?: string[];
  /** The editor applies `documentChanges` with CreateFile (needed for fixes that write other files). */
  resourceOperations?: boolean;
  /** The client's command that measures the fix (VS Code's "Measure the Fix"); unset, no such action. */
  measureCommand?: string;
}

function asksFor(only: string[], kind: string): boolean {
  return only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function fileUri(context: BuildContext, relativePath: string): string {
  return pathToFileURL(path.join(context.root, relativePath)).href;
}

function wholeTextRange(text: string): Range {
  const lines = text.split(/\r\n|\r|\n/);
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

/**
 * The WorkspaceEdit for a fix. Fixes that write other files of the build context need an editor
 * that can create files and a context on disk; without both there is no edit to offer.
 */
function fixWorkspaceEdit(fix: Pick<Fix, 'edits' | 'files'>, options: CodeActionOptions): WorkspaceEdit | undefined {
  const files = fix.files ?? [];
  if (files.length === 0) return { changes: { [options.uri]: fix.edits } };
  const context = options.context;
  if (!context || !canWriteFiles(options)) return undefined;
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  if (fix.edits.length > 0) documentChanges.push({ textDocument: { uri: options.uri, version: options.version ?? null }, edits: fix.edits });
  for (const file of files) {
    const uri = fileUri(context, file.path);
    const existing = file.kind === 'replace' ? context.readText(file.path) : undefined;
    if (existing === undefined) {
      // ignoreIfExists: a file that appeared since the analysis keeps its text; the new lines go on top.
      documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
      documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: wholeTextRange(''), newText: file.text }] });
    } else {
      documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: wholeTextRange(existing), newText: file.text }] });
    }
  }
  return { documentChanges };
}

/** One edit covering only what changed between two texts, so the cursor and folds stay put. */
export function minimalEdit(model: DockerfileModel, next: string): TextEdit | undefined {
  const before = model.text;
  if (before === next) return undefined;
  let start = 0;
  const shorter = Math.min(before.length, next.length);
  while (start < shorter && before.charCodeAt(start) === next.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endNext = next.length;
  while (endBefore > start && endNext > start && before.charCodeAt(endBefore - 1) === next.charCodeAt(endNext - 1)) {
    endBefore--;
    endNext--;
  }
  // Never split a \r\n pair.
  if (start > 0 && before[start - 1] === '\r' && before[start] === '\n') start--;
  return {
    range: { start: model.document.positionAt(start), end: model.document.positionAt(endBefore) },
    newText: next.slice(start, endNext),
  };
}

function linkedDiagnostic(finding: Finding, options: CodeActionOptions): Diagnostic {
  const sent = options.diagnostics?.find((d) => d.source === DIAGNOSTIC_SOURCE && d.code === finding.rule && sameRange(d.range, finding.range));
  return sent ?? toDiagnostic(finding, options.uri);
}

function quickFixes(finding: Finding, options: CodeActionOptions): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const fix of finding.fixes) {
    const edit = fixWorkspaceEdit(fix, options);
    if (!edit) continue;
    const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [linkedDiagnostic(finding, options)], edit };
    // A fix that changes what the image does at run time is offered, never the one to take blindly.
    if (fix.preferred && fix.unsafe === undefined) action.isPreferred = true;
    actions.push(action);
  }
  return actions;
}

function disableAction(model: DockerfileModel, finding: Finding, options: CodeActionOptions): CodeAction | undefined {
  const edit = suppressionEdit(model, finding);
  if (!edit) return undefined;
  return {
    title: `Disable ${finding.rule} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [linkedDiagnostic(finding, options)],
    edit: { changes: { [options.uri]: [edit] } },
  };
}

function canWriteFiles(options: CodeActionOptions): boolean {
  return Boolean(options.context?.root && options.resourceOperations);
}

function fixAllAction(content: string, analysis: AnalysisResult, options: CodeActionOptions): CodeAction | undefined {
  const model = analysis.model;
  const fixOptions = { context: options.context, dockerfile: model.dockerfile, rules: options.rules, buildsIn: options.buildsIn ?? analysis.site };
  let result = fixAll(content, fixOptions);
  if (result.files.length > 0 && !canWriteFiles(options)) {
    // Still fix the Dockerfile itself, leaving out the rules whose fix writes other files.
    const writesFiles = new Set(analysis.findings.filter((f) => f.fixes[0]?.files?.length).map((f) => f.rule));
    result = fixAll(content, { ...fixOptions, fixRules: allRules.map((r) => r.id).filter((id) => !writesFiles.has(id)) });
  }
  if (result.applied.length === 0) return undefined;
  const edit = minimalEdit(model, result.text);
  const workspaceEdit = fixWorkspaceEdit({ edits: edit ? [edit] : [], files: result.files }, options);
  if (!workspaceEdit) return undefined;
  const count = result.applied.length;
  return { title: `Fix all Go Dockerfile cache problems (${count} fix${count === 1 ? '' : 'es'})`, kind: FIX_ALL_KIND, edit: workspaceEdit };
}

/** "Measure the fix" for a fixable cache-miss finding: builds both versions, where the client can. */
function measureAction(here: readonly Finding[], options: CodeActionOptions): CodeAction | undefined {
  if (!options.measureCommand) return undefined;
  const measurable = here.filter((f) => CACHE_MISS_RULES.has(f.rule) && f.fixes.length > 0);
  if (measurable.length === 0) return undefined;
  return {
    title: 'Measure the fix: build with and without it and compare rebuild times',
    kind: CodeActionKind.QuickFix,
    diagnostics: measurable.map((f) => linkedDiagnostic(f, options)),
    command: { title: 'Measure the Fix', command: options.measureCommand, arguments: [options.uri] },
  };
}

export function codeActions(content: string, range: Range, options: CodeActionOptions): CodeAction[] {
  const analysis = analysisOf(content, options);
  const actions: CodeAction[] = [];
  if (!options.only || asksFor(options.only, CodeActionKind.QuickFix)) {
    const here = analysis.findings.filter((f) => rangesIntersect(f.range, range));
    const disables = new Map<string, CodeAction>();
    for (const finding of here) {
      actions.push(...quickFixes(finding, options));
      const disable = disableAction(analysis.model, finding, options);
      // Two findings of one rule on one instruction need one ignore comment, not two.
      if (disable && !disables.has(disable.title + JSON.stringify(disable.edit))) disables.set(disable.title + JSON.stringify(disable.edit), disable);
    }
    actions.sort((a, b) => Number(b.isPreferred === true) - Number(a.isPreferred === true));
    const measure = measureAction(here, options);
    if (measure) actions.push(measure);
    actions.push(...disables.values());
  }
  // Source actions only when asked for (save, the Source Action menu): the automatic lightbulb
  // request would compute every fix on each cursor move just to have it filtered out.
  if (options.only && asksFor(options.only, FIX_ALL_KIND) && analysis.findings.some((f) => f.fixes.length > 0)) {
    const all = fixAllAction(content, analysis, options);
    if (all) actions.push(all);
  }
  return actions;
}
