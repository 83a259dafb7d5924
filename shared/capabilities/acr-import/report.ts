import { markdownCell, markdownCode } from '../../util/markdown';
import { MAX_SUMMARY_ROWS, summaryRows } from '../../util/report-text';
import { textTable } from '../../util/table';

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
