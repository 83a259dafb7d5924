import * as crypto from 'node:crypto';
import { IgnoreList } from '../../shared/report/ignore-file';
import { FindingSet, type Finding, type ScanReport } from '../../shared/report/model';
import { renderJUnit } from '../../shared/report/junit';
import { evaluate, type Policy, type Verdict } from '../../shared/report/policy';
import { renderSarif, SARIF_MAX_RESULTS } from '../../shared/report/sarif';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../../shared/report/severity';
import { seededRandom } from '../support/seeded-random';

/**
 * SARIF and JUnit build their text from each finding's fields, escaping field by field and reusing the text that
 * repeats. Their bytes must stay what the renderers wrote before that (report-output-pinned.test.ts pins the bench's
 * report, which has no character that needs escaping): here the earlier renderers, kept below as the reference, and the
 * current ones get findings made of every kind of character JSON or XML treats specially, in every field.
 */

// ---- The reference: SARIF as JSON.stringify of the objects, JUnit escaping whole strings (the code before the change).

const LEVEL: Record<Severity, string> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  UNKNOWN: 'note',
};
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '2.0',
  UNKNOWN: undefined,
};

function referenceSarif(
  report: ScanReport,
  findings: Finding[],
  info: { toolVersion: string; informationUri: string },
) {
  const kept = findings.slice(0, SARIF_MAX_RESULTS);
  const rules = new Map<string, { index: number; finding: Finding; severity: Severity }>();
  for (const f of kept) {
    const rule = rules.get(f.id);
    if (!rule) rules.set(f.id, { index: rules.size, finding: f, severity: f.severity });
    else if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[rule.severity]) rule.severity = f.severity;
  }
  const isHttpUrl = (text: string) => /^https?:\/\/\S+$/.test(text);
  const locationUri = (target: string) => {
    const path = target.replace(/\s+\([^()]*\)$/, '').trim() || report.artifact || 'artifact';
    // The reference threw URIError on a lone surrogate here; now it stands for U+FFFD (tested below).
    const wellFormed = path.replace(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '\uFFFD',
    );
    return encodeURI(wellFormed).replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
  };
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'trivy-gate',
            fullName: `harbor-pipelines trivy-gate (${report.scanner})`,
            version: info.toolVersion,
            informationUri: info.informationUri,
            rules: [...rules.values()].map(({ finding: f, severity }) => {
              const id = f.id || 'unknown-vulnerability';
              const link = isHttpUrl(f.url);
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
                properties: {
                  tags: ['vulnerability', 'security', severity],
                  precision: 'very-high',
                  'security-severity': SECURITY_SEVERITY[severity],
                },
              };
            }),
          },
        },
        results: kept.map((f) => ({
          ruleId: f.id || 'unknown-vulnerability',
          ruleIndex: rules.get(f.id)!.index,
          level: LEVEL[f.severity],
          message: {
            text:
              `Package: ${f.pkg}\nInstalled Version: ${f.installed}\nVulnerability ${f.id}\nSeverity: ${f.severity}\n` +
              `Fixed Version: ${f.fixed || 'none'}${f.url ? `\nLink: ${f.url}` : ''}${f.targets.length > 1 ? `\nFound in: ${f.targets.join(', ')}` : ''}`,
          },
          locations: f.targets.slice(0, 10).map((target) => ({
            physicalLocation: {
              artifactLocation: { uri: locationUri(target) },
              region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
            },
          })),
          partialFingerprints: {
            primaryLocationLineHash: crypto
              .createHash('sha256')
              .update(`${f.id}\u0000${f.pkg}\u0000${f.installed}\u0000${f.targets[0] ?? ''}`)
              .digest('hex'),
          },
        })),
        properties: findings.length > kept.length ? { truncatedResults: findings.length - kept.length } : undefined,
      },
    ],
  };
  return `${JSON.stringify(doc)}\n`;
}

