import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runCapability } from '../../shared/capability';
import gate from '../../shared/capabilities/trivy-gate';
import { fromHarborReport } from '../../shared/report/harbor-report';
import type { Finding } from '../../shared/report/model';
import { renderSarif, SARIF_MAX_RESULTS } from '../../shared/report/sarif';
import { FakePlatform } from '../support/fake-platform';
import { referenceNames, referencePath } from '../reference';

const temp = mkdtempSync(join(tmpdir(), 'trivy-gate-reports-'));

/**
 * The SARIF 2.1.0 schema Microsoft's SARIF Multitool validates with, from its npm package (a pinned devDependency):
 * the schema comes from the registry, not a copy in this repository.
 */
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(
  JSON.parse(readFileSync(require.resolve('@microsoft/sarif-multitool-linux/sarif-2.1.0.json'), 'utf8')),
);

async function gateWithReports(file: string, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(temp, 'run-'));
  const platform = new FakePlatform({
    'report-file': file,
    'sarif-file': join(dir, 'out/trivy.sarif'),
    'junit-file': join(dir, 'out/junit.xml'),
    'json-file': join(dir, 'out/findings.json'),
    ...extra,
  });
  await runCapability(gate, platform);
  const read = (name: string) => readFileSync(join(dir, 'out', name), 'utf8');
  return {
    platform,
    sarif: JSON.parse(read('trivy.sarif')),
    junit: read('junit.xml'),
    findings: JSON.parse(read('findings.json')),
  };
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase'].includes(name),
});

