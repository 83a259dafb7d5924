import { FindingSet, type ScanReport } from './model';
import { harborSeverity } from './severity';

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
export function fromHarborReport(report: HarborVulnerabilityReport, artifact: string): ScanReport {
  const set = new FindingSet();
  for (const v of report.vulnerabilities ?? []) {
    set.add({
      id: v.id ?? '',
      pkg: v.package ?? '',
      installed: v.version ?? '',
      fixed: v.fix_version ?? '',
      severity: harborSeverity(v.severity),
      title: firstSentence(v.description ?? ''),
      url: v.links?.find((l) => typeof l === 'string' && l !== '') ?? '',
      targets: [artifact],
    });
  }
  const scanner = report.scanner;
  const name = [scanner?.name, scanner?.version].filter(Boolean).join(' ') || 'unknown scanner';
  return { artifact, scanner: `${name} (Harbor)`, findings: set.list() };
}

/** Harbor reports carry no title; the description's first sentence stands in for it, kept short for tables. */
function firstSentence(text: string): string {
  const line = text.split(/\r?\n/)[0].trim();
  const sentence = /^(.{1,160}?[.!?])(\s|$)/.exec(line)?.[1] ?? line;
  return sentence.length > 160 ? `${sentence.slice(0, 157)}...` : sentence;
}