// eslint-disable-next-line no-control-regex -- as the reference wrote it
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
function xml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function referenceJUnit(report: ScanReport, verdict: Verdict): string {
  const gated = new Map(verdict.rules.map((r) => [r.severity, r]));
  const broken = new Set(verdict.violations.map((v) => v.severity));
  const byTarget = new Map<string, Finding[]>();
  for (const f of verdict.counted) {
    if (!gated.has(f.severity)) continue;
    const target = f.targets[0] || report.artifact;
    if (!byTarget.has(target)) byTarget.set(target, []);
    byTarget.get(target)!.push(f);
  }
  let tests = 1;
  let failures = verdict.passed ? 0 : 1;
  for (const list of byTarget.values()) {
    tests += list.length;
    failures += list.filter((f) => broken.has(f.severity)).length;
  }
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`trivy-gate ${report.artifact}`)}" tests="${tests}" failures="${failures}">\n`;
  out += `  <testsuite name="policy" tests="1" failures="${verdict.passed ? 0 : 1}" errors="0" skipped="0">\n`;
  out += `    <testcase classname="trivy-gate" name="${xml(`vulnerability policy for ${report.artifact}`)}">`;
  out += verdict.passed
    ? '</testcase>\n'
    : `\n      <failure message="${xml(verdict.reason)}" type="policy">${xml(verdict.reason)}</failure>\n    </testcase>\n`;
  out += '  </testsuite>\n';
  for (const [target, list] of byTarget) {
    const failed = list.filter((f) => broken.has(f.severity)).length;
    out += `  <testsuite name="${xml(target)}" tests="${list.length}" failures="${failed}" errors="0" skipped="0">\n`;
    for (const f of list) {
      const rule = broken.has(f.severity) ? gated.get(f.severity)! : undefined;
      const name = xml(`[${f.severity}] ${f.id} ${f.pkg}@${f.installed}`);
      if (!rule) {
        out += `    <testcase classname="${xml(target)}" name="${name}"/>\n`;
        continue;
      }
      const detail = `${f.title ? `${f.title}\n` : ''}Package: ${f.pkg}\nInstalled: ${f.installed}\nFixed: ${f.fixed || 'none'}\nSeverity: ${f.severity}\nRule: ${rule.source}${f.url ? `\nLink: ${f.url}` : ''}`;
      out += `    <testcase classname="${xml(target)}" name="${name}">\n      <failure message="${xml(`${f.id} (${f.severity}) in ${f.pkg} ${f.installed}; fixed in ${f.fixed || 'no release yet'}`)}" type="${f.severity}">${xml(detail)}</failure>\n    </testcase>\n`;
    }
    out += '  </testsuite>\n';
  }
  return `${out}</testsuites>\n`;
}

/** Counted findings: not ignored, worst first, report order within a severity (a stable sort); counts of those. */
function referenceCounted(findings: Finding[], policy: Policy, ignoredIds: Set<string>) {
  const counted = findings
    .filter((f) => !ignoredIds.has(f.id) && !(policy.ignoreUnfixed && !f.fixed))
    .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, counted.filter((f) => f.severity === s).length]));
  return { counted, counts: { ...counts, fixable: counted.filter((f) => f.fixed).length } };
}

// ---- Findings made of the characters JSON and XML treat specially.

/**
 * Quote, backslash, XML's five, JSON's escaped controls (incl. tab, newline, NUL), controls XML cannot hold, DEL,
 * Latin-1, the euro sign, U+2028, a surrogate pair, lone high and low surrogates, U+FFFE/U+FFFF, a BOM, CJK.
 */
const TRICKY = [
  '"',
  '\\',
  '/',
  '<',
  '>',
  '&',
  "'",
  '\n',
  '\t',
  '\r',
  '\u0000',
  '\u0001',
  '\u0008',
  '\u000B',
  '\u001F',
  '\u007F',
  'ü',
  '€',
  '\u2028',
  '😀',
  '\uD83D',
  '\uDE00',
  '\uFFFE',
  '\uFFFF',
  '\uFEFF',
  '中',
  '%',
  '(',
  ')',
  ' ',
];
const PLAIN = [...'abcXYZ019.-_:@+~'];