describe('reports', () => {
  it.each(referenceNames('trivy').filter((f) => f.endsWith('.json')))(
    '%s: SARIF validates against the 2.1.0 schema; JUnit and JSON agree with the counts',
    async (file) => {
      const { platform, sarif, junit, findings } = await gateWithReports(referencePath('trivy', file), {
        'fail-on': 'medium',
      });
      expect(validateSarif(sarif)).toBe(true);
      expect(validateSarif.errors ?? []).toEqual([]);
      // the schema check has teeth: a level SARIF does not define is rejected
      expect(
        validateSarif({
          ...sarif,
          runs: [
            { ...sarif.runs[0], results: [{ ...sarif.runs[0].results[0], level: 'fatal', message: { text: 'x' } }] },
          ],
        }),
      ).toBe(false);

      const run = sarif.runs[0];
      const ids = run.results.map((r: { ruleId: string }) => r.ruleId);
      expect(run.results).toHaveLength(Number(platform.outputs.total));
      expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([...new Set(ids)]);
      for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);

      expect(XMLValidator.validate(junit)).toBe(true);
      const suites = xml.parse(junit).testsuites.testsuite;
      const cases = suites.flatMap((s: { testcase?: unknown[] }) => s.testcase ?? []);
      const gated = ['critical', 'high', 'medium'].reduce((sum, s) => sum + Number(platform.outputs[s]), 0);
      expect(cases).toHaveLength(gated + 1); // one per finding at or above medium, plus the policy testcase
      expect(cases.filter((c: { failure?: unknown }) => c.failure)).toHaveLength(gated === 0 ? 0 : gated + 1);

      expect(findings.counts).toEqual(
        Object.fromEntries(Object.keys(findings.counts).map((k) => [k, Number(platform.outputs[k])])),
      );
      expect(findings.findings).toHaveLength(Number(platform.outputs.total));
      expect(findings.result).toBe(platform.outputs.result);
    },
  );

  it('SARIF: levels and security-severity follow the severity, results sit at the target', async () => {
    const { sarif } = await gateWithReports(referencePath('trivy', 'spring4shell-jre11.json'));
    const run = sarif.runs[0];
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'CVE-2022-22965');
    expect(rule.defaultConfiguration.level).toBe('error');
    expect(rule.properties['security-severity']).toBe('9.5');
    expect(rule.helpUri).toMatch(/^https:\/\//);
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'CVE-2022-22965');
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('Java');
    const { sarif: alpine } = await gateWithReports(referencePath('trivy', 'alpine-310.json'));
    const uris = new Set(alpine.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri));
    expect([...uris]).toEqual(['testdata/fixtures/images/alpine-310.tar.gz']);
    expect(alpine.runs[0].results.every((r: { level: string }) => r.level === 'warning')).toBe(true);
    // one CVE in two packages: two results, two fingerprints, one rule
    expect(new Set(alpine.runs[0].results.map((r: any) => r.partialFingerprints.primaryLocationLineHash)).size).toBe(4);
    expect(alpine.runs[0].tool.driver.rules).toHaveLength(2);
  });

  it('SARIF from a Harbor report validates too (locations at the artifact)', () => {
    const sample = JSON.parse(
      readFileSync(referencePath('harbor-scanner/harbor-additions-vulnerabilities.sample.json'), 'utf8'),
    );
    const report = fromHarborReport(
      sample['application/vnd.security.vulnerability.report; version=1.1'],
      'library/app@sha256:abc',
    );
    const sarif = JSON.parse(
      [...renderSarif(report, report.findings, { toolVersion: '1.0.0', informationUri: 'https://example.com' })].join(
        '',
      ),
    );
    expect(validateSarif(sarif)).toBe(true);
    expect(
      sarif.runs[0].results.map((r: any) => [r.ruleId, r.level, r.locations[0].physicalLocation.artifactLocation.uri]),
    ).toEqual([
      ['CVE-2011-3374', 'note', 'library/app@sha256:abc'],
      ['CVE-2020-22218', 'error', 'library/app@sha256:abc'],
    ]);
  });

  it(`SARIF keeps the ${SARIF_MAX_RESULTS} most severe results (GitHub's per-run limit) and says how many it dropped`, () => {
    const findings: Finding[] = Array.from({ length: SARIF_MAX_RESULTS + 10 }, (_, i) => ({
      id: `CVE-2024-${i % 300}`,
      pkg: `p${i}`,
      installed: '1',
      fixed: '',
      severity: i < SARIF_MAX_RESULTS ? 'HIGH' : 'LOW',
      title: '',
      url: '',
      targets: ['t'],
    }));
    const sarif = JSON.parse(
      [
        ...renderSarif({ artifact: 'a', scanner: 's', findings }, findings, {
          toolVersion: '1',
          informationUri: 'https://e.com',
        }),
      ].join(''),
    );
    expect(sarif.runs[0].results).toHaveLength(SARIF_MAX_RESULTS);
    expect(sarif.runs[0].results.every((r: { level: string }) => r.level === 'error')).toBe(true);
    expect(sarif.runs[0].properties.truncatedResults).toBe(10);
  });

  it('JUnit: findings within a max budget pass, the ones that broke a rule fail; XML special characters are escaped', async () => {
    const file = join(temp, 'special.json');
    const v = (id: string, severity: string) => ({
      VulnerabilityID: id,
      PkgName: 'a<b>&"c\'',
      InstalledVersion: '1\u0001',
      Severity: severity,
      Title: ']]> <x>',
    });
    writeFileSync(
      file,
      JSON.stringify({
        SchemaVersion: 2,
        ArtifactName: 'img',
        Results: [{ Target: 't&t', Vulnerabilities: [v('CVE-1', 'HIGH'), v('CVE-2', 'MEDIUM'), v('CVE-3', 'MEDIUM')] }],
      }),
    );
    const { junit, platform } = await gateWithReports(file, { 'fail-on': 'high', 'max-high': '1', 'max-medium': '1' });
    expect(platform.result?.message).toBe('Vulnerability gate failed: 2 medium > 1 allowed (max-medium: 1)');
    expect(XMLValidator.validate(junit)).toBe(true);
    const doc = xml.parse(junit).testsuites;
    const cases = doc.testsuite.flatMap((s: any) => s.testcase);
    expect(cases.map((c: any) => [c.name, Boolean(c.failure)])).toEqual([
      ['vulnerability policy for img', true],
      ['[HIGH] CVE-1 a<b>&"c\'@1', false],
      ['[MEDIUM] CVE-2 a<b>&"c\'@1', true],
      ['[MEDIUM] CVE-3 a<b>&"c\'@1', true],
    ]);
    expect(doc.testsuite[1].name).toBe('t&t');
    expect(doc.failures).toBe('3');
  });

  it('summary: verdict, counts, gated findings with links, ignored and expired entries', async () => {
    const ignore = join(temp, '.trivyignore');
    writeFileSync(ignore, 'CVE-2019-1549 exp:2999-01-01 # waiting for alpine 3.11\nCVE-2019-1551 exp:2020-01-01\n');
    const { platform } = await gateWithReports(referencePath('trivy', 'alpine-310.json'), {
      'fail-on': 'medium',
      'ignore-file': ignore,
    });
    const summary = platform.summaries.join('\n');
    expect(summary).toContain('## ❌ Vulnerability gate failed: testdata/fixtures/images/alpine-310.tar.gz');
    expect(summary).toContain('Vulnerability gate failed: 2 medium > 0 allowed (fail-on: medium)');
    expect(summary).toContain('| 0 | 0 | 2 | 0 | 0 | 2 | 2 | 2 |');
    expect(summary).toContain(
      '| 🟨 Medium | [CVE-2019-1551](https://avd.aquasec.com/nvd/cve-2019-1551) | libcrypto1.1 | 1.1.1c-r0 → 1.1.1d-r2 |',
    );
    expect(summary).toContain(
      '| Medium | [CVE-2019-1549](https://avd.aquasec.com/nvd/cve-2019-1549) | libssl1.1 1.1.1c-r0 | `ignore-file` line 1, until 2999-01-01: waiting for alpine 3.11 |',
    );
    expect(summary).toContain('| CVE-2019-1551 | 2020-01-01 | 2 |  |');
    expect(platform.messages('warning')).toEqual([
      'ignore-file line 2: the ignore of CVE-2019-1551 expired on 2020-01-01; it is counted again',
    ]);
    expect(platform.outputs).toMatchObject({ medium: '2', ignored: '2', result: 'failed' });
  });
});
