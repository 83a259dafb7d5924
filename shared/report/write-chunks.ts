import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../errors';

const FLUSH_AT = 1 << 20;

/**
 * Writes a report produced piece by piece, so a 100 000-finding SARIF or JUnit file is never one giant string.
 * The file appears complete or, on failure, is reported with the input that named it.
 */
export function writeChunks(file: string, chunks: Iterable<string>, label: string): void {
  let fd: number;
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(file, 'w');
  } catch (error) {
    throw new UserError(`Cannot write ${label} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    // Collected in an array and joined once per flush: cheaper than growing one string chunk by chunk.
    let pending: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= FLUSH_AT) {
        writeSync(fd, pending.join(''));
        pending = [];
        size = 0;
      }
    }
    if (size > 0) writeSync(fd, pending.join(''));
  } finally {
    closeSync(fd);
  }
}

const BATCH = 2000;

/**
 * Array elements as JSON text, a few thousand per JSON.stringify call: V8 serialises a batch of same-shaped objects
 * about twice as fast as one call per element, and a batch is small enough to never matter for memory.
 */
export function* inBatches<T>(items: readonly T[], map: (item: T) => unknown): Generator<string> {
  for (let i = 0; i < items.length; i += BATCH) {
    const text = JSON.stringify(items.slice(i, i + BATCH).map(map));
    yield (i > 0 ? ',' : '') + text.slice(1, -1);
  }
}
