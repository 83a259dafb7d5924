import type { Finding, ScanReport } from './model';
import type { Policy, Verdict } from './policy';

/** Version of the normalized findings format; bump on any incompatible change. */
export const FINDINGS_FORMAT = 'harbor-pipelines/trivy-gate-findings@1';

/**
 * The normalized findings file: the same unique findings, counts and verdict the gate used, in one stable shape for
 * both sources (Trivy file and Harbor), for scripts that post-process results.
 */
export function* renderFindingsJson(report: ScanReport, policy: Policy, verdict: Verdict): Generator<string> {
  const c = verdict.counts;
  const head = {
    format: FINDINGS_FORMAT,
    artifact: report.artifact,
    scanner: report.scanner,
    result: verdict.passed ? 'passed' : 'failed',
    reason: verdict.reason,
    policy: { failOn: policy.failOn, max: policy.max, ignoreUnfixed: policy.ignoreUnfixed },
    counts: { critical: c.CRITICAL, high: c.HIGH, medium: c.MEDIUM, low: c.LOW, unknown: c.UNKNOWN, total: c.total, fixable: c.fixable, ignored: c.ignored },
    rules: verdict.rules,
    violations: verdict.violations,
    expiredIgnores: verdict.expiredIgnores,
  };
  yield `${JSON.stringify(head).slice(0, -1)},"findings":[`;
  let first = true;
  for (const f of verdict.counted) {
    yield (first ? '\n' : ',\n') + JSON.stringify(item(f));
    first = false;
  }
  yield '\n],"ignored":[';
  first = true;
  for (const { finding, entry } of verdict.ignored) {
    const why = entry ? { reason: 'ignore-file', line: entry.line, expires: entry.expires, comment: entry.comment || undefined } : { reason: 'unfixed' };
    yield (first ? '\n' : ',\n') + JSON.stringify({ ...item(finding), ignored: why });
    first = false;
  }
  yield '\n]}\n';
}

function item(f: Finding) {
  return { id: f.id, package: f.pkg, installed: f.installed, fixed: f.fixed || null, severity: f.severity, title: f.title, url: f.url || null, targets: f.targets };
}
