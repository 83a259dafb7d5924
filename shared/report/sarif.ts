import * as crypto from 'node:crypto';
import type { Finding, ScanReport } from './model';
import { SEVERITIES, SEVERITY_RANK, type Severity } from './severity';
import { textInBatches } from './write-chunks';

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
  const rules = new Map<string, SarifRule>();
  for (const f of kept) {
    const rule = rules.get(f.id);
    if (!rule) rules.set(f.id, newRule(rules.size, f));
    else if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[rule.severity]) rule.severity = f.severity;
  }
  const driver = {
    name: 'trivy-gate',
    fullName: `harbor-pipelines trivy-gate (${report.scanner})`,
    version: info.toolVersion,
    informationUri: info.informationUri,
  };
  yield `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":${JSON.stringify(driver).slice(0, -1)},"rules":[`;
  // Rules and results are JSON text built from their fields (the same bytes JSON.stringify writes for the objects they
  // stand for, see ruleJson/resultJson): what repeats (a rule's part of its results, a target's location, the
  // per-severity tails) is escaped once, and a string is only escaped when it holds a character JSON escapes.
  // JSON.stringify of objects spent ~5 µs per result on this machine (bench/trivy-gate).
  yield* textInBatches([...rules.values()], ruleJson);
  yield ']}},"results":[';
  const locations = new Locations(report.artifact);
  yield* textInBatches(kept, (f, comma) => resultJson(f, rules.get(f.id)!, locations.of(f.targets), comma));
  const truncated =
    findings.length > kept.length ? `,"properties":{"truncatedResults":${findings.length - kept.length}}` : '';
  yield `]${truncated}}]}\n`;
}

interface SarifRule {
  index: number;
  /** The first kept finding of this id: its title and link describe the rule. */
  finding: Finding;
  /** The worst severity of the id among the kept findings. */
  severity: Severity;
  /** The id as JSON text (a result's message names it). */
  id: string;
  /** `{"ruleId":…,"ruleIndex":…,"level":"` for the rule's results. */
  head: string;
}

function newRule(index: number, f: Finding): SarifRule {
  return {
    index,
    finding: f,
    severity: f.severity,
    id: jsonText(f.id),
    head: `{"ruleId":"${jsonText(f.id || 'unknown-vulnerability')}","ruleIndex":${index},"level":"`,
  };
}

/**
 * The text of JSON.stringify(value) without its quotes. Only characters JSON escapes make the difference (quote,
 * backslash, controls, lone surrogates); a string without any of them (nearly every one) is its own JSON text, and
 * since every field stands between literal ASCII text, escaping field by field gives what escaping the whole would.
 */
function jsonText(value: string): string {
  return JSON_ESCAPED.test(value) ? JSON.stringify(value).slice(1, -1) : value;
}
// eslint-disable-next-line no-control-regex -- the control characters JSON escapes are the point
const JSON_ESCAPED = /["\\\u0000-\u001F\uD800-\uDFFF]/;

/** `"defaultConfiguration"` and `"properties"` of a rule: one text per severity. */
const RULE_TAIL = Object.fromEntries(
  SEVERITIES.map((severity) => [
    severity,
    JSON.stringify({
      defaultConfiguration: { level: LEVEL[severity] },
      properties: {
        tags: ['vulnerability', 'security', severity],
        precision: 'very-high',
        'security-severity': SECURITY_SEVERITY[severity],
      },
    }).slice(1),
  ]),
) as Record<Severity, string>;

/**
 * One rule as JSON.stringify writes
 * `{ id, name: 'Vulnerability', shortDescription: { text }, fullDescription: { text }, helpUri, help: { text, markdown },
 * defaultConfiguration, properties }` with text = title or id, helpUri only for an http(s) link.
 */
function ruleJson({ finding: f, severity }: SarifRule, comma: boolean): string {
  const id = jsonText(f.id || 'unknown-vulnerability');
  const link = isHttpUrl(f.url);
  const url = f.url ? jsonText(f.url) : '';
  const text = f.title ? jsonText(f.title) : id;
  return (
    `${comma ? ',' : ''}{"id":"${id}","name":"Vulnerability","shortDescription":{"text":"${text}"},"fullDescription":{"text":"${text}"}` +
    `${link ? `,"helpUri":"${url}"` : ''},"help":{"text":"Vulnerability ${id}\\nSeverity: ${severity}${f.url ? `\\nLink: ${url}` : ''}",` +
    `"markdown":"**Vulnerability ${id}** (${severity})${link ? `\\n\\n[${id}](${url})` : ''}"},${RULE_TAIL[severity]}`
  );
}

/**
 * One result as JSON.stringify writes `{ ruleId, ruleIndex, level, message: { text }, locations,
 * partialFingerprints: { primaryLocationLineHash } }`; the message lists the package, versions, severity, link and,
 * when found in several targets, all of them.
 */
function resultJson(f: Finding, rule: SarifRule, locations: string, comma: boolean): string {
  let found = '';
  if (f.targets.length > 1) {
    found = '\\nFound in: ';
    for (let i = 0; i < f.targets.length; i++) found += (i > 0 ? ', ' : '') + jsonText(f.targets[i]);
  }
  // Without a fingerprint GitHub merges results that share rule and location (one CVE in two packages of an image).
  const hash = sha256Hex(`${f.id}\u0000${f.pkg}\u0000${f.installed}\u0000${f.targets[0] ?? ''}`);
  return (
    `${comma ? ',' : ''}${rule.head}${LEVEL[f.severity]}","message":{"text":"Package: ${jsonText(f.pkg)}\\nInstalled Version: ${jsonText(f.installed)}` +
    `\\nVulnerability ${rule.id}\\nSeverity: ${f.severity}\\nFixed Version: ${f.fixed ? jsonText(f.fixed) : 'none'}` +
    `${f.url ? `\\nLink: ${jsonText(f.url)}` : ''}${found}"},"locations":${locations},"partialFingerprints":{"primaryLocationLineHash":"${hash}"}}`
  );
}

/** The `locations` of a result: its first 10 targets, each the same text wherever it appears. */
class Locations {
  private readonly byTarget = new Map<string, string>();
  /** Findings of one Trivy result share their targets array, so most results find their text by the array. */
  private readonly byList = new Map<readonly string[], string>();

  constructor(private readonly artifact: string) {}

  of(targets: readonly string[]): string {
    let text = this.byList.get(targets);
    if (text === undefined) {
      text = '[';
      for (let i = 0; i < targets.length && i < 10; i++) text += (i > 0 ? ',' : '') + this.location(targets[i]);
      text += ']';
      this.byList.set(targets, text);
    }
    return text;
  }

  private location(target: string): string {
    let text = this.byTarget.get(target);
    if (text === undefined) {
      text = JSON.stringify({
        physicalLocation: {
          artifactLocation: { uri: locationUri(target, this.artifact) },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        },
      });
      this.byTarget.set(target, text);
    }
    return text;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A target as a URI reference: Trivy's OS target is `<image> (<os> <version>)`, so the suffix goes; spaces are escaped. */
export function locationUri(target: string, artifact: string): string {
  const path = target.replace(/\s+\([^()]*\)$/, '').trim() || artifact || 'artifact';
  // encodeURI throws on a lone surrogate (a JSON report can hold one as an escape); it stands for U+FFFD instead.
  return encodeURI(path.replace(LONE_SURROGATE, '\uFFFD')).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
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
