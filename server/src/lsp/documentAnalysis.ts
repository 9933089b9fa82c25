// The analysis of each open document at its latest version, shared by diagnostics, hovers and
// code actions, so a hover right after a keystroke does not analyse the text again.
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type AnalysisResult } from '../analysis/analyze';
import { findingsCarryOver } from '../analysis/carry';
import { dockerfileInContext, type BuildContext } from '../analysis/model/context';
import { resolveBuildSite } from '../analysis/ci/discover';
import { ciLocation, type BuildSite, type CiBuild } from '../analysis/ci/types';
import { ciBuildsOnDisk, defaultContextOnDisk } from '../analysis/ci/workspace';
import type { BuildContextAnswer } from '../features/buildContext';
import type { BuildContextCache } from './contextCache';
import { buildContextDir, type ServerSettings } from './settings';

/** Real Dockerfiles are a few kilobytes; far bigger texts are not Dockerfiles worth the wait. */
export const MAX_ANALYZED_LENGTH = 512 * 1024;

export interface DocumentAnalysis {
  /** undefined when the document is too large to analyse. */
  result?: AnalysisResult;
  context?: BuildContext;
  /** For the user: the analysis' own warnings and problems with the settings. */
  warnings: string[];
}

interface Entry {
  version: number;
  settings: ServerSettings;
  contextGeneration: number;
  analysis: DocumentAnalysis;
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export class DocumentAnalyses {
  private readonly latest = new Map<string, Entry>();
  private contextGeneration = 0;
  /**
   * The builds of each Dockerfile on disk the repository runs, and its default build context (the
   * folder they agree on, with the build that says so, else the Dockerfile's folder), read again
   * when a watched file changes.
   */
  private readonly builds = new Map<string, { builds: CiBuild[]; context: { dir: string; build?: CiBuild } }>();

  constructor(private readonly contexts: BuildContextCache) {}

  get(document: TextDocument, settings: ServerSettings): DocumentAnalysis {
    const entry = this.latest.get(document.uri);
    // The last analysis was read with the same settings and the same files of the build context.
    const sameInputs = entry !== undefined && entry.settings === settings && entry.contextGeneration === this.contextGeneration;
    if (sameInputs && entry.version === document.version) return entry.analysis;
    // Then the stages an edit cannot have changed keep its findings.
    const analysis = this.analyse(document, settings, sameInputs ? entry.analysis.result : undefined);
    this.latest.set(document.uri, { version: document.version, settings, contextGeneration: this.contextGeneration, analysis });
    return analysis;
  }

  /**
   * The analysis whose findings are the document's: its own, or the last one when the edits since
   * cannot have changed its findings (a comment's words, a value nothing reads: see
   * ../analysis/carry.ts). Then the document is not analysed again until `get` is asked for it.
   */
  findingsOf(document: TextDocument, settings: ServerSettings): { analysis: DocumentAnalysis; current: boolean } {
    const entry = this.latest.get(document.uri);
    const result = entry?.analysis.result;
    if (entry && entry.version !== document.version && entry.settings === settings && entry.contextGeneration === this.contextGeneration
      && result && findingsCarryOver(result, document.getText())) return { analysis: entry.analysis, current: false };
    return { analysis: this.get(document, settings), current: true };
  }

  /** Files of some build context changed: every analysis may be out of date. */
  contextChanged(): void {
    this.contextGeneration++;
    this.builds.clear();
  }

  forget(uri: string): void {
    this.latest.delete(uri);
  }

  private analyse(document: TextDocument, settings: ServerSettings, previous: AnalysisResult | undefined): DocumentAnalysis {
    const warnings: string[] = [];
    const text = document.getText();
    if (text.length > MAX_ANALYZED_LENGTH) {
      warnings.push(`${document.uri} is larger than ${MAX_ANALYZED_LENGTH / 1024} KB: go-dockerfile-cache does not analyse it.`);
      return { warnings };
    }
    const path = filePath(document.uri);
    const context = path === undefined ? undefined : this.contextFor(path, settings, warnings);
    const dockerfile = context && path ? dockerfileInContext(context.root, path) : undefined;
    const result = analyze(text, { context, dockerfile, rules: settings.rules, buildsIn: this.siteFor(path, settings), previous });
    return { result, context, warnings: [...warnings, ...result.warnings] };
  }

  /** The build context of a Dockerfile on disk when goDockerfileCache.buildContext is empty. */
  defaultContext(path: string): BuildContextAnswer {
    const { dir, build } = this.buildsOf(path).context;
    return build ? { dir, because: ciLocation(build) } : { dir };
  }

  private buildsOf(path: string): { builds: CiBuild[]; context: { dir: string; build?: CiBuild } } {
    let found = this.builds.get(path);
    if (!found) {
      const builds = ciBuildsOnDisk(path);
      found = { builds, context: defaultContextOnDisk(path, builds) };
      this.builds.set(path, found);
    }
    return found;
  }

  /** Where the Dockerfile is built; the editor does not read the CI variable (it never runs in CI). */
  private siteFor(path: string | undefined, settings: ServerSettings): BuildSite | undefined {
    if (!path) return settings.buildsIn === 'auto' ? undefined : resolveBuildSite(settings.buildsIn, []);
    if (settings.buildsIn === 'local') return resolveBuildSite('local', []);
    return resolveBuildSite(settings.buildsIn, this.buildsOf(path).builds);
  }

  /** goDockerfileCache.buildContext, else the context the repository's builds use, else the Dockerfile's folder. */
  private contextFor(path: string, settings: ServerSettings, warnings: string[]): BuildContext | undefined {
    const context = this.contexts.get(settings.buildContext === '' ? this.buildsOf(path).context.dir : buildContextDir(path, settings));
    if (context.isDirectory('.')) return context;
    warnings.push(`The build context folder ${context.root} (goDockerfileCache.buildContext) does not exist; analysing without it.`);
    return undefined;
  }
}
