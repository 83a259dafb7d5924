import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** Big enough that a fast link is not throttled by small reads; small enough for many blobs in parallel. */
export const READ_CHUNK = 1024 * 1024;

/** Bytes [start, end) of a file as a stream; empty ranges are legal (an empty layer) and fs would reject them. */
export function fileRange(file: string, start: number, end: number): Readable {
  if (start >= end) return Readable.from([]);
  return createReadStream(file, { start, end: end - 1, highWaterMark: READ_CHUNK });
}

/** Buffers a chunk reader cycles through. */
const RING = 3;

/**
 * Bytes [start, end) of a file read into a ring of reused buffers: a chunk is valid only until the reader is asked for
 * the one after the next. For a consumer that is done with each chunk before it asks for more — an HTTP upload, which
 * hands a chunk to the kernel and waits for the socket to drain before pulling the next — this halves the CPU of
 * sending a layer: a fresh megabyte per read (createReadStream) costs page faults and garbage collection that a copy
 * into the socket does not (bench/push/RESULTS.md). Never for consumers that keep chunks (gzip's parallel blocks).
 */
export async function* fileChunks(file: string, start: number, end: number): AsyncGenerator<Buffer> {
  if (start >= end) return;
  const handle = await open(file, 'r');
  try {
    const ring = Array.from({ length: RING }, () => Buffer.allocUnsafeSlow(Math.min(READ_CHUNK, end - start)));
    for (let at = start, turn = 0; at < end; turn++) {
      const buffer = ring[turn % RING];
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - at), at);
      if (bytesRead === 0) throw new Error(`${file} ended at byte ${at}, before byte ${end}`);
      at += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
