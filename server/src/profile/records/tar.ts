// A small streaming reader of gzip'd tar archives that keeps the entries it is asked for in memory
// and never writes to disk. A build record is untrusted input (a CI artifact can come from a
// fork's pull request), so every limit is checked as the bytes arrive: a decompression bomb stops
// at the byte cap, a path-escaping or link entry at its header, before the rest is inflated.
import { createGunzip } from 'node:zlib';

export interface TarLimits {
  /** Bytes of the compressed file. */
  maxArchiveBytes: number;
  /** Bytes after decompression, headers and padding included. */
  maxTotalBytes: number;
  maxEntries: number;
  maxEntryBytes: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = {
  maxArchiveBytes: 128 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
  maxEntries: 10_000,
  maxEntryBytes: 96 * 1024 * 1024,
};

/** An archive that cannot be read safely or completely; its message is for the user. */
export class ArchiveError extends Error {}

const BLOCK = 512;

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

/** A numeric header field: octal text, or GNU's base-256 when its first bit is set. */
function number(block: Buffer, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  if (field[0] & 0x80) {
    let value = field[0] & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i];
    return value;
  }
  const digits = text(block, start, length).trim();
  if (!/^[0-7]*$/.test(digits)) throw new ArchiveError('damaged archive: a tar header has a size that is not a number');
  return digits === '' ? 0 : parseInt(digits, 8);
}

function checksumMatches(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return number(block, 148, 8) === sum;
}

/** The entry's name with `./` dropped; refuses names that could point outside the archive. */
export function safeEntryName(raw: string): string {
  const name = raw.replace(/^(\.\/)+/, '');
  const parts = name.split('/');
  if (name === '' || name.includes('\0') || name.includes('\\') || name.startsWith('/') || parts.includes('..')) {
    throw new ArchiveError(`refused: the archive has an entry named "${raw.slice(0, 200)}", which points outside it`);
  }
  return parts.filter((p) => p !== '' && p !== '.').join('/');
}

/** `path=` from a pax extended header, the only record this reader needs. */
function paxPath(data: Buffer): string | undefined {
  let offset = 0;
  let found: string | undefined;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number(data.subarray(offset, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0 || offset + length > data.length) throw new ArchiveError('damaged archive: a pax header cannot be read');
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === 'path') found = record.slice(eq + 1);
    offset += length;
  }
  return found;
}

interface Entry {
  name: string;
  size: number;
  /** Regular file, directory, or a header that names the next entry. */
  kind: 'file' | 'dir' | 'pax' | 'longname' | 'globalpax';
  keep: boolean;
  chunks: Buffer[];
  remaining: number;
  padding: number;
}

/** Entry type flags of regular files, directories and the metadata headers that may precede them. */
const KINDS: Record<string, Entry['kind']> = { 0: 'file', '\0': 'file', 7: 'file', 5: 'dir', x: 'pax', L: 'longname', g: 'globalpax' };

/** Feeds decompressed bytes; collects the regular files `wanted` accepts. */
class TarParser {
  readonly files = new Map<string, Buffer>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private entry: Entry | undefined;
  private entries = 0;
  private nextName: string | undefined;
  private zeroBlocks = 0;
  ended = false;

