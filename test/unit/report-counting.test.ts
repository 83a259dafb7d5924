import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCapability } from '../../shared/capability';
import gate from '../../shared/capabilities/trivy-gate';
import { fromHarborReport } from '../../shared/report/harbor-report';
import { FindingSet, type Finding } from '../../shared/report/model';
import { FakePlatform } from '../support/fake-platform';
import { seededRandom } from '../support/seeded-random';
import { referenceNames, referencePath } from '../reference';

const files = referenceNames('trivy').filter((f) => f.endsWith('.json'));

/**
 * The acceptance check: counts computed here straight from the raw JSON, with none of the gate's code. A finding is
 * unique by (VulnerabilityID, PkgName, InstalledVersion) across all Results; repeats keep their worst severity;
 * ignore-unfixed drops occurrences without a FixedVersion.
 */
function expectedCounts(raw: any, ignoreUnfixed: boolean): Record<string, number> {
  const order = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
  const unique = new Map<string, { severity: string; fixed: boolean }>();
  let occurrences = 0;
  for (const result of raw.Results ?? []) {
    for (const v of result.Vulnerabilities ?? []) {
      occurrences++;
      const fixed = Boolean(v.FixedVersion);
      if (ignoreUnfixed && !fixed) continue;
      const severity = order.includes(v.Severity) ? v.Severity : 'UNKNOWN';
      const key = JSON.stringify([v.VulnerabilityID, v.PkgName, v.InstalledVersion]);
      const seen = unique.get(key);
      if (!seen) unique.set(key, { severity, fixed });
      else
        unique.set(key, {
          severity: order.indexOf(severity) > order.indexOf(seen.severity) ? severity : seen.severity,
          fixed: seen.fixed || fixed,
        });
    }
  }
  const counts: Record<string, number> = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
    unknown: 0,
    total: unique.size,
    fixable: 0,
  };
  for (const { severity, fixed } of unique.values()) {
    counts[severity.toLowerCase()]++;
    if (fixed) counts.fixable++;
  }
  const all = new Set<string>();
  for (const result of raw.Results ?? [])
    for (const v of result.Vulnerabilities ?? [])
      all.add(JSON.stringify([v.VulnerabilityID, v.PkgName, v.InstalledVersion]));
  counts.ignored = all.size - unique.size;
  expect(occurrences).toBeGreaterThanOrEqual(all.size);
  return counts;
}

async function gateCounts(file: string, ignoreUnfixed: boolean): Promise<Record<string, string>> {
  const platform = new FakePlatform({
    'report-file': file,
    'ignore-unfixed': String(ignoreUnfixed),
    'fail-on': 'none',
  });
  await runCapability(gate, platform);
  expect(platform.result?.result).toBe('succeeded');
  return platform.outputs;
}

describe('trivy-gate counts equal counts computed from the raw Trivy JSON', () => {
  it('has reference reports to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  for (const file of files) {
    for (const ignoreUnfixed of [false, true]) {
      it(`${file}, ignore-unfixed ${ignoreUnfixed}`, async () => {
        const raw = JSON.parse(readFileSync(referencePath('trivy', file), 'utf8'));
        const expected = expectedCounts(raw, ignoreUnfixed);
        const outputs = await gateCounts(referencePath('trivy', file), ignoreUnfixed);
        const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, Number(outputs[k])]));
        expect(actual).toEqual(expected);
        expect(outputs.result).toBe('passed');
      });
    }
  }

  it('counts a finding repeated across targets once, at its worst severity', async () => {
    const vuln = (severity: string, fixed?: string) => ({
      VulnerabilityID: 'CVE-2024-0001',
      PkgName: 'zlib',
      InstalledVersion: '1.2.13',
      FixedVersion: fixed,
      Severity: severity,
    });
    const report = {
      SchemaVersion: 2,
      ArtifactName: 'img',
      Results: [
        { Target: 'a', Vulnerabilities: [vuln('LOW'), { ...vuln('LOW'), InstalledVersion: '1.2.12' }] },
        { Target: 'b', Vulnerabilities: [vuln('HIGH', '1.2.14')] },
        { Target: 'c' },
      ],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'trivy-gate-')), 'dupes.json');
    writeFileSync(file, JSON.stringify(report));
    const platform = new FakePlatform({ 'report-file': file, 'fail-on': 'none' });
    await runCapability(gate, platform);
    expect(platform.outputs).toMatchObject({ total: '2', high: '1', low: '1', fixable: '1' });
    expect(expectedCounts(report, false)).toMatchObject({ total: 2, high: 1, low: 1, fixable: 1 });
  });
});

