import { promises as fs } from 'node:fs';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { UserError } from '../../errors';
import { fileChunks, fileRange } from '../file-range';

/** The entry types of tar's typeflag, named as tar-stream names them. */
type EntryType =
  'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo' | 'contiguous-file' | null;

interface Entry {
  name: string;
  type: EntryType;
  size: number;
  /** Where the entry's data starts in the archive file; tar data is stored as is, so it can be read in place. */
  offset: number;
  linkname?: string | null;
}

const MAX_LINK_DEPTH = 16;

/**
 * The entries of an uncompressed tar file, indexed from their headers alone (each 512-byte header is read and the
 * entry's data skipped), so every entry can be streamed later straight from the file (in parallel, and again for a
 * retry) without unpacking the archive anywhere or reading it twice. Names that escape the archive (absolute, `..`)
 * and links that point out of it are refused.
 */
export class TarIndex {
  private constructor(
    readonly file: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  static async open(file: string): Promise<TarIndex> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'r');
    } catch (error) {
      throw unreadable(file, error);
    }
    try {
      return new TarIndex(file, await readHeaders(handle, file));
    } catch (error) {
      throw error instanceof UserError ? error : unreadable(file, error);
    } finally {
      await handle.close();
    }
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /** The regular file behind `name`, following symlinks and hard links inside the archive. */
  entry(name: string): Entry {
    const entry = this.find(name);
    if (!entry) throw new UserError(`${this.file} has no entry ${name}`);
    return entry;
  }

  async read(name: string): Promise<Buffer> {
    const entry = this.entry(name);
    const handle = await fs.open(this.file, 'r');
    try {
      const buffer = Buffer.alloc(entry.size);
      await handle.read(buffer, 0, entry.size, entry.offset);
      return buffer;
    } finally {
      await handle.close();
    }
  }

  /** The entry's bytes in [start, end). */
  stream(name: string, start = 0, end?: number): Readable {
    const entry = this.entry(name);
    const stop = Math.min(end ?? entry.size, entry.size);
    return fileRange(this.file, entry.offset + start, entry.offset + stop);
  }

  /** The entry's bytes in [start, end) in reused buffers (see fileChunks). */
  chunks(name: string, start: number, end: number): AsyncIterable<Buffer> {
    const entry = this.entry(name);
    return fileChunks(this.file, entry.offset + start, entry.offset + Math.min(end, entry.size));
  }

  private find(name: string): Entry | undefined {
    let current = posix.normalize(name).replace(/^\.\//, '');
    for (let depth = 0; depth < MAX_LINK_DEPTH; depth++) {
      const entry = this.entries.get(current);
      if (!entry) return undefined;
      if (entry.type === 'file' || entry.type === 'contiguous-file') return entry;
      if (entry.type === 'symlink' && entry.linkname) {
        current = resolveLink(posix.dirname(current), entry.linkname, name, this.file);
      } else if (entry.type === 'link' && entry.linkname) {
        current = resolveLink('', entry.linkname, name, this.file);
      } else {
        return undefined;
      }
    }
    throw new UserError(`${this.file}: ${name} is a chain of more than ${MAX_LINK_DEPTH} links`);
  }
}

