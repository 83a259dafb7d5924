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

/**
 * Collects findings unique by (vulnerability id, package name, installed version) across all targets. A repeat adds
 * its target; if repeats disagree, the gate keeps the worst severity and any known fix, so a duplicate can never make
 * the gate more lenient than either occurrence alone.
 */
export class FindingSet {
  /** Per vulnerability id: its finding, or its findings when the id was found in more than one package or version. */
  private readonly byId = new Map<string, Finding | Finding[]>();
  /** Ids found in MANY packages or versions or more: their findings by package and version, so an add stays O(1). */
  private readonly many = new Map<string, Map<string, Finding>>();
  /** Unique findings in the order they were first seen. */
  private readonly all: Finding[] = [];

  add(finding: Finding): void {
    // Found by id, then among the few packages and versions of that id, without a key string for each of a report's
    // 100 000 findings: the keys stayed alive until the report was read, in the young generation (bench/trivy-gate).
    const known = this.byId.get(finding.id);
    if (known === undefined) {
      this.byId.set(finding.id, finding);
    } else if (!Array.isArray(known)) {
      if (sameFinding(known, finding)) return merge(known, finding);
      this.byId.set(finding.id, [known, finding]);
    } else if (known.length < MANY) {
      for (const seen of known) if (sameFinding(seen, finding)) return merge(seen, finding);
      // A new array of the exact size: a push would reserve room for 16 more in each.
      const next = [...known, finding];
      this.byId.set(finding.id, next);
      if (next.length === MANY) this.many.set(finding.id, new Map(next.map((f) => [packageKey(f), f])));
    } else {
      const byPackage = this.many.get(finding.id)!;
      const seen = byPackage.get(packageKey(finding));
      if (seen !== undefined) return merge(seen, finding);
      byPackage.set(packageKey(finding), finding);
    }
    this.all.push(finding);
  }

  get size(): number {
    return this.all.length;
  }

  list(): Finding[] {
    return this.all.slice();
  }
}

/** Findings of one id are compared by package and version in a list up to this long, then looked up by both. */
const MANY = 8;

function sameFinding(a: Finding, b: Finding): boolean {
  return a.pkg === b.pkg && a.installed === b.installed;
}

function packageKey(f: Finding): string {
  return `${f.pkg}\u0000${f.installed}`;
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