function trickyFindings(count: number, seed: number): Finding[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  /** Mostly plain text, often with a special character or several, sometimes only special characters. */
  const text = (max = 8): string => {
    const n = Math.floor(random() * max);
    let s = '';
    const mix = random();
    for (let i = 0; i < n; i++)
      s += mix < 0.4 ? pick(PLAIN) : mix < 0.85 ? pick(random() < 0.5 ? PLAIN : TRICKY) : pick(TRICKY);
    return s;
  };
  const targetPool = [
    'registry.example.com/app:1 (debian 12.5)',
    'app/package-lock.json',
    'dir with spaces/p"q\\r',
    'ü€😀/\uD83D/x',
    '50%25/ok',
    '',
    'a\u0001b<&>',
  ];
  for (let i = 0; i < 8; i++) targetPool.push(`t${i}/${text(5)}`);
  const shared = [targetPool[0]];
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const shape = random();
    let targets: string[];
    if (shape < 0.5)
      targets = shared; // one Trivy result: many findings, one array
    else if (shape < 0.7) targets = [pick(targetPool)];
    else if (shape < 0.85) targets = [pick(targetPool), pick(targetPool), pick(targetPool)];
    else if (shape < 0.95)
      targets = targetPool.slice(0, 10 + Math.floor(random() * 5)); // past SARIF's 10 locations
    else targets = [];
    const urlShape = random();
    findings.push({
      id: random() < 0.05 ? '' : random() < 0.3 ? `CVE-${text(6)}` : `CVE-2024-${Math.floor(random() * 40)}`,
      pkg: random() < 0.5 ? `pkg-${Math.floor(random() * 20)}` : text(),
      installed: random() < 0.5 ? '1.0' : text(),
      fixed: random() < 0.4 ? '' : random() < 0.1 ? pick(['\u0001', '\uFFFE', '\uD83D']) : text(),
      severity: pick(SEVERITIES),
      title: random() < 0.2 ? '' : random() < 0.1 ? '\u0000\u0008' : text(12),
      url:
        urlShape < 0.2
          ? ''
          : urlShape < 0.5
            ? `https://avd.example/${text()}`
            : urlShape < 0.6
              ? 'http://x'
              : urlShape < 0.7
                ? 'ftp://not-http'
                : urlShape < 0.8
                  ? `https://a b/${text()}`
                  : text(),
      targets,
    });
  }
  return findings;
}

const info = { toolVersion: '1.2.3', informationUri: 'https://example.com/docs' };
const names = { failOn: 'fail-on', max: (s: string) => `max-${s.toLowerCase()}` };
const policy = (p: Partial<Policy>): Policy => ({ failOn: 'high', max: {}, ignoreUnfixed: false, ...p });

function check(report: ScanReport, p: Policy, ignores = IgnoreList.empty()): Verdict {
  const verdict = evaluate(report, p, ignores, names);
  const sarif = [...renderSarif(report, verdict.counted, info)].join('');
  const junit = [...renderJUnit(report, verdict)].join('');
  expect(sarif).toBe(referenceSarif(report, verdict.counted, info));
  expect(junit).toBe(referenceJUnit(report, verdict));
  JSON.parse(sarif); // well-formed JSON whatever the fields hold
  return verdict;
}

