import { InputError } from '../../errors';
import { parseDuration } from '../../inputs/parse';
import { parseRepositoryLines } from '../../azure/scope-map';

/** `30d`, `12h`, an ISO date (`2026-12-31` is midnight UTC) or date-time, or `never` → ISO expiry or undefined. */
export function passwordExpiry(text: string, label: string, now = Date.now()): string | undefined {
  const value = text.trim();
  if (value.toLowerCase() === 'never') return undefined;
  let at: number;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    at = Date.parse(value);
    // Date.parse rolls 2027-02-30 over to March 2; a date that does not exist is a typo, not a later day.
    const [year, month, day] = value.slice(0, 10).split('-').map(Number);
    const calendar = new Date(Date.UTC(year, month - 1, day));
    if (
      Number.isNaN(at) ||
      calendar.getUTCFullYear() !== year ||
      calendar.getUTCMonth() !== month - 1 ||
      calendar.getUTCDate() !== day
    ) {
      throw new InputError(`Input '${label}' is not a valid ISO date (got '${value}')`);
    }
  } else {
    try {
      at = now + parseDuration(value, label);
    } catch {
      throw new InputError(
        `Input '${label}' must be a duration like 30d or 12h, an ISO date like 2026-12-31, or never (got '${value}')`,
      );
    }
  }
  if (at <= now) throw new InputError(`Input '${label}' must lie in the future (got '${value}')`);
  return new Date(at).toISOString();
}

/** The repositories input as scope-map actions, with the offending line in the error. */
export function scopeMapActions(lines: string[], label: string): string[] {
  if (lines.length === 0) throw new InputError(`Input '${label}' must list at least one repository`);
  try {
    return parseRepositoryLines(lines);
  } catch (error) {
    throw new InputError(`Input '${label}': ${(error as Error).message}`);
  }
}