describe("Harbor's severities", () => {
  it('map onto Trivy’s as docs/trivy-gate.md says: Negligible and None (Harbor’s rewrite of Negligible) are LOW, Unknown is UNKNOWN', () => {
    const words = ['Critical', 'High', 'Medium', 'Low', 'Negligible', 'Unknown', 'None', 'CRITICAL'];
    const report = fromHarborReport(
      { vulnerabilities: words.map((severity, i) => ({ id: `CVE-2024-${i}`, package: 'p', version: '1', severity })) },
      'library/app@sha256:abc',
    );
    expect(Object.fromEntries(report.findings.map((f) => [words[Number(f.id.slice(-1))], f.severity]))).toEqual({
      Critical: 'CRITICAL',
      High: 'HIGH',
      Medium: 'MEDIUM',
      Low: 'LOW',
      Negligible: 'LOW',
      Unknown: 'UNKNOWN',
      None: 'LOW',
      CRITICAL: 'CRITICAL',
    });
  });
});

describe('FindingSet', () => {
  const finding = (id: string, pkg: string, installed: string, targets: string[], extra: Partial<Finding> = {}) => ({
    id,
    pkg,
    installed,
    fixed: '',
    severity: 'LOW' as const,
    title: '',
    url: '',
    targets,
    ...extra,
  });

  it('keeps findings unique by id, package and version, in the order first seen, whichever comes first', () => {
    const set = new FindingSet();
    const shared = ['a'];
    // CVE-1 in two packages and two versions, each repeated in target b; CVE-2 once.
    set.add(finding('CVE-1', 'p', '1', shared));
    set.add(finding('CVE-1', 'q', '1', shared));
    set.add(finding('CVE-2', 'p', '1', shared));
    set.add(finding('CVE-1', 'p', '2', shared));
    set.add(finding('CVE-1', 'q', '1', ['b'], { severity: 'HIGH', fixed: '1.1', url: 'u', title: 't' }));
    set.add(finding('CVE-1', 'p', '1', ['b'], { severity: 'MEDIUM' }));
    set.add(finding('CVE-1', 'p', '2', ['b']));
    set.add(finding('CVE-1', 'p', '2', ['a', 'b']));
    const list = set.list();
    expect(set.size).toBe(4);
    expect(list.map((f) => [f.id, f.pkg, f.installed, f.severity, f.fixed, f.targets])).toEqual([
      ['CVE-1', 'p', '1', 'MEDIUM', '', ['a', 'b']],
      ['CVE-1', 'q', '1', 'HIGH', '1.1', ['a', 'b']],
      ['CVE-2', 'p', '1', 'LOW', '', ['a']],
      ['CVE-1', 'p', '2', 'LOW', '', ['a', 'b']],
    ]);
    expect(list[1]).toMatchObject({ url: 'u', title: 't' });
    // Findings of one result share their targets array; a repeat elsewhere must not add to it.
    expect(shared).toEqual(['a']);
  });

  it('equals a set keyed by id, package and version on many ids with 1 to 20 packages, repeated anywhere', () => {
    const random = seededRandom(9);
    const rank = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
    const expected = new Map<string, Finding>();
    const set = new FindingSet();
    // 5 000 adds (past the first growth of the chain table) over 400 ids: each id in up to 20 packages × 2 versions,
    // so chains of every length up to the switch to a map at 8, and repeats before and after it.
    for (let i = 0; i < 5_000; i++) {
      const id = `CVE-${Math.floor(random() * 400)}`;
      const packages = 1 + (Number(id.slice(4)) % 20);
      const f = finding(
        id,
        `p${Math.floor(random() * packages)}`,
        String(Math.floor(random() * 2)),
        [`t${Math.floor(random() * 3)}`],
        {
          severity: rank[Math.floor(random() * 5)],
          fixed: random() < 0.3 ? `fix${i}` : '',
          url: random() < 0.3 ? `u${i}` : '',
          title: random() < 0.3 ? `title${i}` : '',
        },
      );
      const key = JSON.stringify([f.id, f.pkg, f.installed]);
      const seen = expected.get(key);
      if (!seen) expected.set(key, { ...f, targets: [...f.targets] });
      else {
        for (const t of f.targets) if (!seen.targets.includes(t)) seen.targets.push(t);
        if (rank.indexOf(f.severity) > rank.indexOf(seen.severity)) seen.severity = f.severity;
        seen.fixed ||= f.fixed;
        seen.url ||= f.url;
        seen.title ||= f.title;
      }
      set.add(f);
    }
    expect(set.size).toBe(expected.size);
    expect(set.list()).toEqual([...expected.values()]);
  });

  it('finds repeats of an id found in many packages and versions (past the short list) in order', () => {
    const set = new FindingSet();
    const pkgs = Array.from({ length: 30 }, (_, i) => `pkg-${i}`);
    for (const pkg of pkgs) for (const v of ['1', '2']) set.add(finding('CVE-9', pkg, v, ['a']));
    for (const pkg of pkgs.slice().reverse()) set.add(finding('CVE-9', pkg, '2', ['b'], { severity: 'CRITICAL' }));
    const list = set.list();
    expect(list.map((f) => `${f.pkg}@${f.installed}`)).toEqual(pkgs.flatMap((p) => [`${p}@1`, `${p}@2`]));
    expect(list.map((f) => `${f.severity} ${f.targets.join('+')}`)).toEqual(
      pkgs.flatMap(() => ['LOW a', 'CRITICAL a+b']),
    );
  });
});
