// A `.dockerbuild` file, as `docker buildx history export` writes it and docker/build-push-action
// uploads it: a gzip'd OCI image layout whose index points at one manifest per build record. The
// manifest's config is the record itself (JSON), its layers the record's status stream, trace,
// provenance and results. Every blob read is checked against its descriptor's size and digest.
import { createHash } from 'node:crypto';
import { ArchiveError, DEFAULT_TAR_LIMITS, readGzipTar, type TarLimits } from './tar';

export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  record: 'application/vnd.buildkit.historyrecord.v0',
  status: 'application/vnd.buildkit.status.v0',
} as const;

/** Layers a record may carry besides its status stream; none of them is needed for annotations. */
const KNOWN_LAYERS = new Set([
  'application/vnd.buildkit.otlp.json.v0',
  'application/vnd.in-toto+json',
  'application/json',
  'application/vnd.googleapis.google.rpc.status+proto',
]);

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface ArchivedRecord {
  /** The history record's JSON, as BuildKit and buildx wrote it. */
  record: unknown;
  /** The status stream's bytes, in layer order. */
  status: Buffer[];
  /** Media types of the manifest's config and layers, as found. */
  mediaTypes: string[];
}

const DIGEST = /^sha256:([0-9a-f]{64})$/;
const BLOB_NAME = /^blobs\/sha256\/[0-9a-f]{64}$/;

function descriptor(value: unknown, where: string): Descriptor {
  const d = value as Partial<Descriptor> | null;
  if (typeof d !== 'object' || d === null || typeof d.mediaType !== 'string' || typeof d.digest !== 'string' || typeof d.size !== 'number') {
    throw new ArchiveError(`damaged archive: ${where} is not a content descriptor`);
  }
  if (!DIGEST.test(d.digest)) throw new ArchiveError(`unsupported archive: ${where} has digest "${d.digest.slice(0, 80)}" (only sha256 is read)`);
  if (!Number.isSafeInteger(d.size) || d.size < 0) throw new ArchiveError(`damaged archive: ${where} has an invalid size`);
  return d as Descriptor;
}

function parseJson(data: Buffer, what: string): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch {
    throw new ArchiveError(`damaged archive: ${what} is not valid JSON`);
  }
}

class Blobs {
  constructor(private readonly files: Map<string, Buffer>) {}

  /** The blob a descriptor names, once its size and sha256 match the descriptor. */
  get(d: Descriptor, what: string): Buffer {
    const hex = DIGEST.exec(d.digest)![1];
    const data = this.files.get(`blobs/sha256/${hex}`);
    if (!data) throw new ArchiveError(`damaged archive: ${what} (${d.digest.slice(0, 19)}…) is missing`);
    if (data.length !== d.size) throw new ArchiveError(`damaged archive: ${what} is ${data.length} bytes, its descriptor says ${d.size}`);
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== hex) throw new ArchiveError(`damaged archive: ${what} does not match its sha256 digest`);
    return data;
  }
}

function manifestsOf(index: unknown): Descriptor[] {
  const manifests = (index as { manifests?: unknown } | null)?.manifests;
  if (!Array.isArray(manifests) || manifests.length === 0) throw new ArchiveError('not a build record: index.json lists no manifest');
  return manifests.map((m, i) => descriptor(m, `manifest ${i + 1} in index.json`));
}

/** A nested index (buildx writes one when a file holds several records) is followed one level. */
function recordManifests(blobs: Blobs, index: unknown): Descriptor[] {
  const out: Descriptor[] = [];
  for (const d of manifestsOf(index)) {
    if (d.mediaType === MEDIA.manifest) out.push(d);
    else if (d.mediaType === MEDIA.index) {
      for (const inner of manifestsOf(parseJson(blobs.get(d, 'the record index'), 'the record index'))) {
        if (inner.mediaType !== MEDIA.manifest) throw new ArchiveError(`unsupported archive: unknown media type "${inner.mediaType.slice(0, 100)}" in the record index`);
        out.push(inner);
      }
    } else throw new ArchiveError(`unsupported archive: unknown media type "${d.mediaType.slice(0, 100)}" in index.json`);
  }
  return out;
}

function readRecord(blobs: Blobs, manifestDescriptor: Descriptor): ArchivedRecord {
  const manifest = parseJson(blobs.get(manifestDescriptor, 'the record manifest'), 'the record manifest') as { config?: unknown; layers?: unknown };
  const config = descriptor(manifest?.config, 'the manifest config');
  if (config.mediaType !== MEDIA.record) throw new ArchiveError(`not a build record: its config has media type "${config.mediaType.slice(0, 100)}", not ${MEDIA.record}`);
  const record = parseJson(blobs.get(config, 'the history record'), 'the history record');
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new ArchiveError('damaged archive: the history record is not a JSON object');
  const layers = Array.isArray(manifest.layers) ? manifest.layers.map((l, i) => descriptor(l, `layer ${i + 1}`)) : [];
  const status: Buffer[] = [];
  for (const layer of layers) {
    if (layer.mediaType === MEDIA.status) status.push(blobs.get(layer, 'the status stream'));
    else if (!KNOWN_LAYERS.has(layer.mediaType)) throw new ArchiveError(`unsupported archive: unknown media type "${layer.mediaType.slice(0, 100)}" in the record`);
  }
  return { record, status, mediaTypes: [config.mediaType, ...layers.map((l) => l.mediaType)] };
}

/**
 * Every build record in a `.dockerbuild` file, newest manifest last as buildx lists them. Throws
 * an ArchiveError (message for the user) for anything damaged, unknown or over the limits.
 */
export async function readRecordArchive(archive: Buffer, limits: TarLimits = DEFAULT_TAR_LIMITS): Promise<ArchivedRecord[]> {
  const files = await readGzipTar(archive, (name) => name === 'index.json' || name === 'oci-layout' || BLOB_NAME.test(name), limits);
  const indexData = files.get('index.json');
  if (!indexData) throw new ArchiveError('not a build record: the archive has no index.json (is it a .dockerbuild file?)');
  const blobs = new Blobs(files);
  return recordManifests(blobs, parseJson(indexData, 'index.json')).map((m) => readRecord(blobs, m));
}
