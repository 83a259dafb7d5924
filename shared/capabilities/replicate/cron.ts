import { CronExpressionParser } from 'cron-parser';
import { InputError } from '../../errors';

/**
 * Harbor schedules replication with robfig/cron v3 in its 6-field form (seconds first: src/common/utils/utils.go
 * CronParser) and refuses any seconds field but `0` and a minutes field of `*` (src/controller/replication/model/
 * model.go Policy.Validate). cron-parser checks the fields and ranges; where it is more lenient than robfig (L W #, a
 * day of week 7) and for Harbor's own rules, the check is here, so a bad schedule fails before anything is saved.
 */
export function validateHarborCron(text: string, label: string): string {
  const cron = text.trim().replace(/\s+/g, ' ');
  const fields = cron.split(' ');
  if (cron.startsWith('@')) {
    throw new InputError(
      `Input '${label}' must be a 6-field cron like '0 0 2 * * *'; Harbor does not accept descriptors such as '${fields[0]}'`,
    );
  }
  if (fields.length === 5) {
    const fixed = fields[0] === '*' ? `0 0 ${fields.slice(1).join(' ')}` : `0 ${cron}`;
    throw new InputError(
      `Input '${label}' has 5 fields; Harbor's cron has 6 with seconds first: use '${fixed}'${fields[0] === '*' ? ` (hourly: Harbor refuses '*' in the minutes field)` : ''} (got '${cron}')`,
    );
  }
  if (fields.length !== 6) {
    throw new InputError(
      `Input '${label}' must have 6 fields (seconds minutes hours day-of-month month day-of-week), e.g. '0 0 2 * * *' (got '${cron}')`,
    );
  }
  // L, W and # are cron-parser (Quartz) extensions that robfig/cron, and so Harbor, rejects.
  if (
    /[LW#]/i.test(
      fields
        .slice(3)
        .join(' ')
        .replace(/\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|MON|TUE|WED|THU|FRI|SAT|SUN)\b/gi, ''),
    )
  ) {
    throw new InputError(`Input '${label}' uses L, W or #, which Harbor's scheduler does not support (got '${cron}')`);
  }
  // robfig counts days of the week 0-6 (Sunday is 0); cron-parser also takes 7 for Sunday, which Harbor refuses.
  const dayNumbers = fields[5]
    .split(',')
    .flatMap((item) => item.split('/')[0].split('-'))
    .filter((v) => /^\d+$/.test(v))
    .map(Number);
  if (dayNumbers.some((d) => d > 6)) {
    throw new InputError(
      `Input '${label}': Harbor's scheduler numbers the days of the week 0-6 (Sunday is 0, or write SUN); 7 is refused (got '${cron}')`,
    );
  }
  try {
    // Not strict: robfig accepts '?' and a day-of-month with a day-of-week, which strict mode refuses.
    CronExpressionParser.parse(cron, { tz: 'UTC' });
  } catch (error) {
    throw new InputError(
      `Input '${label}' is not a valid cron expression: ${(error as Error).message} (got '${cron}')`,
    );
  }
  if (fields[0] !== '0') {
    throw new InputError(
      `Input '${label}' must start with 0: Harbor runs replication schedules at whole minutes only (got seconds '${fields[0]}')`,
    );
  }
  // Policy.Validate refuses a minutes field that is exactly '*' (src/controller/replication/model/model.go).
  if (fields[1] === '*') {
    throw new InputError(
      `Input '${label}': Harbor refuses '*' in the minutes field; name the minutes, e.g. '0 0 ${fields.slice(2).join(' ')}' (at :00) or '0 */5 ${fields.slice(2).join(' ')}' (every 5 minutes) (got '${cron}')`,
    );
  }
  return cron;
}

/** The next run after `from`, for the log ("next run …"). */
export function nextRun(cron: string, from: Date = new Date()): Date {
  return CronExpressionParser.parse(cron, { currentDate: from, tz: 'UTC' }).next().toDate();
}
