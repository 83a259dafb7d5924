import type { Finding, ScanReport } from './model';
import { inBatches } from './write-chunks';
import { namedCounts, resultOf, type Policy, type Verdict } from './policy';

/** Version of the normalized findings format; bump on any incompatible change. */
export const FINDINGS_FORMAT = 'harbor-pipelines/trivy-gate-findings@1';

/**
 * The normalized findings file: the same unique findings, counts and verdict the gate used, in one stable shape for
 * both sources (Trivy file and Harbor), for scripts that post-process results.
 */
export function* renderFindingsJson(report: ScanReport, policy: Policy, verdict: Verdict): Generator<string> {
  const head = {
    format: FINDINGS_FORMAT,
    artifact: report.artifact,
    scanner: report.scanner,
    result: resultOf(verdict),
    reason: verdict.reason,
    policy: { failOn: policy.failOn, max: policy.max, ignoreUnfixed: policy.ignoreUnfixed },
    counts: namedCounts(verdict.counts),
    rules: verdict.rules,
    violations: verdict.violations,
    expiredIgnores: verdict.expiredIgnores,
  };
  yield `${JSON.stringify(head).slice(0, -1)},"findings":[`;
  yield* inBatches(verdict.counted, (f) => item(f));
  yield '],"ignored":[';
  yield* inBatches(verdict.ignored, ({ finding, entry }) => ({
    ...item(finding),
    ignored: entry
      ? { reason: 'ignore-file', line: entry.line, expires: entry.expires, comment: entry.comment || undefined }
      : { reason: 'unfixed' },
  }));
  yield ']}\n';
}

function item(f: Finding) {
  return {
    id: f.id,
    package: f.pkg,
    installed: f.installed,
    fixed: f.fixed || null,
    severity: f.severity,
    title: f.title,
    url: f.url || null,
    targets: f.targets,
  };
}
