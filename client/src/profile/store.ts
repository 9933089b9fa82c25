// The build annotations of each open Dockerfile, kept in the coordinates of the current text.
// Edits made while a build runs are remembered, so later reports from the build (which speak of
// the text as it was when the build started) land on the same lines as earlier ones.
import type { BuildSummary, StepAnnotation } from '../../../server/src/profile/model';
import { toLineAnnotations, type LineAnnotation } from './annotations';
import { stepsAfterEdits, type TextChange } from './edits';

interface DocumentBuild {
  steps: StepAnnotation[];
  /** Only while the build runs: the edits since it started. */
  edits: TextChange[] | undefined;
  lines: LineAnnotation[];
  summary?: BuildSummary;
  /** A build the editor did not run: where and when it ran, for every annotation. */
  record?: RecordView;
}

export interface RecordView {
  /** Short, after each line: `CI record, 2026-12-05 14:03`. */
  origin: string;
  /** The whole story, for the status bar and the output: `…: 3 of 9 steps cached`. */
  headline: string;
  /** How a finding's measured cost names this build: `the CI build of 2026-12-05`. */
  costOrigin: string;
  ref: string;
  source: 'builder' | 'archive';
  /** Recorded steps whose instruction changed since the build. */
  unplaced: number;
}

export class BuildAnnotations {
  private readonly builds = new Map<string, DocumentBuild>();
  private readonly listeners = new Set<(uri: string) => void>();

  onDidChange(listener: (uri: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A new build of `uri` begins: whatever the last one said no longer holds. */
  start(uri: string): void {
    this.set(uri, { steps: [], edits: [], lines: [] });
  }

  /** The build's latest view of every step it knows, in the text as it was at `start`. */
  update(uri: string, steps: readonly StepAnnotation[]): void {
    const build = this.builds.get(uri);
    if (!build?.edits) return;
    this.set(uri, { ...build, ...this.placed(stepsAfterEdits(steps, build.edits)) });
  }

  finish(uri: string, steps: readonly StepAnnotation[], summary: BuildSummary): void {
    const build = this.builds.get(uri);
    if (!build?.edits) return;
    this.set(uri, { ...this.placed(stepsAfterEdits(steps, build.edits)), edits: undefined, summary });
  }

  /** A finished build the editor did not run, read from a build record. */
  showRecord(uri: string, steps: readonly StepAnnotation[], summary: BuildSummary, record: RecordView): void {
    if (this.builds.get(uri)?.edits) return;
    this.set(uri, { ...this.placed([...steps], record.origin), edits: undefined, summary, record });
  }

  edit(uri: string, changes: readonly TextChange[]): void {
    const build = this.builds.get(uri);
    if (!build || changes.length === 0) return;
    const steps = stepsAfterEdits(build.steps, changes);
    const moved = steps.length !== build.steps.length || steps.some((step, i) => step !== build.steps[i]);
    if (build.edits) build.edits.push(...changes);
    if (moved) this.set(uri, { ...build, ...this.placed(steps, build.record?.origin) });
  }

  clear(uri: string): void {
    if (this.builds.delete(uri)) this.fire(uri);
  }

  uris(): string[] {
    return [...this.builds.keys()];
  }

  lines(uri: string): readonly LineAnnotation[] {
    return this.builds.get(uri)?.lines ?? [];
  }

  /** The last build's steps, on the lines of the current text. */
  steps(uri: string): readonly StepAnnotation[] {
    return this.builds.get(uri)?.steps ?? [];
  }

  summary(uri: string): BuildSummary | undefined {
    return this.builds.get(uri)?.summary;
  }

  record(uri: string): RecordView | undefined {
    return this.builds.get(uri)?.record;
  }

  isRunning(uri: string): boolean {
    return this.builds.get(uri)?.edits !== undefined;
  }

  private placed(steps: StepAnnotation[], origin?: string): Pick<DocumentBuild, 'steps' | 'lines'> {
    return { steps, lines: toLineAnnotations(steps, origin) };
  }

  private set(uri: string, build: DocumentBuild): void {
    this.builds.set(uri, build);
    this.fire(uri);
  }

  private fire(uri: string): void {
    for (const listener of this.listeners) listener(uri);
  }
}
