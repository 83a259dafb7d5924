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
  /** Per vulnerability id: the index in `all` of its first finding. */
  private readonly first = new Map<string, number>();
  /**
   * Per index in `all`: the index of the next finding with the same id (0: none, as index 0 is always a first). The
   * findings of an id form a chain through the list, so no array is made per id (one was, for 40 % of a large report).
   */
  private next = new Int32Array(1024);
  /** Ids found in MANY packages or versions or more: their findings by package and version, so an add stays O(1). */
  private readonly many = new Map<string, Map<string, Finding>>();
  /** Unique findings in the order they were first seen. */
  private readonly all: Finding[] = [];

  add(finding: Finding): void {
    // Found by id, then among the few packages and versions of that id, without a key string for each of a report's
    // 100 000 findings: the keys stayed alive until the report was read, in the young generation (bench/trivy-gate).
    const index = this.all.length;
    if (index === this.next.length) {
      const grown = new Int32Array(index * 2);
      grown.set(this.next);
      this.next = grown;
    }
    const head = this.first.get(finding.id);
    if (head === undefined) {
      this.first.set(finding.id, index);
    } else {
      const byPackage = this.many.size > 0 ? this.many.get(finding.id) : undefined;
      if (byPackage !== undefined) {
        const seen = byPackage.get(packageKey(finding));
        if (seen !== undefined) return merge(seen, finding);
        byPackage.set(packageKey(finding), finding);
      } else {
        let last = head;
        let length = 1;
        for (;;) {
          const seen = this.all[last];
          if (sameFinding(seen, finding)) return merge(seen, finding);
          if (this.next[last] === 0) break;
          last = this.next[last];
          length++;
        }
        if (length + 1 === MANY) {
          const byPackage = new Map<string, Finding>();
          for (let i = head; ; i = this.next[i]) {
            byPackage.set(packageKey(this.all[i]), this.all[i]);
            if (i === last) break;
          }
          byPackage.set(packageKey(finding), finding);
          this.many.set(finding.id, byPackage);
        } else this.next[last] = index;
      }
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