function safeName(raw: string, file: string): string {
  if (raw.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(raw))
    throw new UserError(`${file}: refusing entry with an absolute path: ${raw}`);
  const name = posix.normalize(raw).replace(/^\.\//, '').replace(/\/$/, '');
  if (name === '..' || name.startsWith('../'))
    throw new UserError(`${file}: refusing entry that escapes the archive: ${raw}`);
  return name;
}

/** A symlink's target relative to its directory (`base`), a hard link's relative to the archive root (`base` ''). */
function resolveLink(base: string, target: string, name: string, file: string): string {
  const resolved = posix.normalize(posix.join(base, target));
  if (target.startsWith('/') || resolved === '..' || resolved.startsWith('../')) {
    throw new UserError(`${file}: refusing ${name}, a link that points out of the archive`);
  }
  return resolved.replace(/^\.\//, '');
}

function unreadable(file: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  return new UserError(
    code === 'ENOENT'
      ? `Archive ${file} does not exist`
      : `${file} is not a readable tar archive (${code ?? (error as Error).message})`,
  );
}

const BLOCK = 512;
/** The most a PAX or GNU long-name record may hold (tar-stream's limit: an archive beyond it is refused alike). */
const MAX_LONG_HEADER = 4 * 1024 * 1024;

/**
 * Walks the archive header by header (POSIX ustar/pax and GNU headers; old v7 ones are refused, as tar-stream refuses
 * them), reading each header and each PAX or long-name record, skipping every entry's data. The rules are tar-stream's extractor's
 * (the reader this replaced, kept as the reference in test/unit/tar-index.test.ts): an all-zero block is skipped, a
 * header of neither ustar nor GNU format is refused, a checksum must match, the file must not end inside a header,
 * an entry's data or its padding, a directory's size is ignored, and PAX `path`, `linkpath` and `size` (with the
 * globals) and GNU long names apply to the next entry.
 */
async function readHeaders(handle: fs.FileHandle, file: string): Promise<Map<string, Entry>> {
  const { size: length } = await handle.stat();
  const entries = new Map<string, Entry>();
  const block = Buffer.alloc(BLOCK);
  const read = async (buffer: Buffer, at: number, size: number) => {
    if (at + padded(size) > length) throw new Error('Unexpected end of data');
    const { bytesRead } = await handle.read(buffer, 0, size, at);
    if (bytesRead !== size) throw new Error('Unexpected end of data');
    return buffer.subarray(0, size);
  };
  let longPath: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> | undefined;
  let paxGlobal: Record<string, string> | undefined;
  for (let at = 0; at < length;) {
    const header = decodeHeader(await read(block, at, BLOCK));
    at += BLOCK;
    if (header === null) continue;
    if (header.long) {
      if (header.size > MAX_LONG_HEADER) throw new Error('Header exceeds max size');
      const record = await read(Buffer.alloc(header.size), at, header.size);
      at += padded(header.size);
      if (header.long === 'gnu-long-path') longPath = text(record, 0, record.length);
      else if (header.long === 'gnu-long-link-path') longLink = text(record, 0, record.length);
      else if (header.long === 'pax-global-header') paxGlobal = decodePax(record);
      else pax = { ...paxGlobal, ...decodePax(record) };
      continue;
    }
    let { name, linkname, size } = header;
    if (longPath) name = longPath;
    if (longLink) linkname = longLink;
    if (pax) {
      if (pax.path) name = pax.path;
      if (pax.linkpath) linkname = pax.linkpath;
      if (pax.size) size = parseInt(pax.size, 10);
    }
    longPath = longLink = pax = undefined;
    if (!(size >= 0)) throw new Error('Invalid header');
    const safe = safeName(name, file);
    // Checked for every link, used or not: an archive that reaches outside itself is not one to trust.
    if (header.type === 'symlink' && linkname) resolveLink(posix.dirname(safe), linkname, safe, file);
    if (header.type === 'link' && linkname) resolveLink('', linkname, safe, file);
    entries.set(safe, { name: safe, type: header.type, size, offset: at, linkname });
    if (size === 0 || header.type === 'directory') continue;
    if (at + padded(size) > length) throw new Error('Unexpected end of data');
    at += padded(size);
  }
  return entries;
}

function padded(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

type LongHeader = 'gnu-long-path' | 'gnu-long-link-path' | 'pax-global-header' | 'pax-header';

interface Header {
  name: string;
  linkname: string | null;
  size: number;
  type: EntryType;
  /** Set for a record that describes the next entry instead of being one. */
  long?: LongHeader;
}

const TYPES: Record<string, EntryType | LongHeader> = {
  '0': 'file',
  '1': 'link',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
  '7': 'contiguous-file',
  x: 'pax-header',
  g: 'pax-global-header',
  L: 'gnu-long-path',
  N: 'gnu-long-path',
  K: 'gnu-long-link-path',
};

/** One 512-byte header (POSIX.1-1988 ustar layout); null for an all-zero block. */
function decodeHeader(buf: Buffer): Header | null {
  let checksum = 0;
  for (let i = 0; i < BLOCK; i++) checksum += i >= 148 && i < 156 ? 0x20 : buf[i];
  // The checksum of an all-zero block: its checksum field counted as spaces.
  if (checksum === 8 * 0x20) return null;
  if (checksum !== number(buf, 148, 8))
    throw new Error('Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?');
  const magic = buf.toString('latin1', 257, 265);
  const ustar = magic.startsWith('ustar\0');
  if (!ustar && magic !== 'ustar  \0') throw new Error('Invalid tar header: unknown format.');
  let name = text(buf, 0, 100);
  if (ustar && buf[345] !== 0) name = `${text(buf, 345, 155)}/${name}`;
  // NUL is an old regular file. A regular file whose name ends in '/' stays a file, as tar-stream 3 has it (its
  // directory rule for old tars changes a flag it no longer reads); safeName drops the '/'.
  const kind = TYPES[buf[156] === 0 ? '0' : String.fromCharCode(buf[156])] ?? null;
  const long = kind === 'pax-header' || kind === 'pax-global-header' || kind?.startsWith('gnu-long');
  return {
    name,
    linkname: buf[157] === 0 ? null : text(buf, 157, 100),
    size: number(buf, 124, 12),
    type: long ? null : (kind as EntryType),
    long: long ? (kind as LongHeader) : undefined,
  };
}

/** A NUL-terminated UTF-8 field. */
function text(buf: Buffer, start: number, length: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString('utf8', start, end < 0 || end > start + length ? start + length : end);
}

/**
 * A numeric field: octal digits after optional spaces and zeros, ended by a space or NUL; or, when its first byte has
 * the high bit set, a big-endian base-256 number (GNU tar, for sizes of 8 GiB and more).
 */
function number(buf: Buffer, start: number, length: number): number {
  if (buf[start] & 0x80) {
    // 0x80 first: the other bytes are the number. 0xff: a negative one, which no size may be; anything else: invalid.
    if (buf[start] !== 0x80) return buf[start] === 0xff ? -1 : NaN;
    let value = 0;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + buf[i];
    return value;
  }
  let i = start;
  const end = start + length;
  while (i < end && buf[i] === 0x20) i++;
  let stop = i;
  while (stop < end && buf[stop] !== 0x20) stop++;
  while (i < stop && buf[i] === 0) i++;
  if (i === stop) return 0;
  // parseInt stops at the first byte that is not an octal digit (the NUL that usually ends the field).
  return parseInt(buf.toString('latin1', i, stop), 8);
}

/** PAX records, `<length> <key>=<value>\n` each; a malformed one ends the list, as in tar-stream. */
function decodePax(buf: Buffer): Record<string, string> {
  const result: Record<string, string> = {};
  for (let rest = buf; rest.length > 0;) {
    const space = rest.indexOf(0x20);
    const size = parseInt(rest.toString('utf8', 0, space < 0 ? rest.length : space), 10);
    if (!size) return result;
    const record = rest.toString('utf8', (space < 0 ? rest.length : space) + 1, size - 1);
    const equals = record.indexOf('=');
    if (equals < 0) return result;
    result[record.slice(0, equals)] = record.slice(equals + 1);
    rest = rest.subarray(size);
  }
  return result;
}
