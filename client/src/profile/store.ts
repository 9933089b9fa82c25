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

  edit(uri: string, changes: readonly TextChange[]): void {
    const build = this.builds.get(uri);
    if (!build || changes.length === 0) return;
    const steps = stepsAfterEdits(build.steps, changes);
    const moved = steps.length !== build.steps.length || steps.some((step, i) => step !== build.steps[i]);
    if (build.edits) build.edits.push(...changes);
    if (moved) this.set(uri, { ...build, ...this.placed(steps) });
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

  summary(uri: string): BuildSummary | undefined {
    return this.builds.get(uri)?.summary;
  }

  isRunning(uri: string): boolean {
    return this.builds.get(uri)?.edits !== undefined;
  }

  private placed(steps: StepAnnotation[]): Pick<DocumentBuild, 'steps' | 'lines'> {
    return { steps, lines: toLineAnnotations(steps) };
  }

  private set(uri: string, build: DocumentBuild): void {
    this.builds.set(uri, build);
    this.fire(uri);
  }

  private fire(uri: string): void {
    for (const listener of this.listeners) listener(uri);
  }
}
