// A past build, from a build record, laid on the Dockerfile as it is now: the same events, steps,
// annotations and summary a profiled build gives, except that a step is placed only on an
// instruction that still reads the same, and the ones that cannot be placed are counted.
import * as path from 'node:path';
import { annotateSteps, summarize, unplacedSteps, type BuildOutcome } from '../annotate';
import { VertexTable, type ProgressEvent } from '../events';
import type { BuildResult } from '../model';
import { formatDuration } from '../render';
import { planSteps } from '../steps';
import type { RecordInfo } from './record';

export type RecordSource = { source: 'builder'; builder: string } | { source: 'archive'; file: string };

export interface RecordedBuild extends BuildResult {
  info: RecordInfo;
  origin: RecordSource;
  /** Dockerfile steps the record reports that no instruction of the file matches any more. */
  unplaced: number;
  /** Dockerfile steps the record reports, placed or not. */
  recordedSteps: number;
}

/** Another Dockerfile's record: its message names the file the record built. */
export class OtherDockerfileError extends Error {}

function recordOutcome(info: RecordInfo): BuildOutcome {
  const start = info.createdAt ? Date.parse(info.createdAt) : NaN;
  const end = info.completedAt ? Date.parse(info.completedAt) : NaN;
  const canceled = info.error !== undefined && /context canceled/i.test(info.error);
  return {
    finished: true,
    exitCode: info.error === undefined ? 0 : 1,
    canceled,
    totalMs: Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : 0,
    ...(info.error === undefined || canceled ? {} : { error: info.error }),
  };
}

export function annotateRecord(dockerfile: string, dockerfileName: string, events: readonly ProgressEvent[], info: RecordInfo, origin: RecordSource): RecordedBuild {
  const table = new VertexTable();
  table.applyAll(events);
  const plan = planSteps(dockerfile);
  const vertices = table.vertices();
  const reported = vertices.filter((v) => !v.internal);
  const unplaced = unplacedSteps(plan, reported).length;
  const recordedName = path.posix.basename(info.dockerfileName);
  const otherFile = recordedName !== path.basename(dockerfileName);
  if (reported.length > 0 && unplaced === reported.length) {
    throw new OtherDockerfileError(`the record is of ${info.dockerfilePath ?? info.dockerfileName}: none of its ${reported.length} steps is an instruction of ${dockerfileName}`);
  }
  if (otherFile && unplaced > reported.length / 2) {
    throw new OtherDockerfileError(`the record is of ${info.dockerfilePath ?? info.dockerfileName}, not ${dockerfileName} (${reported.length - unplaced} of its ${reported.length} steps match)`);
  }
  const outcome = recordOutcome(info);
  const steps = annotateSteps(plan, vertices, outcome, { recorded: true });
  return { steps, summary: summarize(steps, outcome), info, origin, unplaced, recordedSteps: reported.length };
}

/** `2026-12-05 14:03`, in UTC: a record from CI was made on another machine, in another zone. */
export function recordDate(iso: string | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'unknown date';
}

/** Where the recorded build ran, for labels: "CI record" or "build record" and where it came from. */
export function recordOrigin(build: Pick<RecordedBuild, 'origin'> & { info: RecordInfo }, looksLikeCi: boolean): string {
  if (build.origin.source === 'builder') return `build on ${build.origin.builder}`;
  return looksLikeCi ? `CI record ${path.basename(build.origin.file)}` : `record ${path.basename(build.origin.file)}`;
}

/** Where and when the recorded build ran: `CI record build.dockerbuild, 2026-12-05 14:03 UTC`. */
export function recordLabel(build: RecordedBuild, looksLikeCi: boolean): string {
  return `${recordOrigin(build, looksLikeCi)}, ${recordDate(build.info.createdAt)}`;
}

/**
 * How a finding's measured cost names the recorded build: "In the CI build of 2026-12-05 this
 * step rebuilt: 41.8 s."
 */
export function recordCostOrigin(build: Pick<RecordedBuild, 'origin' | 'info'>, looksLikeCi: boolean): string {
  const day = build.info.createdAt ? build.info.createdAt.slice(0, 10) : 'an unknown date';
  if (build.origin.source === 'builder') return `the build of ${day} on ${build.origin.builder}`;
  return looksLikeCi ? `the CI build of ${day}` : `the recorded build of ${day} (${path.basename(build.origin.file)})`;
}

/** The line that says which build the annotations come from and how well they fit the file. */
export function recordHeadline(build: RecordedBuild, looksLikeCi: boolean): string {
  const { summary } = build;
  const took = summary.totalMs > 0 ? `, ${formatDuration(summary.totalMs)}` : '';
  return `${recordLabel(build, looksLikeCi)}${took}: ${summary.cached} of ${summary.total} steps cached`;
}

export function unplacedNote(build: RecordedBuild): string | undefined {
  if (build.unplaced === 0) return undefined;
  return `${build.unplaced} of the record's ${build.recordedSteps} steps could not be placed: no instruction reads as they do (changed since the build)`;
}
