import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IgnoreList, parseIgnoreEntries, readIgnoreFile } from '../../shared/report/ignore-file';
import type { Finding, ScanReport } from '../../shared/report/model';
import { evaluate, type Policy } from '../../shared/report/policy';
import type { Severity } from '../../shared/report/severity';

const names = { failOn: 'fail-on', max: (s: string) => `max-${s.toLowerCase()}` };
let n = 0;
const finding = (severity: Severity, fixed = '1.1', id = `CVE-2024-${1000 + ++n}`): Finding => ({
  id,
  pkg: `pkg${n}`,
  installed: '1.0',
  fixed,
  severity,
  title: '',
  url: '',
  targets: ['t'],
});
const report = (...findings: Finding[]): ScanReport => ({ artifact: 'img', scanner: 'Trivy', findings });
const policy = (p: Partial<Policy> = {}): Policy => ({ failOn: 'high', max: {}, ignoreUnfixed: false, ...p });

describe('policy', () => {
  const mixed = report(
    finding('CRITICAL'),
    finding('HIGH'),
    finding('HIGH', ''),
    finding('MEDIUM'),
    finding('LOW', ''),
    finding('UNKNOWN'),
  );

  it('fails on any finding at or above fail-on, and names the counts and the rule', () => {
    const v = evaluate(mixed, policy(), IgnoreList.empty(), names);
    expect(v.passed).toBe(false);
    expect(v.reason).toBe(
      'Vulnerability gate failed: 1 critical > 0 allowed (fail-on: high), 2 high > 0 allowed (fail-on: high)',
    );
    expect(v.counts).toEqual({ CRITICAL: 1, HIGH: 2, MEDIUM: 1, LOW: 1, UNKNOWN: 1, total: 6, fixable: 4, ignored: 0 });
  });

  it.each([
    ['critical', false, ['CRITICAL']],
    ['medium', false, ['CRITICAL', 'HIGH', 'MEDIUM']],
    ['unknown', false, ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']],
    ['none', true, []],
  ] as const)('fail-on %s', (failOn, passed, broken) => {
    const v = evaluate(mixed, policy({ failOn }), IgnoreList.empty(), names);
    expect(v.passed).toBe(passed);
    expect(v.violations.map((x) => x.severity)).toEqual(broken);
  });

  it('passes when nothing reaches the threshold and says what was checked', () => {
    const v = evaluate(report(finding('MEDIUM'), finding('LOW')), policy(), IgnoreList.empty(), names);
    expect(v.passed).toBe(true);
    expect(v.reason).toBe(
      'Vulnerability gate passed: 0 critical <= 0 allowed (fail-on: high), 0 high <= 0 allowed (fail-on: high)',
    );
  });

  it('a max allows that many of a severity at or above fail-on, and gates one below it', () => {
    const within = evaluate(
      mixed,
      policy({ failOn: 'critical', max: { CRITICAL: 1, MEDIUM: 1 } }),
      IgnoreList.empty(),
      names,
    );
    expect(within.passed).toBe(true);
    expect(within.rules.map((r) => `${r.severity}:${r.limit}`)).toEqual(['CRITICAL:1', 'MEDIUM:1']);
    const over = evaluate(mixed, policy({ failOn: 'none', max: { HIGH: 1 } }), IgnoreList.empty(), names);
    expect(over.passed).toBe(false);
    expect(over.reason).toBe('Vulnerability gate failed: 2 high > 1 allowed (max-high: 1)');
  });

  it('max 0 with fail-on none is the same as fail-on for that severity alone', () => {
    const v = evaluate(mixed, policy({ failOn: 'none', max: { LOW: 0 } }), IgnoreList.empty(), names);
    expect(v.violations).toEqual([{ severity: 'LOW', limit: 0, count: 1, source: 'max-low: 0' }]);
  });

  it('ignore-unfixed and the ignore file take findings out of every count and are listed as ignored', () => {
    const ignores = new IgnoreList(
      parseIgnoreEntries('cve-2030-0001 # accepted risk, ticket 42\n', 'ignore-file'),
      new Date(),
    );
    const r = report(finding('CRITICAL', '2.0', 'CVE-2030-0001'), finding('HIGH', ''), finding('LOW'));
    const v = evaluate(r, policy({ ignoreUnfixed: true }), ignores, names);
    expect(v.passed).toBe(true);
    expect(v.counts).toMatchObject({ CRITICAL: 0, HIGH: 0, LOW: 1, total: 1, fixable: 1, ignored: 2 });
    expect(v.ignored.map((i) => [i.finding.id, i.entry?.line, i.entry?.comment])).toEqual([
      ['CVE-2030-0001', 1, 'accepted risk, ticket 42'],
      [r.findings[1].id, undefined, undefined],
    ]);
  });
});

describe('ignore file', () => {
  const text = [
    '# exceptions for the base image',
    'CVE-2019-18276',
    '',
    'CVE-2019-1549 exp:2026-11-27   # until the rebuild',
    'CVE-2019-1551 exp:2026-11-26',
    '  GHSA-xxxx-yyyy-zzzz  ',
  ].join('\n');

  it('parses ids, comments and expiry dates', () => {
    expect(parseIgnoreEntries(text, 'ignore-file')).toEqual([
      { id: 'CVE-2019-18276', line: 2, comment: '' },
      { id: 'CVE-2019-1549', line: 4, comment: 'until the rebuild', expires: '2026-11-27' },
      { id: 'CVE-2019-1551', line: 5, comment: '', expires: '2026-11-26' },
      { id: 'GHSA-xxxx-yyyy-zzzz', line: 6, comment: '' },
    ]);
  });

  it('expires an entry at 00:00 UTC on its date, as Trivy does', () => {
    const list = new IgnoreList(parseIgnoreEntries(text, 'ignore-file'), new Date('2026-11-26T00:00:00Z'));
    expect(list.expired.map((e) => e.id)).toEqual(['CVE-2019-1551']);
    expect(list.match('CVE-2019-1551')).toBeUndefined();
    expect(list.match('cve-2019-1549')?.line).toBe(4);
    const earlier = new IgnoreList(parseIgnoreEntries(text, 'ignore-file'), new Date('2026-11-25T23:59:59Z'));
    expect(earlier.expired).toEqual([]);
  });

  it('reports entries that matched nothing', () => {
    const list = new IgnoreList(parseIgnoreEntries(text, 'ignore-file'), new Date('2026-01-01T00:00:00Z'));
    list.match('CVE-2019-18276');
    expect(list.unused().map((e) => e.id)).toEqual(['CVE-2019-1549', 'CVE-2019-1551', 'GHSA-xxxx-yyyy-zzzz']);
  });

  it.each(['CVE-1 exp:2026-13-01', 'CVE-1 exp:2026-02-30', 'CVE-1 exp:26-01-01', 'CVE-1 exp:'])(
    'rejects %s naming the input and line',
    (line) => {
      expect(() => parseIgnoreEntries(`# x\n${line}`, 'ignoreFile')).toThrow(
        /^ignoreFile line 2: 'exp:.*' must be exp:YYYY-MM-DD$/,
      );
    },
  );
});

describe('ignore file in the .trivyignore.yaml format', () => {
  const temp = mkdtempSync(join(tmpdir(), 'ignore-yaml-'));
  const write = (text: string) => {
    const file = join(temp, '.trivyignore.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('reads vulnerabilities with statement and expired_at; other sections are not for the gate', () => {
    const file = write(
      [
        'misconfigurations:',
        '  - id: AVD-DS-0002',
        'vulnerabilities:',
        '  - id: CVE-2022-40897',
        '    statement: Accept the risk',
        '  - id: CVE-2023-2650',
        '    expired_at: 2023-09-01',
        '',
      ].join('\n'),
    );
    const list = readIgnoreFile(file, 'ignore-file', new Date('2026-01-01T00:00:00Z'));
    expect([...list.active.values()]).toEqual([{ id: 'CVE-2022-40897', line: 4, comment: 'Accept the risk' }]);
    expect(list.expired).toEqual([{ id: 'CVE-2023-2650', line: 6, comment: '', expires: '2023-09-01' }]);
  });

  it.each([
    [
      'vulnerabilities:\n  - id: CVE-1\n    paths: ["usr/lib/x"]\n',
      'ignore-file line 2: CVE-1 is limited to paths or purls, which the gate cannot match; list the id without them or remove the entry',
    ],
    ['vulnerabilities:\n  - statement: no id\n', 'ignore-file line 2: each vulnerabilities entry needs an id'],
    [
      'vulnerabilities:\n  - id: CVE-1\n    expired_at: soon\n',
      "ignore-file line 2: expired_at 'soon' must be YYYY-MM-DD",
    ],
    ['vulnerabilities: CVE-1\n', 'ignore-file: vulnerabilities must be a list of entries with an id'],
    ['vulnerabilities: [\n', /^ignore-file is not valid YAML: /],
  ])('rejects %j with one line', (text, message) => {
    expect(() => readIgnoreFile(write(text), 'ignore-file', new Date())).toThrow(message);
  });
});
