import {
  accessSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { InputError, UserError } from '../errors';

/**
 * Refuses an output path that cannot be written, before the step does anything: a directory, a file or folder
 * without write permission, a path through a file. Nothing is created by the check.
 */
export function checkWritable(file: string, label: string): void {
  const stat = statOrUndefined(file);
  if (stat?.isDirectory()) throw new InputError(`Input '${label}' names a directory (${file}); give a file path`);
  if (stat && !canWrite(file)) throw new InputError(`Input '${label}': ${file} is not writable`);
  if (stat) return;
  let dir = dirname(file);
  for (let parent = statOrUndefined(dir); !parent; parent = statOrUndefined(dir)) {
    if (dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  if (!statOrUndefined(dir)?.isDirectory())
    throw new InputError(`Input '${label}': ${dir} is a file, so ${file} cannot be created`);
  if (!canWrite(dir)) throw new InputError(`Input '${label}': ${file} cannot be created (${dir} is not writable)`);
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

const FLUSH_AT = 1 << 20;

/**
 * Writes a report produced piece by piece, so a 100 000-finding SARIF or JUnit file is never one giant string.
 * The file appears complete (written beside it, then renamed) or, on failure, not at all, and the error names the input.
 */
export function writeChunks(file: string, chunks: Iterable<string>, label: string): void {
  const partial = `${file}.partial-${process.pid}`;
  let fd: number;
  try {
    mkdirSync(dirname(file), { recursive: true });
    fd = openSync(partial, 'w');
  } catch (error) {
    throw new UserError(`Cannot write ${label} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let done = false;
  try {
    // Collected in an array and joined once per flush: cheaper than growing one string chunk by chunk.
    let pending: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
      if (chunk.length >= FLUSH_AT) {
        // A large piece (a batch of SARIF results) is written as it is: joining it to the small ones copied it again.
        if (size > 0) writeSync(fd, pending.join(''));
        pending = [];
        size = 0;
        writeSync(fd, chunk);
        continue;
      }
      pending.push(chunk);
      size += chunk.length;
      if (size >= FLUSH_AT) {
        writeSync(fd, pending.join(''));
        pending = [];
        size = 0;
      }
    }
    if (size > 0) writeSync(fd, pending.join(''));
    done = true;
  } finally {
    closeSync(fd);
    if (done) renameSync(partial, file);
    else rmSync(partial, { force: true });
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
    // The separator on its own: joined to the batch it made a second copy of the batch's megabytes when written.
    if (i > 0) yield ',';
    yield text.slice(1, -1);
  }
}

/**
 * Array elements as JSON text made element by element (`json` writes one, with its leading comma when `comma`), a few
 * thousand joined per piece: for text built from fields rather than through JSON.stringify (sarif.ts).
 */
export function* textInBatches<T>(items: readonly T[], json: (item: T, comma: boolean) => string): Generator<string> {
  for (let i = 0; i < items.length; i += BATCH) {
    const end = Math.min(items.length, i + BATCH);
    let text = i > 0 ? ',' : '';
    for (let j = i; j < end; j++) text += json(items[j], j > i);
    yield text;
  }
}
