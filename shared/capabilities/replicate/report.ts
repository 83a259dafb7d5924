import { isFailed, type ReplicationExecution, type ReplicationTask } from '../../harbor/replication';
import { markdownCell, markdownCode } from '../../util/markdown';
import { textTable } from '../../util/table';

/** One row per task: what was copied where, how it ended and how long it took. */
export interface TaskRow {
  id: number;
  resource: string;
  source: string;
  destination: string;
  status: string;
  duration: string;
}

/**
 * A task's status with its runs where they matter: Harbor runs a failed replication task up to 3 times, so a failure
 * says how many runs it had and a success after a retry says which run it was.
 */
export function taskRows(tasks: ReplicationTask[], attempts: Map<number, number> = new Map()): TaskRow[] {
  const status = (t: ReplicationTask) => {
    const n = attempts.get(t.id);
    if (n === undefined) return t.status;
    if (isFailed(t.status)) return `${t.status} (${n} attempt${n === 1 ? '' : 's'})`;
    if (n > 1) return `${t.status} (attempt ${n})`;
    return t.status;
  };
  return tasks.map((t) => ({
    id: t.id,
    resource:
      [t.resource_type, t.operation && t.operation !== 'copy' ? t.operation : ''].filter(Boolean).join(' ') ||
      'artifact',
    source: t.src_resource ?? '',
    destination: t.dst_resource ?? '',
    status: status(t),
    duration: formatDuration(t.start_time, t.end_time),
  }));
}

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

/** A fixed-width table for the log. */
export function taskTableText(rows: TaskRow[]): string {
  const header = ['Resource', 'Source → Destination', 'Status', 'Duration'];
  return textTable(
    header,
    rows.map((r) => [r.resource, `${r.source} → ${r.destination}`, r.status, r.duration]),
  );
}

export function summaryMarkdown(options: {
  policyName: string;
  policyId: number;
  direction: string;
  remote: string;
  execution?: ReplicationExecution;
  rows: TaskRow[];
  note?: string;
}): string {
  const { execution } = options;
  const arrow = options.direction === 'push' ? `Harbor → ${options.remote}` : `${options.remote} → Harbor`;
  const out = [`### Harbor replication: ${markdownCode(options.policyName)} (${arrow})`, ''];
  if (execution) {
    out.push(
      `Execution ${execution.id}: **${execution.status}**, ${execution.total} task(s): ${execution.succeed} succeeded, ${execution.failed} failed, ${execution.stopped} stopped, ${execution.in_progress} in progress.`,
      '',
    );
  } else {
    out.push(`Policy ${options.policyId} ensured; no execution was started.`, '');
  }
  if (options.note) out.push(options.note, '');
  if (options.rows.length > 0) {
    const shown = summaryRows(options.rows);
    out.push('| Resource | Source | Destination | Status | Duration |', '| --- | --- | --- | --- | --- |');
    for (const r of shown)
      out.push(
        `| ${markdownCell(r.resource)} | ${markdownCode(r.source)} | ${markdownCode(r.destination)} | ${markdownCell(r.status)} | ${r.duration} |`,
      );
    if (shown.length < options.rows.length)
      out.push('', `${options.rows.length - shown.length} more task(s) succeeded; the step log lists them all.`);
    out.push('');
  }
  return out.join('\n');
}

/** Job summaries are capped (GitHub: 1 MiB per step), so a huge execution shows every unsuccessful task first. */
export const MAX_SUMMARY_ROWS = 200;

function summaryRows<R extends { status: string }>(rows: R[]): R[] {
  if (rows.length <= MAX_SUMMARY_ROWS) return rows;
  const fine = (status: string) => /^(succe|skipped$)/i.test(status);
  const unsuccessful = rows.filter((r) => !fine(r.status));
  const rest = rows.filter((r) => fine(r.status));
  return [...unsuccessful, ...rest].slice(0, Math.max(MAX_SUMMARY_ROWS, unsuccessful.length));
}

/** The last lines of a task log: where Harbor's job writes the reason it failed. */
export function logTail(log: string, lines = 15): string {
  return log.trimEnd().split(/\r?\n/).slice(-lines).join('\n');
}

/** One row per ACR import: the Harbor artifact, where it went, how it ended, and Azure's message when it failed. */
export interface ImportRow {
  source: string;
  target: string;
  digest: string;
  status: 'Planned' | 'Succeeded' | 'Skipped' | 'Failed' | 'TimedOut' | 'NotStarted';
  duration: string;
  detail?: string;
  /** NoForce met an existing tag: it holds another digest, or what it holds could not be read. */
  conflict?: 'different' | 'unknown';
}

export function importTableText(rows: ImportRow[]): string {
  const header = ['Source → Target', 'Digest', 'Status', 'Duration'];
  return textTable(
    header,
    rows.map((r) => [`${r.source} → ${r.target}`, shortDigest(r.digest), r.status, r.duration]),
  );
}

export function importSummaryMarkdown(options: {
  harbor: string;
  loginServer: string;
  rows: ImportRow[];
  mode: string;
  note?: string;
}): string {
  const { rows } = options;
  const count = (status: ImportRow['status']) => rows.filter((r) => r.status === status).length;
  const out = [`### ACR import: ${markdownCell(options.harbor)} → ${markdownCell(options.loginServer)}`, ''];
  if (rows.length > 0 && rows.every((r) => r.status === 'Planned')) {
    out.push(`${rows.length} import(s) planned (${options.mode}); nothing was imported.`, '');
  } else {
    const notStarted = count('NotStarted');
    const skipped = count('Skipped');
    out.push(
      `${rows.length} import(s), ${options.mode}: ${count('Succeeded')} succeeded${skipped ? `, ${skipped} skipped (already in ACR with the same digest)` : ''}, ${count('Failed')} failed, ${count('TimedOut')} timed out${notStarted ? `, ${notStarted} not started` : ''}.`,
      '',
    );
  }
  if (options.note) out.push(options.note, '');
  if (rows.length > 0) {
    const shown = summaryRows(rows);
    out.push('| Source | Target | Digest | Status | Duration |', '| --- | --- | --- | --- | --- |');
    for (const r of shown)
      out.push(
        `| ${markdownCode(r.source)} | ${markdownCode(r.target)} | \`${shortDigest(r.digest)}\` | ${r.status} | ${r.duration} |`,
      );
    if (shown.length < rows.length)
      out.push('', `${rows.length - shown.length} more import(s) succeeded; the step log lists them all.`);
    const failed = rows.filter((r) => r.detail && r.status !== 'Succeeded' && r.status !== 'Skipped');
    if (failed.length > 0) {
      out.push('', '**Failures**', '');
      for (const r of failed.slice(0, MAX_SUMMARY_ROWS))
        out.push(`- ${markdownCode(r.source)}: ${markdownCell(r.detail!)}`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** `sha256:` and the first 12 hex digits, as registries' UIs show a digest. */
function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}
