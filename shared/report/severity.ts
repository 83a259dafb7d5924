/**
 * One severity scale for every source: Trivy's. Harbor's scanner-adapter reports use Title case and two extra words;
 * they are mapped here and nowhere else (documented in docs/trivy-gate.md).
 */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse; UNKNOWN sorts below LOW as in Trivy (`--severity` order). */
export const SEVERITY_RANK: Record<Severity, number> = { UNKNOWN: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

/** Trivy writes UNKNOWN|LOW|MEDIUM|HIGH|CRITICAL; anything else (absent, misspelt) is UNKNOWN, as Trivy itself does. */
export function trivySeverity(value: unknown): Severity {
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : 'UNKNOWN';
}

/**
 * Harbor / pluggable-scanner severities: Critical, High, Medium, Low map one to one; `Negligible` (Debian's and
 * Clair's word for "not worth fixing") maps to LOW, where Trivy puts the same Debian entries. Harbor itself rewrites
 * every item's Negligible to `None` before storing (ParseSeverityVersion3 in src/pkg/scan/vuln/severity.go, applied by
 * src/pkg/scan/postprocessors/report_converters.go at v2.15.2), so an item's `None` is the same finding and counts as
 * LOW too — a finding Harbor lists is never dropped below what the file path would count. `Unknown` and anything else
 * map to UNKNOWN.
 */
export function harborSeverity(value: unknown): Severity {
  switch (typeof value === 'string' ? value.toLowerCase() : '') {
    case 'critical':
      return 'CRITICAL';
    case 'high':
      return 'HIGH';
    case 'medium':
      return 'MEDIUM';
    case 'low':
    case 'negligible':
    case 'none':
      return 'LOW';
    default:
      return 'UNKNOWN';
  }
}

export function severityLabel(severity: Severity): string {
  return severity.charAt(0) + severity.slice(1).toLowerCase();
}
