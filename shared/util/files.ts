import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../errors';

/**
 * Reads a file a user named. A file system error becomes one line the user can act on: `explain` words it from the
 * errno code (`ENOENT`, `EISDIR`, …; the error's text where there is no code), so no caller repeats the catch.
 */
export function readUserFile(file: string, explain: (code: string) => string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UserError(explain((error as NodeJS.ErrnoException).code ?? String(error)));
  }
}

/** `readUserFile` as UTF-8 text. */
export function readUserText(file: string, explain: (code: string) => string): string {
  return readUserFile(file, explain).toString('utf8');
}

/** The usual wording: `Cannot read <what> <file>: no such file` (or the errno code). */
export function cannotRead(what: string, file: string, code: string): string {
  return `Cannot read ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : code}`;
}

/** What a user-named path is right now: a file, a directory, something else, or nothing (missing or unreadable). */
export function pathKind(path: string): 'file' | 'directory' | 'other' | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
  } catch {
    return undefined;
  }
}
