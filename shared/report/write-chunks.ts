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
    let pending = '';
    for (const chunk of chunks) {
      pending += chunk;
      if (pending.length >= FLUSH_AT) {
        writeSync(fd, pending);
        pending = '';
      }
    }
    if (pending) writeSync(fd, pending);
  } finally {
    closeSync(fd);
  }
}
