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
  /** The first finding seen of each vulnerability id. */
  private readonly byId = new Map<string, Finding>();
  /** Findings whose id was first seen in another package or version, by their whole key. */
  private readonly byKey = new Map<string, Finding>();
  /** Unique findings in the order they were first seen. */
  private readonly all: Finding[] = [];

  add(finding: Finding): void {
    // Most findings are the first of their id, or a repeat of it: found without building a key string for each of a
    // report's 100 000 findings (every key stayed alive until the report was read; bench/trivy-gate).
    const first = this.byId.get(finding.id);
    if (first === undefined) {
      this.byId.set(finding.id, finding);
      this.all.push(finding);
      return;
    }
    if (first.pkg === finding.pkg && first.installed === finding.installed) {
      merge(first, finding);
      return;
    }
    const key = findingKey(finding);
    const seen = this.byKey.get(key);
    if (seen === undefined) {
      this.byKey.set(key, finding);
      this.all.push(finding);
      return;
    }
    merge(seen, finding);
  }

  get size(): number {
    return this.all.length;
  }

  list(): Finding[] {
    return this.all.slice();
  }
}

/** A repeat adds its targets; the worst severity and any known fix, link and title win. */
function merge(seen: Finding, finding: Finding): void {
  // Copied, not pushed onto: findings of one Trivy result share their targets array.
  for (const target of finding.targets) if (!seen.targets.includes(target)) seen.targets = [...seen.targets, target];
  if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[seen.severity]) seen.severity = finding.severity;
  if (!seen.fixed && finding.fixed) seen.fixed = finding.fixed;
  if (!seen.url && finding.url) seen.url = finding.url;
  if (!seen.title && finding.title) seen.title = finding.title;
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
