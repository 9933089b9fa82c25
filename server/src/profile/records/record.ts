// What a BuildKit history record says about its build, from the JSON buildx writes into a
// `.dockerbuild` file (BuildKit's BuildHistoryRecord, with buildx's `localState` added): which
// Dockerfile and context it built, when, how many steps were cached, and its error.
import * as path from 'node:path';

export interface RecordInfo {
  ref: string;
  /** ISO time the build started. */
  createdAt?: string;
  completedAt?: string;
  /** The Dockerfile's name as the frontend got it (`filename`), e.g. `Dockerfile` or `build/Dockerfile.prod`. */
  dockerfileName: string;
  /** Absolute path of the Dockerfile on the machine that built it, when buildx recorded one. */
  dockerfilePath?: string;
  /** The build context on the machine that built it (a folder, or a remote URL). */
  contextPath?: string;
  target?: string;
  cachedSteps?: number;
  totalSteps?: number;
  /** The build's error message, when it failed. */
  error?: string;
}

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** A protobuf Timestamp as Go's encoding/json writes it (`{seconds, nanos}`), or an RFC 3339 string. */
export function recordTime(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  const { seconds, nanos } = object(value);
  const s = typeof seconds === 'number' ? seconds : typeof seconds === 'string' ? Number(seconds) : NaN;
  if (!Number.isFinite(s) || s <= 0) return undefined;
  const date = new Date(s * 1000 + Math.floor((typeof nanos === 'number' ? nanos : 0) / 1e6));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function recordInfo(json: unknown): RecordInfo {
  const record = object(json);
  const attrs = object(record.FrontendAttrs);
  const local = object(record.localState);
  const filename = string(attrs.filename) ?? 'Dockerfile';
  const localDir = string(attrs['vcs:localdir:dockerfile']);
  const info: RecordInfo = {
    ref: string(record.Ref) ?? '',
    dockerfileName: localDir && localDir !== '.' ? path.posix.join(localDir, filename) : filename,
  };
  const set = <K extends keyof RecordInfo>(key: K, value: RecordInfo[K] | undefined) => {
    if (value !== undefined) info[key] = value;
  };
  set('createdAt', recordTime(record.CreatedAt));
  set('completedAt', recordTime(record.CompletedAt));
  set('contextPath', string(local.LocalPath) ?? string(attrs.context));
  // An empty DockerfilePath means the default: `Dockerfile` in the context.
  const dockerfilePath = string(local.DockerfilePath);
  set('dockerfilePath', dockerfilePath === '-' ? undefined : dockerfilePath ?? (string(local.LocalPath) && path.isAbsolute(string(local.LocalPath)!) ? path.join(string(local.LocalPath)!, filename) : undefined));
  set('target', string(attrs.target));
  set('cachedSteps', count(record.numCachedSteps));
  set('totalSteps', count(record.numTotalSteps));
  set('error', string(object(record.error).message));
  return info;
}

/** Where the record's build ran, in words: GitHub Actions runners build under their workspace. */
export function looksLikeCi(info: RecordInfo): boolean {
  const where = info.contextPath ?? info.dockerfilePath ?? '';
  return /^\/home\/runner\/work\/|^\/__w\/|^\/builds\//.test(where);
}
