// Loads a build record, from a `.dockerbuild` file or from a builder, as a recorded build of the
// Dockerfile at hand. Every failure is a RecordError whose message is for the user.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readRecordArchive, type ArchivedRecord } from './archive';
import { BuilderRecordError, latestRecordOf, recordByRef, recordEvents, type BuilderOptions } from './builder';
import { annotateRecord, OtherDockerfileError, type RecordedBuild } from './history';
import { recordInfo, type RecordInfo } from './record';
import { statusEvents } from './status';
import { ArchiveError, DEFAULT_TAR_LIMITS, type TarLimits } from './tar';

export class RecordError extends Error {}

/** Whether `--record` names a file (an archive) rather than a ref on a builder. */
export async function isArchiveArgument(record: string): Promise<boolean> {
  if (record.endsWith('.dockerbuild')) return true;
  return fs.stat(record).then((s) => s.isFile(), () => false);
}

function newest<T extends { info: RecordInfo }>(items: T[]): T | undefined {
  return [...items].sort((a, b) => (b.info.createdAt ?? '').localeCompare(a.info.createdAt ?? ''))[0];
}

/** The archive's record of this Dockerfile (by name), else its newest. */
function pickRecord(records: ArchivedRecord[], dockerfile: string): { record: ArchivedRecord; info: RecordInfo } | undefined {
  const all = records.map((record) => ({ record, info: recordInfo(record.record) }));
  const sameName = all.filter((r) => path.posix.basename(r.info.dockerfileName) === path.basename(dockerfile));
  return newest(sameName.length > 0 ? sameName : all);
}

export async function loadArchiveBuild(archivePath: string, dockerfile: string, text: string, limits: TarLimits = DEFAULT_TAR_LIMITS): Promise<RecordedBuild> {
  let data: Buffer;
  try {
    const stat = await fs.stat(archivePath);
    if (!stat.isFile()) throw new RecordError(`${archivePath} is not a file`);
    if (stat.size > limits.maxArchiveBytes) throw new RecordError(`refused: ${archivePath} is larger than ${limits.maxArchiveBytes} bytes`);
    data = await fs.readFile(archivePath);
  } catch (error) {
    if (error instanceof RecordError) throw error;
    throw new RecordError(`cannot read ${archivePath}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    const picked = pickRecord(await readRecordArchive(data, limits), dockerfile);
    if (!picked) throw new RecordError(`${archivePath} holds no build record`);
    if (picked.record.status.length === 0) throw new RecordError(`the build record ${picked.info.ref} in ${archivePath} has no status stream (no logs were kept), so there is nothing to annotate`);
    return annotateRecord(text, dockerfile, statusEvents(picked.record.status), picked.info, { source: 'archive', file: archivePath });
  } catch (error) {
    throw asRecordError(error, archivePath);
  }
}

export interface BuilderLoad extends BuilderOptions {
  /** A ref (`ref` or `builder/node/ref`); without it, the newest record of this Dockerfile and context. */
  ref?: string;
  context: string;
}

export async function loadBuilderBuild(options: BuilderLoad, dockerfile: string, text: string): Promise<RecordedBuild> {
  try {
    const found = options.ref !== undefined ? await recordByRef(options, options.ref) : await latestRecordOf(options, dockerfile, options.context);
    if (!found) {
      const on = options.builder ? ` on the builder ${options.builder}` : '';
      throw new RecordError(`no build record of ${dockerfile} with the context ${options.context}${on}. Build it with docker buildx build (records keep the Dockerfile and context of builds started from this machine), or name one with --record REF or FILE.dockerbuild`);
    }
    const events = await recordEvents({ ...options, builder: found.builder || options.builder }, found.info.ref);
    return annotateRecord(text, dockerfile, events, found.info, { source: 'builder', builder: found.builder || options.builder || 'default' });
  } catch (error) {
    throw asRecordError(error, dockerfile);
  }
}

function asRecordError(error: unknown, where: string): RecordError {
  if (error instanceof RecordError) return error;
  if (error instanceof ArchiveError || error instanceof BuilderRecordError || error instanceof OtherDockerfileError) return new RecordError(error.message);
  return new RecordError(`cannot use the build record for ${where}: ${(error as Error).message ?? String(error)}`);
}
