import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

/** Big enough that a fast link is not throttled by small reads; small enough for many blobs in parallel. */
export const READ_CHUNK = 1024 * 1024;

/** Bytes [start, end) of a file as a stream; empty ranges are legal (an empty layer) and fs would reject them. */
export function fileRange(file: string, start: number, end: number): Readable {
  if (start >= end) return Readable.from([]);
  return createReadStream(file, { start, end: end - 1, highWaterMark: READ_CHUNK });
}
