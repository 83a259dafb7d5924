import { FindingSet, type ScanReport } from './model';
import { harborSeverity } from './severity';
import { objectAt, oneOf, optionalString, ReportShapeError, requiredString } from './shape';

/** The words Harbor's scanner-adapter spec allows (src/pkg/scan/vuln/severity.go at v2.15.2). */
const HARBOR_SEVERITIES = ['Unknown', 'None', 'Negligible', 'Low', 'Medium', 'High', 'Critical'] as const;

/** HarborVulnerabilityReport item (pluggable scanner spec v1.1; v1.0 has the same fields). */
export interface HarborVulnerabilityItem {
  id?: string;
  package?: string;
  version?: string;
  fix_version?: string;
  severity?: string;
  description?: string;
  links?: string[] | null;
}

export interface HarborVulnerabilityReport {
  generated_at?: string;
  scanner?: { name?: string; vendor?: string; version?: string } | null;
  severity?: string;
  vulnerabilities?: HarborVulnerabilityItem[] | null;
}

/**
 * A Harbor vulnerability report into unique findings. Harbor's reports have no per-target breakdown, so every finding
 * is located at the artifact (`project/repository@digest`).
 */
export function fromHarborReport(raw: HarborVulnerabilityReport, artifact: string): ScanReport {
  const set = new FindingSet();
  // One array for every finding: all were found in the artifact.
  const targets = [artifact];
  const report = objectAt(raw, '$');
  const list = report.vulnerabilities;
  if (list !== undefined && list !== null && !Array.isArray(list))
    throw new ReportShapeError('$.vulnerabilities', 'an array', list);
  ((list ?? []) as unknown[]).forEach((item, index) => {
    const path = `$.vulnerabilities[${index}]`;
    const v = objectAt(item, path);
    const links = v.links;
    if (links !== undefined && links !== null && !Array.isArray(links))
      throw new ReportShapeError(`${path}.links`, 'an array', links);
    set.add({
      id: requiredString(v, 'id', path),
      pkg: requiredString(v, 'package', path),
      installed: optionalString(v, 'version', path),
      fixed: optionalString(v, 'fix_version', path),
      severity: harborSeverity(oneOf(v, 'severity', path, HARBOR_SEVERITIES, true)),
      title: firstSentence(optionalString(v, 'description', path)),
      url: (links as unknown[] | undefined)?.find((l): l is string => typeof l === 'string' && l !== '') ?? '',
      targets,
    });
  });
  const scanner =
    report.scanner === undefined || report.scanner === null ? undefined : objectAt(report.scanner, '$.scanner');
  const name =
    [
      scanner && optionalString(scanner, 'name', '$.scanner'),
      scanner && optionalString(scanner, 'version', '$.scanner'),
    ]
      .filter(Boolean)
      .join(' ') || 'unknown scanner';
  return { artifact, scanner: `${name} (Harbor)`, findings: set.list() };
}

/** Harbor reports carry no title; the description's first sentence stands in for it, kept short for tables. */
function firstSentence(text: string): string {
  const line = text.split(/\r?\n/)[0].trim();
  const sentence = /^(.{1,160}?[.!?])(\s|$)/.exec(line)?.[1] ?? line;
  return sentence.length > 160 ? `${sentence.slice(0, 157)}...` : sentence;
}
