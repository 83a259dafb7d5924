import type { IgnoreEntry, IgnoreList } from './ignore-file';
import { compareFindings, type Finding, type ScanReport } from './model';
import { SEVERITIES, SEVERITY_RANK, type Severity } from './severity';

export const FAIL_ON = ['critical', 'high', 'medium', 'low', 'unknown', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];
export type Budgeted = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

export interface Policy {
  /** The lowest severity that fails the gate: any counted finding at or above it fails (unless a max allows it). */
  failOn: FailOn;
  /** Per-severity budgets: a count above its max fails, whatever fail-on says; a max also relaxes fail-on. */
  max: Partial<Record<Budgeted, number>>;
  ignoreUnfixed: boolean;
}

/** How the user spells the policy inputs on this platform, so reasons name what to change. */
export interface PolicyNames {
  failOn: string;
  max: (severity: Budgeted) => string;
}

export interface Rule {
  severity: Severity;
  limit: number;
  /** The input that set the limit, spelled as the user spells it, with its value. */
  source: string;
}

export interface Violation extends Rule {
  count: number;
}

export interface IgnoredFinding {
  finding: Finding;
  /** Why it is not counted: an ignore-file entry or ignore-unfixed. */
  entry?: IgnoreEntry;
}

export type Counts = Record<Severity, number> & { total: number; fixable: number; ignored: number };

/** The counts as users read them: the gate's outputs and the findings file's `counts` use these names. */
export function namedCounts(c: Counts) {
  return {
    critical: c.CRITICAL,
    high: c.HIGH,
    medium: c.MEDIUM,
    low: c.LOW,
    unknown: c.UNKNOWN,
    total: c.total,
    fixable: c.fixable,
    ignored: c.ignored,
  };
}

/** The verdict as the gate's `result` output and the findings file's `result` spell it. */
export function resultOf(verdict: Pick<Verdict, 'passed'>): 'passed' | 'failed' {
  return verdict.passed ? 'passed' : 'failed';
}

export interface Verdict {
  passed: boolean;
  /** One line: the verdict and the counts against each rule. */
  reason: string;
  counts: Counts;
  rules: Rule[];
  violations: Violation[];
  /** Counted findings, worst first, in report order within a severity. */
  counted: Finding[];
  ignored: IgnoredFinding[];
  expiredIgnores: IgnoreEntry[];
  unusedIgnores: IgnoreEntry[];
}

/** The limit per severity that the policy sets; severities without a rule are not gated. */
export function rulesOf(policy: Policy, names: PolicyNames): Rule[] {
  const threshold = policy.failOn === 'none' ? Infinity : SEVERITY_RANK[policy.failOn.toUpperCase() as Severity];
  const rules: Rule[] = [];
  for (const severity of SEVERITIES) {
    const max = severity === 'UNKNOWN' ? undefined : policy.max[severity];
    if (max !== undefined) rules.push({ severity, limit: max, source: `${names.max(severity as Budgeted)}: ${max}` });
    else if (SEVERITY_RANK[severity] >= threshold)
      rules.push({ severity, limit: 0, source: `${names.failOn}: ${policy.failOn}` });
  }
  return rules;
}

/**
 * Counts a report's unique findings after ignore-unfixed and the ignore file, and decides: the gate fails if and only
 * if some gated severity has more findings than its limit.
 */
export function evaluate(report: ScanReport, policy: Policy, ignores: IgnoreList, names: PolicyNames): Verdict {
  // Bucketed by severity (worst first), report order within a bucket: linear, where a full sort of 100 000 findings
  // was the slowest part of the step. The severity is matched by a switch (the five words are constants, so each
  // case is one comparison), not as a property name: a keyed lookup and store per finding cost more than the rest.
  const critical: Finding[] = [];
  const high: Finding[] = [];
  const medium: Finding[] = [];
  const low: Finding[] = [];
  const unknown: Finding[] = [];
  const ignored: IgnoredFinding[] = [];
  const checkIgnores = ignores.active.size > 0;
  let fixable = 0;
  for (const finding of report.findings) {
    const entry = checkIgnores ? ignores.match(finding.id) : undefined;
    if (entry) {
      ignored.push({ finding, entry });
      continue;
    }
    if (!finding.fixed) {
      if (policy.ignoreUnfixed) {
        ignored.push({ finding });
        continue;
      }
    } else fixable++;
    switch (finding.severity) {
      case 'CRITICAL':
        critical.push(finding);
        break;
      case 'HIGH':
        high.push(finding);
        break;
      case 'MEDIUM':
        medium.push(finding);
        break;
      case 'LOW':
        low.push(finding);
        break;
      default:
        unknown.push(finding);
    }
  }
  const counted = critical.concat(high, medium, low, unknown);
  ignored.sort((a, b) => compareFindings(a.finding, b.finding));

  const counts: Counts = {
    CRITICAL: critical.length,
    HIGH: high.length,
    MEDIUM: medium.length,
    LOW: low.length,
    UNKNOWN: unknown.length,
    total: counted.length,
    fixable,
    ignored: ignored.length,
  };

  const rules = rulesOf(policy, names);
  const violations = rules
    .filter((r) => counts[r.severity] > r.limit)
    .map((r) => ({ ...r, count: counts[r.severity] }));
  const passed = violations.length === 0;
  return {
    passed,
    reason: reasonLine(passed, rules, violations, counts),
    counts,
    rules,
    violations,
    counted,
    ignored,
    expiredIgnores: ignores.expired,
    unusedIgnores: ignores.unused(),
  };
}

function reasonLine(passed: boolean, rules: Rule[], violations: Violation[], counts: Counts): string {
  const lower = (s: Severity) => s.toLowerCase();
  if (!passed) {
    return `Vulnerability gate failed: ${violations.map((v) => `${v.count} ${lower(v.severity)} > ${v.limit} allowed (${v.source})`).join(', ')}`;
  }
  if (rules.length === 0) return `Vulnerability gate passed: no severity is gated (${counts.total} findings counted)`;
  return `Vulnerability gate passed: ${rules.map((r) => `${counts[r.severity]} ${lower(r.severity)} <= ${r.limit} allowed (${r.source})`).join(', ')}`;
}
