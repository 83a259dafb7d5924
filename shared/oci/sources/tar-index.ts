import { createReadStream, promises as fs } from 'node:fs';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header } from 'tar-stream';
import { UserError } from '../../errors';
import { fileChunks, fileRange, READ_CHUNK } from '../file-range';

interface Entry {
  name: string;
  type: Header['type'];
  size: number;
  /** Where the entry's data starts in the archive file; tar data is stored as is, so it can be read in place. */
  offset: number;
  linkname?: string;
}

const MAX_LINK_DEPTH = 16;

/**
 * The entries of an uncompressed tar file, indexed in one pass, so every entry can be streamed later straight from
 * the file (in parallel, and again for a retry) without unpacking the archive anywhere. Names that escape the
 * archive (absolute, `..`) and links that point out of it are refused.
 */
export class TarIndex {
  private constructor(
    readonly file: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  static async open(file: string): Promise<TarIndex> {
    const entries = new Map<string, Entry>();
    const parser = extract();
    parser.on('entry', (header: Header & { byteOffset?: number }, stream, next) => {
      // A refused entry destroys the parser, and with it this stream; the pipeline reports the reason.
      stream.on('error', () => undefined);
      try {
        const name = safeName(header.name, file);
        if (header.byteOffset === undefined) throw new UserError(`${file}: cannot locate entry ${name}`);
        // Checked for every link, used or not: an archive that reaches outside itself is not one to trust.
        if (header.type === 'symlink' && header.linkname) resolveLink(posix.dirname(name), header.linkname, name, file);
        if (header.type === 'link' && header.linkname) resolveLink('', header.linkname, name, file);
        entries.set(name, {
          name,
          type: header.type,
          size: header.size,
          offset: header.byteOffset,
          linkname: header.linkname,
        });
      } catch (error) {
        stream.resume();
        next(error as Error);
        return;
      }
      stream.on('end', () => next());
      stream.resume();
    });
    try {
      await pipeline(createReadStream(file, { highWaterMark: READ_CHUNK }), parser);
    } catch (error) {
      if (error instanceof UserError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new UserError(
        code === 'ENOENT'
          ? `Archive ${file} does not exist`
          : `${file} is not a readable tar archive (${code ?? (error as Error).message})`,
      );
    }
    return new TarIndex(file, entries);
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
