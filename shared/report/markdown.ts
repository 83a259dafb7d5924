import { markdownCell, markdownCode } from '../util/markdown';
import type { Finding, ScanReport } from './model';
import type { Verdict } from './policy';
import { SEVERITIES, severityLabel, type Severity } from './severity';

export interface SummaryOptions {
  /** The policy inputs as the user spells them, for the "why ignored" column. */
  ignoreUnfixedName: string;
  ignoreFileName: string;
  /** How many findings each table lists at most. */
  limit?: number;
}

const ICON: Record<Severity, string> = { CRITICAL: '🟥', HIGH: '🟧', MEDIUM: '🟨', LOW: '🟦', UNKNOWN: '⬜' };

/**
 * The step summary: verdict and reason first (what a reviewer needs), then counts, the findings that the policy gates
 * (worst first), and every exception in force or expired, so an ignore is never invisible.
 */
export function renderSummary(report: ScanReport, verdict: Verdict, options: SummaryOptions): string {
  const limit = options.limit ?? 25;
  const out: string[] = [];
  out.push(
    `## ${verdict.passed ? '✅' : '❌'} Vulnerability gate ${verdict.passed ? 'passed' : 'failed'}: ${markdownCell(report.artifact)}`,
    '',
  );
  out.push(verdict.reason, '');
  out.push(`Scanner: ${markdownCell(report.scanner)}`, '');
  const c = verdict.counts;
  out.push(
    '| Critical | High | Medium | Low | Unknown | Total | Fixable | Ignored |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  out.push(`| ${SEVERITIES.map((s) => c[s]).join(' | ')} | ${c.total} | ${c.fixable} | ${c.ignored} |`, '');

  if (verdict.rules.length > 0) {
    out.push('| Rule | Severity | Found | Allowed | |', '| --- | --- | ---: | ---: | --- |');
    for (const rule of verdict.rules) {
      const found = c[rule.severity];
      out.push(
        `| ${markdownCode(rule.source)} | ${severityLabel(rule.severity)} | ${found} | ${rule.limit} | ${found > rule.limit ? '❌' : '✅'} |`,
      );
    }
    out.push('');
  }

  const gated = new Set(verdict.rules.map((r) => r.severity));
  const shown = gated.size > 0 ? verdict.counted.filter((f) => gated.has(f.severity)) : verdict.counted;
  if (shown.length > 0) {
    const title = gated.size > 0 ? 'Findings the policy gates' : 'Top findings';
    out.push(`### ${title} (${shown.length > limit ? `top ${limit} of ${shown.length}` : shown.length})`, '');
    out.push('| Severity | Vulnerability | Package | Installed → Fixed | Title |', '| --- | --- | --- | --- | --- |');
    for (const f of shown.slice(0, limit)) {
      out.push(
        `| ${ICON[f.severity]} ${severityLabel(f.severity)} | ${link(f)} | ${markdownCell(f.pkg)} | ${markdownCell(f.installed)} → ${f.fixed ? markdownCell(f.fixed) : '_no fix_'} | ${markdownCell(f.title)} |`,
      );
    }
    out.push('');
  }

  if (verdict.ignored.length > 0) {
    out.push(
      `### Ignored (${verdict.ignored.length > limit ? `first ${limit} of ${verdict.ignored.length}` : verdict.ignored.length})`,
      '',
    );
    out.push('| Severity | Vulnerability | Package | Why |', '| --- | --- | --- | --- |');
    for (const { finding: f, entry } of verdict.ignored.slice(0, limit)) {
      const why = entry
        ? `${markdownCode(options.ignoreFileName)} line ${entry.line}${entry.expires ? `, until ${entry.expires}` : ''}${entry.comment ? `: ${markdownCell(entry.comment)}` : ''}`
        : `${markdownCode(options.ignoreUnfixedName)}: no fixed version`;
      out.push(
        `| ${severityLabel(f.severity)} | ${link(f)} | ${markdownCell(f.pkg)} ${markdownCell(f.installed)} | ${why} |`,
      );
    }
    out.push('');
  }

  if (verdict.expiredIgnores.length > 0) {
    out.push(`### Expired ignore entries (${verdict.expiredIgnores.length}): counted again`, '');
    out.push('| Vulnerability | Expired | Line | Note |', '| --- | --- | ---: | --- |');
    for (const e of verdict.expiredIgnores)
      out.push(`| ${markdownCell(e.id)} | ${e.expires} | ${e.line} | ${markdownCell(e.comment)} |`);
    out.push('');
  }
  return out.join('\n');
}

function link(f: Finding): string {
  return /^https?:\/\//.test(f.url)
    ? `[${markdownCell(f.id)}](${f.url.replace(/[()\s]/g, encodeURIComponent)})`
    : markdownCell(f.id);
}
