// `history --format json`: `profile --format json`'s shape, plus where the record came from and
// how many of its steps no longer fit the Dockerfile.
import { profileJson, type ProfileJson } from '../report-json';
import type { RecordedBuild } from './history';

export interface HistoryJson extends ProfileJson {
  record: {
    ref: string;
    createdAt: string | null;
    source: 'builder' | 'archive';
    builder?: string;
    file?: string;
    /** The Dockerfile the record built, as the record names it. */
    dockerfile: string;
    /** Steps of the record whose instruction is no longer in the Dockerfile. */
    unplaced: number;
  };
}

export function historyJson(file: string, build: RecordedBuild): HistoryJson {
  const where = build.origin.source === 'builder' ? { builder: build.origin.builder } : { file: build.origin.file };
  return {
    ...profileJson(file, build),
    record: {
      ref: build.info.ref,
      createdAt: build.info.createdAt ?? null,
      source: build.origin.source,
      ...where,
      dockerfile: build.info.dockerfilePath ?? build.info.dockerfileName,
      unplaced: build.unplaced,
    },
  };
}
