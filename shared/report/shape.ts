/**
 * Shape checks for scanner reports. A gate must never pass on something it could not read: a field of the wrong type
 * (`"Vulnerabilities": "lots"`, `"Severity": 5`) fails the step with the JSON path and what was expected, instead of
 * being skipped or counted as UNKNOWN. The checks run on values the readers already hold (no second parse).
 */
export class ReportShapeError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`${path} must be ${expected} (found ${describe(got)})`);
    this.name = 'ReportShapeError';
  }
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}

/** A plain object, or a ReportShapeError at path. */
export function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ReportShapeError(path, 'an object', value);
  return value as Record<string, unknown>;
}

/** An optional string field: absent and null read as ''. */
export function optionalString(record: Record<string, unknown>, key: string, path: string): string {
  const value = record[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ReportShapeError(`${path}.${key}`, 'a string', value);
  return value;
}

export function requiredString(record: Record<string, unknown>, key: string, path: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value === '')
    throw new ReportShapeError(`${path}.${key}`, 'a non-empty string', value);
  return value;
}

/** One of the given words (compared as written unless `ignoreCase`). */
export function oneOf(
  record: Record<string, unknown>,
  key: string,
  path: string,
  words: readonly string[],
  ignoreCase = false,
): string {
  const value = record[key];
  const match =
    typeof value === 'string' &&
    words.some((w) => (ignoreCase ? w.toLowerCase() === value.toLowerCase() : w === value));
  if (!match) throw new ReportShapeError(`${path}.${key}`, `one of ${words.join(', ')}`, value);
  return value as string;
}