describe('SARIF and JUnit bytes equal the reference renderers', () => {
  const findings = trickyFindings(1_500, 18);
  const report: ScanReport = { artifact: 'reg.example/app:1 <"ü😀\u0001">', scanner: 'Trivy 0.58 "x"', findings };

  it('with special characters in every field, several and more than 10 targets, no targets', () => {
    // the generated findings do hold what the test is about
    const some = (test: (f: Finding) => boolean) => expect(findings.filter(test).length).toBeGreaterThan(10);
    // eslint-disable-next-line no-control-regex -- controls are what JSON escapes
    some((f) => /["\\\u0000-\u001F]/.test(f.pkg + f.installed + f.fixed + f.title + f.url + f.id));
    some((f) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(f.pkg + f.installed + f.title));
    some((f) => /[&<>'\uFFFE]/.test(f.pkg + f.installed + f.fixed + f.title + f.url + f.id));
    some((f) => f.targets.length > 10);
    some((f) => f.targets.length === 0);
    some((f) => f.id === '');
    some((f) => f.fixed !== '' && xml(f.fixed) === '');

    for (const p of [
      policy({ failOn: 'high' }),
      policy({ failOn: 'medium', max: { HIGH: 50, MEDIUM: 1_000_000 } }), // testcases within a budget pass
      policy({ failOn: 'low', ignoreUnfixed: true }),
      policy({ failOn: 'none' }),
      policy({ failOn: 'unknown', max: { CRITICAL: 1_000_000, HIGH: 1_000_000, MEDIUM: 1_000_000, LOW: 1_000_000 } }),
    ]) {
      const verdict = check(report, p);
      const ref = referenceCounted(findings, p, new Set());
      expect(verdict.counted).toEqual(ref.counted);
      expect(verdict.counts).toMatchObject(ref.counts);
    }
  });

  it('with ignored findings, and an artifact or scanner that need escaping', () => {
    const ignores = new IgnoreList(
      [
        { id: 'CVE-2024-1', line: 1, comment: '' },
        { id: 'cve-2024-7', line: 2, comment: 'x' },
      ],
      new Date('2026-01-01'),
    );
    const verdict = check(report, policy({ failOn: 'medium', ignoreUnfixed: true }), ignores);
    expect(verdict.ignored.length).toBeGreaterThan(0);
    const ref = referenceCounted(findings, policy({ ignoreUnfixed: true }), new Set(['CVE-2024-1', 'CVE-2024-7']));
    expect(verdict.counted).toEqual(ref.counted);
    expect(verdict.counts).toMatchObject(ref.counts);
  });

  it(`past SARIF's ${SARIF_MAX_RESULTS}-result cap, with an id in more than 8 packages whose severity rises`, () => {
    const set = new FindingSet();
    for (const f of trickyFindings(SARIF_MAX_RESULTS + 10_000, 7)) set.add(f);
    // one id in 12 packages (FindingSet's list of 8 becomes a map), each seen twice; a later one is CRITICAL
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < 12; i++)
        set.add({
          id: 'CVE-MANY',
          pkg: `many-${i}`,
          installed: '1',
          fixed: round ? '2' : '',
          severity: i === 11 ? 'CRITICAL' : 'LOW',
          title: 'many "packages"',
          url: 'https://x/many',
          targets: [`target ${round}`],
        });
    const big: ScanReport = { artifact: 'big', scanner: 'Trivy', findings: set.list() };
    const verdict = check(big, policy({ failOn: 'high' }));
    expect(verdict.counted.length).toBeGreaterThan(SARIF_MAX_RESULTS);
    const many = verdict.counted.filter((f) => f.id === 'CVE-MANY');
    expect(many).toHaveLength(12);
    expect(many.every((f) => f.fixed === '2' && f.targets.length === 2)).toBe(true);
    check(big, policy({ failOn: 'none' }));
  });

  it('a target holding a lone surrogate is located at U+FFFD (encodeURI threw on it)', () => {
    const f: Finding = { ...trickyFindings(1, 1)[0], targets: ['a\uD83Db', '\uDE00x', 'ok😀'] };
    const sarif = JSON.parse([...renderSarif({ artifact: 'a', scanner: 's', findings: [f] }, [f], info)].join(''));
    expect(sarif.runs[0].results[0].locations.map((l: any) => l.physicalLocation.artifactLocation.uri)).toEqual([
      'a%EF%BF%BDb',
      '%EF%BF%BDx',
      'ok%F0%9F%98%80',
    ]);
  });

  it('with no findings', () => {
    check({ artifact: '', scanner: '', findings: [] }, policy({}));
  });
});
