// Harbor's cron check for scheduled replication, written for the emulator from the rules of the parser Harbor uses
// (never from the product's validation): src/common/utils/utils.go CronParser builds a robfig/cron v3 parser (v3.0.1,
// pinned in src/go.mod) with exactly six fields — Second Minute Hour Dom Month Dow — and no descriptors. Each field is
// a comma-separated list of `*` or `?`, `n`, `n-m`, optionally followed by `/step`; `n/step` runs to the field's
// maximum. Month and day-of-week take three-letter names; days of the week are 0-6 (Sunday 0, there is no 7).

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const named = (list: string[], first: number) => Object.fromEntries(list.map((n, i) => [n, i + first]));

const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: named(MONTHS, 1) },
  { min: 0, max: 6, names: named(DAYS, 0) },
];

function value(text: string, bounds: Bounds): number | undefined {
  const byName = bounds.names?.[text.toLowerCase()];
  if (byName !== undefined) return byName;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function rangeIsValid(expr: string, bounds: Bounds): boolean {
  const parts = expr.split('/');
  if (parts.length > 2) return false;
  const [range, step] = parts;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
  if (range === '*' || range === '?') return true;
  const ends = range.split('-');
  if (ends.length > 2) return false;
  const start = value(ends[0], bounds);
  const end = ends.length === 2 ? value(ends[1], bounds) : step !== undefined ? bounds.max : start;
  if (start === undefined || end === undefined) return false;
  return start >= bounds.min && end <= bounds.max && start <= end;
}

/** Whether Harbor's parser accepts the schedule (src/controller/replication/model/model.go Policy.Validate calls it). */
export function harborCronParses(cron: string): boolean {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) return false;
  return fields.every((field, i) => field.split(',').every((expr) => rangeIsValid(expr, FIELDS[i])));
}
