/**
 * The gate never passes on a report it could not read: every field that decides the verdict is checked, and the
 * error names the JSON path and what was expected.
 */
import { fromHarborReport } from '../../shared/report/harbor-report';
import { ReportShapeError } from '../../shared/report/shape';
import { parseTrivyReport } from '../../shared/report/trivy-json';

const vuln = { VulnerabilityID: 'CVE-2024-1', PkgName: 'openssl', InstalledVersion: '1', Severity: 'HIGH' };
const trivy = (results: unknown, extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ SchemaVersion: 2, ArtifactName: 'a', Results: results, ...extra }));

describe('Trivy reports of the wrong shape are refused with the JSON path', () => {
  it.each([
    ['Results is a string', trivy('lots'), '$.Results must be an array (found string "lots")'],
    ['a result is a number', trivy([1]), '$.Results[0] must be an object (found number 1)'],
    [
      'Vulnerabilities is a string',
      trivy([{ Target: 't', Vulnerabilities: 'lots' }]),
      '$.Results[0].Vulnerabilities must be an array (found string "lots")',
    ],
    [
      'Severity is a number',
      trivy([{ Target: 't', Vulnerabilities: [vuln, { ...vuln, Severity: 5 }] }]),
      '$.Results[0].Vulnerabilities[1].Severity must be one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN (found number 5)',
    ],
    [
      'Severity is an unknown word',
      trivy([{ Vulnerabilities: [{ ...vuln, Severity: 'SEVERE' }] }]),
      '$.Results[0].Vulnerabilities[0].Severity must be one of',
    ],
    [
      'a vulnerability is null',
      trivy([{ Vulnerabilities: [null] }]),
      '$.Results[0].Vulnerabilities[0] must be an object (found null)',
    ],
    [
      'VulnerabilityID is missing',
      trivy([{ Vulnerabilities: [{ ...vuln, VulnerabilityID: undefined }] }]),
      '$.Results[0].Vulnerabilities[0].VulnerabilityID must be a non-empty string',
    ],
    [
      'PkgName is a number',
      trivy([{ Vulnerabilities: [{ ...vuln, PkgName: 3 }] }]),
      '$.Results[0].Vulnerabilities[0].PkgName must be a non-empty string (found number 3)',
    ],
    [
      'Target is an object',
      trivy([{ Target: {}, Vulnerabilities: [] }]),
      '$.Results[0].Target must be a string (found an object)',
    ],
    ['Trivy is a string', trivy([], { Trivy: 'x' }), '$.Trivy must be an object'],
    ['ArtifactName is a number', trivy([], { ArtifactName: 1 }), '$.ArtifactName must be a string'],
  ])('%s', (_name, buf, message) => {
    expect(() => parseTrivyReport(buf)).toThrow(ReportShapeError);
    expect(() => parseTrivyReport(buf)).toThrow(message);
  });

  it('absent or null Results and Vulnerabilities mean nothing found (Trivy omits them)', () => {
    expect(parseTrivyReport(trivy(null)).findings).toEqual([]);
    expect(parseTrivyReport(Buffer.from('{"SchemaVersion":2}')).findings).toEqual([]);
    expect(parseTrivyReport(trivy([{ Target: 't', Vulnerabilities: null }])).findings).toEqual([]);
    expect(
      parseTrivyReport(trivy([{ Target: 't', Vulnerabilities: [{ ...vuln, Severity: 'high' }] }])).findings,
    ).toHaveLength(1);
  });
});

describe('Harbor reports of the wrong shape are refused with the JSON path', () => {
  const item = { id: 'CVE-1', package: 'p', version: '1', severity: 'High' };
  it.each([
    ['vulnerabilities is a string', { vulnerabilities: 'lots' }, '$.vulnerabilities must be an array'],
    [
      'severity is a number',
      { vulnerabilities: [item, { ...item, severity: 5 }] },
      '$.vulnerabilities[1].severity must be one of Unknown, None, Negligible, Low, Medium, High, Critical (found number 5)',
    ],
    ['an item is a string', { vulnerabilities: ['x'] }, '$.vulnerabilities[0] must be an object'],
    [
      'id missing',
      { vulnerabilities: [{ ...item, id: undefined }] },
      '$.vulnerabilities[0].id must be a non-empty string',
    ],
    ['report is an array', [], '$ must be an object'],
  ])('%s', (_name, report, message) => {
    expect(() => fromHarborReport(report as never, 'p/r@sha256:x')).toThrow(message);
  });
});
