// A build record's status stream (`application/vnd.buildkit.status.v0`): BuildKit writes each
// StatusResponse of the build as a 4-byte little-endian length and the protobuf message
// (solver/llbsolver/history/buildhistory.go, ImportStatus). Decoded with protobufjs from the few
// fields annotations need, declared here with BuildKit's field numbers
// (api/services/control/control.proto); protobuf skips every other field. Each message then goes
// through the rawjson parser as the SolveStatus it stands for, so a record and a live build give
// the same events.
import { Root, type Type } from 'protobufjs/light';
import type { ProgressEvent } from '../events';
import { RawJsonProgressParser } from '../progress-rawjson';
import { ArchiveError } from './tar';

const timestamp = { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } };

const root = Root.fromJSON({
  nested: {
    Timestamp: timestamp,
    StatusResponse: {
      fields: {
        vertexes: { rule: 'repeated', type: 'Vertex', id: 1 },
        statuses: { rule: 'repeated', type: 'VertexStatus', id: 2 },
        logs: { rule: 'repeated', type: 'VertexLog', id: 3 },
        warnings: { rule: 'repeated', type: 'VertexWarning', id: 4 },
      },
    },
    Vertex: {
      fields: {
        digest: { type: 'string', id: 1 },
        inputs: { rule: 'repeated', type: 'string', id: 2 },
        name: { type: 'string', id: 3 },
        cached: { type: 'bool', id: 4 },
        started: { type: 'Timestamp', id: 5 },
        completed: { type: 'Timestamp', id: 6 },
        error: { type: 'string', id: 7 },
      },
    },
    VertexStatus: {
      fields: {
        ID: { type: 'string', id: 1 },
        vertex: { type: 'string', id: 2 },
        name: { type: 'string', id: 3 },
        current: { type: 'int64', id: 4 },
        total: { type: 'int64', id: 5 },
        timestamp: { type: 'Timestamp', id: 6 },
        started: { type: 'Timestamp', id: 7 },
        completed: { type: 'Timestamp', id: 8 },
      },
    },
    VertexLog: {
      fields: {
        vertex: { type: 'string', id: 1 },
        timestamp: { type: 'Timestamp', id: 2 },
        stream: { type: 'int64', id: 3 },
        msg: { type: 'bytes', id: 4 },
      },
    },
    VertexWarning: {
      fields: {
        vertex: { type: 'string', id: 1 },
        level: { type: 'int64', id: 2 },
        short: { type: 'bytes', id: 3 },
        detail: { rule: 'repeated', type: 'bytes', id: 4 },
        url: { type: 'string', id: 5 },
      },
    },
  },
});

const StatusResponse: Type = root.lookupType('StatusResponse');

interface DecodedTimestamp {
  seconds?: number | { toNumber(): number };
  nanos?: number;
}

interface DecodedVertex {
  digest?: string;
  inputs?: string[];
  name?: string;
  cached?: boolean;
  started?: DecodedTimestamp;
  completed?: DecodedTimestamp;
  error?: string;
}

interface DecodedLog {
  vertex?: string;
  timestamp?: DecodedTimestamp;
  msg?: Uint8Array;
}

export interface DecodedStatus {
  vertexes: DecodedVertex[];
  logs: DecodedLog[];
}

/** RFC 3339 time of a protobuf Timestamp; undefined for an unset one. */
export function timestampText(ts: DecodedTimestamp | undefined | null): string | undefined {
  if (!ts) return undefined;
  const seconds = typeof ts.seconds === 'object' && ts.seconds !== null ? ts.seconds.toNumber() : Number(ts.seconds ?? 0);
  if (seconds <= 0) return undefined;
  const ms = seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Every StatusResponse in a status stream, in order. */
export function decodeStatusStream(stream: Buffer): DecodedStatus[] {
  const messages: DecodedStatus[] = [];
  let offset = 0;
  while (offset < stream.length) {
    if (offset + 4 > stream.length) throw new ArchiveError('damaged build record: its status stream ends inside a length prefix');
    const size = stream.readUInt32LE(offset);
    offset += 4;
    if (offset + size > stream.length) throw new ArchiveError('damaged build record: its status stream ends inside a message');
    try {
      messages.push(StatusResponse.decode(stream.subarray(offset, offset + size)) as unknown as DecodedStatus);
    } catch (error) {
      throw new ArchiveError(`damaged build record: a status message cannot be decoded (${(error as Error).message})`);
    }
    offset += size;
  }
  return messages;
}

/** The SolveStatus a decoded message stands for, in the shape `--progress=rawjson` prints. */
function solveStatus(message: DecodedStatus) {
  return {
    vertexes: (message.vertexes ?? []).map((v) => ({
      digest: v.digest,
      inputs: v.inputs,
      name: v.name,
      cached: v.cached === true,
      started: timestampText(v.started),
      completed: timestampText(v.completed),
      error: v.error || undefined,
    })),
    logs: (message.logs ?? []).map((l) => ({ vertex: l.vertex, data: l.msg ?? new Uint8Array(), timestamp: timestampText(l.timestamp) })),
  };
}

/** The progress events of a record's status stream(s), as the rawjson parser gives them. */
export function statusEvents(streams: readonly Buffer[]): ProgressEvent[] {
  const parser = new RawJsonProgressParser();
  const events: ProgressEvent[] = [];
  for (const stream of streams) for (const message of decodeStatusStream(stream)) events.push(...parser.status(solveStatus(message)));
  events.push(...parser.end());
  return events;
}
