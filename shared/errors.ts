/**
 * A failure the user can act on. Its message is the one line the step prints: what failed, which input or remote
 * answer, and what to do. Anything that is not a UserError is a bug and is reported with a hint to enable debug logs.
 */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** A malformed or missing input; the message names the input as the user spells it on this platform. */
export class InputError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** The first line of an error's message, for one-line reporting. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? 'unknown error';
  return line.trim();
}
