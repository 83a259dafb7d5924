import { SEVERITY_RANK, type Severity } from './severity';

/** One vulnerability in one package version, wherever in the artifact it was found. */
export interface Finding {
  id: string;
  pkg: string;
  installed: string;
  /** '' when no fixed version is known. */
  fixed: string;
  severity: Severity;
  title: string;
  /** The advisory link the scanner gave (Trivy PrimaryURL, Harbor links[0]); '' when none. */
  url: string;
  /** Where it was found: Trivy result targets, or the artifact for Harbor reports. */
  targets: string[];
}

/** A scan report reduced to what the gate needs: its unique findings and where it came from. */
export interface ScanReport {
  /** What was scanned, for people: an image reference, a path, `project/repo@digest`. */
  artifact: string;
  /** `Trivy dev`, `Trivy v0.58.0 (Harbor)`. */
  scanner: string;
  findings: Finding[];
}

export function findingKey(f: Pick<Finding, 'id' | 'pkg' | 'installed'>): string {
  return `${f.id}\u0000${f.pkg}\u0000${f.installed}`;
}

/**
 * Collects findings unique by (vulnerability id, package name, installed version) across all targets. A repeat adds
 * its target; if repeats disagree, the gate keeps the worst severity and any known fix, so a duplicate can never make
 * the gate more lenient than either occurrence alone.
 */
export class FindingSet {
  private readonly byKey = new Map<string, Finding>();

  add(finding: Finding): void {
    const key = findingKey(finding);
    const seen = this.byKey.get(key);
    if (!seen) {
      this.byKey.set(key, finding);
      return;
    }
    for (const target of finding.targets) if (!seen.targets.includes(target)) seen.targets.push(target);
    if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[seen.severity]) seen.severity = finding.severity;
    if (!seen.fixed && finding.fixed) seen.fixed = finding.fixed;
    if (!seen.url && finding.url) seen.url = finding.url;
    if (!seen.title && finding.title) seen.title = finding.title;
  }

  get size(): number {
    return this.byKey.size;
  }

  list(): Finding[] {
    return [...this.byKey.values()];
  }
}

/** Worst first, then by id, package and version: a stable order for lists people read (ignored findings). */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
    (a.pkg < b.pkg ? -1 : a.pkg > b.pkg ? 1 : 0) ||
    (a.installed < b.installed ? -1 : a.installed > b.installed ? 1 : 0)
  );
}