  constructor(private readonly limits: TarLimits, private readonly wanted: (name: string) => boolean) {}

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    for (;;) {
      if (this.ended) return;
      if (this.entry) {
        if (!this.body()) return;
      } else {
        if (this.pendingBytes < BLOCK) return;
        this.header(this.take(BLOCK));
      }
    }
  }

  /** The archive ended: anything still open means it was cut short. */
  finish(): void {
    if (this.entry || (this.pendingBytes > 0 && !this.ended)) throw new ArchiveError('damaged archive: it ends in the middle of an entry (truncated?)');
    if (this.entries === 0) throw new ArchiveError('not a build record: the archive is empty');
  }

  private take(bytes: number): Buffer {
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = bytes < all.length ? [all.subarray(bytes)] : [];
    this.pendingBytes = all.length - bytes;
    return all.subarray(0, bytes);
  }

  private header(block: Buffer): void {
    if (block.every((b) => b === 0)) {
      // Two zero blocks end the archive; whatever follows is padding.
      if (++this.zeroBlocks === 2) this.ended = true;
      return;
    }
    this.zeroBlocks = 0;
    if (!checksumMatches(block)) throw new ArchiveError('damaged archive: a tar header checksum does not match');
    if (++this.entries > this.limits.maxEntries) throw new ArchiveError(`refused: the archive has more than ${this.limits.maxEntries} entries`);
    const flag = String.fromCharCode(block[156]);
    const kind = KINDS[flag];
    const rawName = this.nextName ?? (text(block, 345, 155) ? `${text(block, 345, 155)}/${text(block, 0, 100)}` : text(block, 0, 100));
    if (kind === undefined) {
      throw new ArchiveError(`refused: the archive entry "${rawName.slice(0, 200)}" is a ${flag === '1' || flag === '2' ? 'link' : `special file (type ${JSON.stringify(flag)})`}; a build record holds only files`);
    }
    const size = number(block, 124, 12);
    if (size > this.limits.maxEntryBytes) throw new ArchiveError(`refused: the archive entry "${rawName.slice(0, 200)}" is larger than ${this.limits.maxEntryBytes} bytes`);
    let name = '';
    if (kind === 'file' || kind === 'dir') {
      name = safeEntryName(rawName);
      this.nextName = undefined;
      if (kind === 'file' && this.files.has(name)) throw new ArchiveError(`damaged archive: the entry "${name}" appears twice`);
    }
    const keep = kind === 'pax' || kind === 'longname' || (kind === 'file' && this.wanted(name));
    this.entry = { name, size, kind, keep, chunks: [], remaining: size, padding: (BLOCK - (size % BLOCK)) % BLOCK };
  }

  /** Consumes the current entry's data; false when more bytes are needed. */
  private body(): boolean {
    const entry = this.entry!;
    if (entry.remaining > 0) {
      if (this.pendingBytes === 0) return false;
      const piece = this.take(Math.min(entry.remaining, this.pendingBytes));
      if (entry.keep) entry.chunks.push(Buffer.from(piece));
      entry.remaining -= piece.length;
      if (entry.remaining > 0) return false;
    }
    if (entry.padding > 0) {
      if (this.pendingBytes < entry.padding) return false;
      this.take(entry.padding);
    }
    this.entry = undefined;
    const data = Buffer.concat(entry.chunks);
    if (entry.kind === 'file' && entry.keep) this.files.set(entry.name, data);
    else if (entry.kind === 'pax') this.nextName = paxPath(data) ?? this.nextName;
    else if (entry.kind === 'longname') this.nextName = data.toString('utf8').replace(/\0+$/, '');
    return true;
  }
}

/**
 * The regular files of a gzip'd tar whose names `wanted` accepts, by their name in the archive.
 * Rejects with an ArchiveError when the archive is damaged, cut short, or breaks a limit.
 */
export function readGzipTar(archive: Buffer, wanted: (name: string) => boolean, limits: TarLimits = DEFAULT_TAR_LIMITS): Promise<Map<string, Buffer>> {
  if (archive.length > limits.maxArchiveBytes) return Promise.reject(new ArchiveError(`refused: the archive is larger than ${limits.maxArchiveBytes} bytes`));
  if (archive.length < 2 || archive[0] !== 0x1f || archive[1] !== 0x8b) return Promise.reject(new ArchiveError('not a build record: the file is not gzip-compressed'));
  return new Promise((resolve, reject) => {
    const parser = new TarParser(limits, wanted);
    const gunzip = createGunzip();
    let total = 0;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      reject(error instanceof ArchiveError ? error : new ArchiveError(`damaged archive: ${(error as Error).message}`));
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      total += chunk.length;
      if (total > limits.maxTotalBytes) return fail(new ArchiveError(`refused: the archive inflates to more than ${limits.maxTotalBytes} bytes`));
      try {
        parser.push(chunk);
      } catch (error) {
        return fail(error);
      }
      if (parser.ended) {
        settled = true;
        gunzip.destroy();
        resolve(parser.files);
      }
    });
    gunzip.on('error', (error: NodeJS.ErrnoException) => fail(new ArchiveError(error.code === 'Z_BUF_ERROR' ? 'damaged archive: it ends early (truncated?)' : `damaged archive: ${error.message}`)));
    gunzip.on('end', () => {
      if (settled) return;
      try {
        parser.finish();
      } catch (error) {
        return fail(error);
      }
      settled = true;
      resolve(parser.files);
    });
    gunzip.end(archive);
  });
}
