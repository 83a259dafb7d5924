import * as crypto from 'node:crypto';
import type { Finding, ScanReport } from './model';
import { SEVERITY_RANK, type Severity } from './severity';
import { inBatches } from './write-chunks';

/** GitHub code scanning rejects a run with more results than this (and shows at most 5 000 per analysis). */
export const SARIF_MAX_RESULTS = 25_000;

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
};

/**
 * GitHub reads `security-severity` (a CVSS-like score) to label alerts critical (≥ 9.0), high (7.0–8.9), medium
 * (4.0–6.9) or low (0.1–3.9); the gate's own severity decides, so the alert says what the gate counted. UNKNOWN
 * gets none and shows by level.
 */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '2.0',
  UNKNOWN: undefined,
};

export interface SarifInfo {
  toolVersion: string;
  informationUri: string;
}

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: one rule per vulnerability id (at its worst severity), one result
 * per counted finding located at its target, worst first, capped at GitHub's per-run limit. Findings are given in the
 * gate's order (worst first), so the cap drops the least severe. Produced in pieces for large reports.
 */
export function* renderSarif(report: ScanReport, findings: Finding[], info: SarifInfo): Generator<string> {
  const kept = findings.slice(0, SARIF_MAX_RESULTS);
  const rules = new Map<string, { index: number; finding: Finding; severity: Severity }>();
  for (const f of kept) {
    const rule = rules.get(f.id);
    if (!rule) rules.set(f.id, { index: rules.size, finding: f, severity: f.severity });
    else if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[rule.severity]) rule.severity = f.severity;
  }
  const driver = {
    name: 'trivy-gate',
    fullName: `harbor-pipelines trivy-gate (${report.scanner})`,
    version: info.toolVersion,
    informationUri: info.informationUri,
  };
  yield `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":${JSON.stringify(driver).slice(0, -1)},"rules":[`;
  yield* inBatches([...rules.values()], ({ finding: f, severity }) => {
    const id = f.id || 'unknown-vulnerability';
    const link = isHttpUrl(f.url);
    const score = SECURITY_SEVERITY[severity];
    return {
      id,
      name: 'Vulnerability',
      shortDescription: { text: f.title || id },
      fullDescription: { text: f.title || id },
      helpUri: link ? f.url : undefined,
      help: {
        text: `Vulnerability ${id}\nSeverity: ${severity}${f.url ? `\nLink: ${f.url}` : ''}`,
        markdown: `**Vulnerability ${id}** (${severity})${link ? `\n\n[${id}](${f.url})` : ''}`,
      },
      defaultConfiguration: { level: LEVEL[severity] },
      properties: { tags: ['vulnerability', 'security', severity], precision: 'very-high', 'security-severity': score },
    };
  });
  yield ']}},"results":[';
  // A target's location is the same object for every finding in it.
  const locations = new Map<string, object>();
  const locationOf = (target: string) => {
    let location = locations.get(target);
    if (location === undefined) {
      location = {
        physicalLocation: {
          artifactLocation: { uri: locationUri(target, report.artifact) },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        },
      };
      locations.set(target, location);
    }
    return location;
  };
  yield* inBatches(kept, (f) => ({
    ruleId: f.id || 'unknown-vulnerability',
    ruleIndex: rules.get(f.id)!.index,
    level: LEVEL[f.severity],
    message: {
      text:
        `Package: ${f.pkg}\nInstalled Version: ${f.installed}\nVulnerability ${f.id}\nSeverity: ${f.severity}\n` +
        `Fixed Version: ${f.fixed || 'none'}${f.url ? `\nLink: ${f.url}` : ''}${f.targets.length > 1 ? `\nFound in: ${f.targets.join(', ')}` : ''}`,
    },
    locations: f.targets.slice(0, 10).map(locationOf),
    // Without a fingerprint GitHub merges results that share rule and location (one CVE in two packages of an image).
    partialFingerprints: {
      primaryLocationLineHash: sha256Hex(`${f.id}\u0000${f.pkg}\u0000${f.installed}\u0000${f.targets[0] ?? ''}`),
    },
  }));
  const truncated =
    findings.length > kept.length ? `,"properties":{"truncatedResults":${findings.length - kept.length}}` : '';
  yield `]${truncated}}]}\n`;
}

/** A target as a URI reference: Trivy's OS target is `<image> (<os> <version>)`, so the suffix goes; spaces are escaped. */
export function locationUri(target: string, artifact: string): string {
  const path = target.replace(/\s+\([^()]*\)$/, '').trim() || artifact || 'artifact';
  return encodeURI(path).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
}

/**
 * crypto.hash (Node 20.12+) hashes a short string without a Hash object per call, which counts over tens of thousands of
 * results (bench/trivy-gate). Older Node 20 agents get the same digest from createHash.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

function isHttpUrl(text: string): boolean {
  return /^https?:\/\/\S+$/.test(text);
}
