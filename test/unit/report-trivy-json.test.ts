import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTrivyReport } from '../../bench/trivy-gate/generate-report';
import { JsonSlices } from '../../shared/report/json-slices';
import { parseTrivyReport, readTrivyReport } from '../../shared/report/trivy-json';
import { referenceNames, referencePath } from '../reference';

const temp = mkdtempSync(join(tmpdir(), 'trivy-json-'));

/** What the reader must produce, computed with JSON.parse over the whole document. */
function viaJsonParse(text: string) {
  const raw = JSON.parse(text);
  const out = new Map<string, string[]>();
  for (const r of raw.Results ?? []) {
    for (const v of r.Vulnerabilities ?? []) {
      const key = `${v.VulnerabilityID}|${v.PkgName}|${v.InstalledVersion}`;
      const targets = out.get(key) ?? [];
      if (!targets.includes(r.Target)) targets.push(r.Target);
      out.set(key, targets);
    }
  }
  return out;
}

function viaReader(buf: Buffer) {
  return new Map(parseTrivyReport(buf).findings.map((f) => [`${f.id}|${f.pkg}|${f.installed}`, f.targets]));
}

describe('Trivy JSON reader', () => {
  it.each(referenceNames('trivy').filter((f) => f.endsWith('.json')))('reads %s like JSON.parse does', (file) => {
    const buf = readFileSync(referencePath('trivy', file));
    expect(viaReader(buf)).toEqual(viaJsonParse(buf.toString('utf8')));
  });

  it('reads a generated multi-target report with repeats like JSON.parse does', () => {
    const file = join(temp, 'gen.json');
    generateTrivyReport(file, 3000, 7);
    const buf = readFileSync(file);
    const expected = viaJsonParse(buf.toString('utf8'));
    expect(expected.size).toBeLessThan(3000); // the generator repeats some findings across targets
    expect(viaReader(buf)).toEqual(expected);
  });

  it('keeps the fields the gate reports, title, link and fix', () => {
    const report = parseTrivyReport(readFileSync(referencePath('trivy', 'debian-buster.json')));
    expect(report.artifact).toBe('testdata/fixtures/images/debian-buster.tar.gz');
    expect(report.scanner).toBe('Trivy dev');
    expect(report.findings.find((f) => f.id === 'CVE-2019-18224')).toEqual({
      id: 'CVE-2019-18224',
      pkg: 'libidn2-0',
      installed: '2.0.5-1',
      fixed: '2.0.5-1+deb10u1',
      severity: 'CRITICAL',
      title: 'libidn2: heap-based buffer overflow in idn2_to_ascii_4i in lib/lookup.c',
      url: 'https://avd.aquasec.com/nvd/cve-2019-18224',
      targets: ['testdata/fixtures/images/debian-buster.tar.gz (debian 10.1)'],
    });
  });

  it('is not fooled by quotes, backslashes, brackets and non-ASCII text inside strings', () => {
    const tricky = {
      '\\"Results\\"': [{ Vulnerabilities: [{ VulnerabilityID: 'fake' }] }],
      SchemaVersion: 2,
      Metadata: { note: 'a "quoted" ] } [ { text\\', path: 'C:\\dir\\' },
      Results: [
        {
          Vulnerabilities: [
            {
              VulnerabilityID: 'CVE-1',
              PkgName: 'p"k\\g',
              InstalledVersion: '1',
              Severity: 'HIGH',
              Title: 'ends with a backslash \\',
            },
            {
              VulnerabilityID: 'CVE-2',
              PkgName: 'ünïcødé 🚀',
              InstalledVersion: '2',
              Severity: 'low',
              Description: '}]},{"x":[',
            },
          ],
          Target: 'target "with" quotes',
        },
      ],
    };
    const text = `\uFEFF  ${JSON.stringify(tricky, null, 2)}\n`;
    const report = parseTrivyReport(Buffer.from(text, 'utf8'));
    expect(report.findings.map((f) => [f.id, f.pkg, f.severity, f.targets[0]])).toEqual([
      ['CVE-1', 'p"k\\g', 'HIGH', 'target "with" quotes'],
      ['CVE-2', 'ünïcødé 🚀', 'LOW', 'target "with" quotes'],
    ]);
  });

  it('reports truncated or malformed files with the input name and a byte offset', () => {
    const good = readFileSync(referencePath('trivy', 'alpine-310.json'), 'utf8');
    const truncated = join(temp, 'truncated.json');
    writeFileSync(truncated, good.slice(0, good.length / 2));
    expect(() => readTrivyReport(truncated, 'report-file')).toThrow(
      /^report-file .*truncated\.json is not valid JSON: .* at byte \d+$/,
    );
    const garbage = join(temp, 'garbage.json');
    writeFileSync(garbage, '{"SchemaVersion": 2, "Results": [ {"Vulnerabilities": [ {"VulnerabilityID": nope} ]} ]}');
    expect(() => readTrivyReport(garbage, 'report-file')).toThrow(
      /is not valid JSON: invalid JSON value .* at byte \d+/,
    );
    const trailing = join(temp, 'trailing.json');
    writeFileSync(trailing, '{"SchemaVersion": 2} {}');
    expect(() => readTrivyReport(trailing, 'report-file')).toThrow(/unexpected data after the report at byte 21/);
  });

  it('says what is wrong with files that are not SchemaVersion 2 Trivy JSON', () => {
    const cases: [string, RegExp][] = [
      ['[]', /is not a Trivy JSON report/],
      ['{"Results": []}', /no SchemaVersion/],
      ['{"SchemaVersion": 1, "Results": []}', /SchemaVersion 1; only SchemaVersion 2/],
      [readFileSync(referencePath('trivy', 'sarif/alpine-310.sarif.json'), 'utf8'), /no SchemaVersion/],
    ];
    for (const [text, message] of cases) {
      const file = join(temp, 'x.json');
      writeFileSync(file, text);
      expect(() => readTrivyReport(file, 'report-file')).toThrow(message);
    }
    expect(() => readTrivyReport(join(temp, 'missing.json'), 'reportFile')).toThrow(
      /^Cannot read reportFile .*missing\.json: no such file$/,
    );
  });

  it('skips values it does not read without parsing them', () => {
    const text = '{"a": [1, {"b": "}"}], "c": true, "d": -1.5e3 }';
    const json = new JsonSlices(Buffer.from(text));
    const seen: string[] = [];
    const end = json.members(0, (key, pos) => {
      seen.push(`${key}@${pos}`);
      return json.skip(pos);
    });
    expect(seen).toEqual([`a@${text.indexOf('[')}`, `c@${text.indexOf('true')}`, `d@${text.indexOf('-1.5e3')}`]);
    expect(end).toBe(json.buf.length);
  });
});
