/** Text helpers the steps' logs and job summaries share. */

/** `12s`, `3m04s`, `1h02m`; empty while a task has not ended (Harbor reports end 0001-01-01 then). */
export function formatDuration(start?: string, end?: string): string {
  const a = start ? Date.parse(start) : NaN;
  const b = end ? Date.parse(end) : NaN;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b < a) return '';
  const seconds = Math.round((b - a) / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** A duration input as the user would write it: 90s, 30m, 2h. */
export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

/** Job summaries are capped (GitHub: 1 MiB per step), so a long table shows every unsuccessful row first. */
export const MAX_SUMMARY_ROWS = 200;

export function summaryRows<R extends { status: string }>(rows: R[]): R[] {
  if (rows.length <= MAX_SUMMARY_ROWS) return rows;
  const fine = (status: string) => /^(succe|skipped$)/i.test(status);
  const unsuccessful = rows.filter((r) => !fine(r.status));
  const rest = rows.filter((r) => fine(r.status));
  return [...unsuccessful, ...rest].slice(0, Math.max(MAX_SUMMARY_ROWS, unsuccessful.length));
}
