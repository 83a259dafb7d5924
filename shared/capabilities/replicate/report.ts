import { harborTime, isFailed, type ReplicationExecution, type ReplicationTask } from '../../harbor/replication';
import { markdownCell, markdownCode } from '../../util/markdown';
import { formatDuration, summaryRows } from '../../util/report-text';
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
    // A task that never ran (stopped or still pending) has the zero start: no duration, not 0s or two millennia.
    duration: formatDuration(harborTime(t.start_time), harborTime(t.end_time)),
  }));
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

/** The last lines of a task log: where Harbor's job writes the reason it failed. */
export function logTail(log: string, lines = 15): string {
  return log.trimEnd().split(/\r?\n/).slice(-lines).join('\n');
}
