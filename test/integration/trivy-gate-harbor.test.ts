import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCapability } from '../../shared/capability';
import pushCapability from '../../shared/capabilities/push';
import { createGate } from '../../shared/capabilities/trivy-gate/run';
import { authHeader, HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { useContractCheck } from '../sandbox/jest-helpers';
import { makeImage } from '../sandbox/make-image';
import { request } from '../sandbox/net-utils';
import { skopeoCopy } from '../sandbox/skopeo';
import { FakePlatform } from '../support/fake-platform';
import { referenceNames, referencePath } from '../reference';
import { makeChart } from './push-fixtures';

jest.setTimeout(60_000);

const files = referenceNames('trivy').filter((f) => f.endsWith('.json'));
const COUNTS = ['critical', 'high', 'medium', 'low', 'unknown', 'total', 'fixable', 'ignored', 'result'];

/** The emulator's scans take ~0.2 s, so the gate polls at 50 ms doubling to 200 ms here. */
const gate = createGate({ pollInitialDelayMs: 50, pollMaxDelayMs: 200 });

let harbor: HarborEmulator;
const digests: Record<string, string> = {};

async function push(repository: string): Promise<void> {
  const image = makeImage({ tag: 'v1', seed: repository });
  await skopeoCopy(image.ref, `docker://${harbor.host}/${repository}:v1`, {
    dest: { host: harbor.host, ...harbor.internalCredentials },
  });
  digests[repository] = image.digest;
}

async function run(inputs: Record<string, string>, runner = gate): Promise<FakePlatform> {
  const platform = new FakePlatform({
    'harbor-url': harbor.url,
    username: harbor.admin.username,
    password: harbor.admin.password,
    ...inputs,
  });
  await runCapability(runner, platform);
  return platform;
}

const pick = (outputs: Record<string, string>) => Object.fromEntries(COUNTS.map((k) => [k, outputs[k]]));

beforeAll(async () => {
  harbor = await startHarborEmulator({ scanTimings: { queuedMs: 50, pendingMs: 50, runningMs: 100 } });
  const repos = [
    ...files.map((f) => `library/${f.replace(/\.json$/, '')}`),
    'library/team/api',
    'library/queued',
    'library/broken',
    'library/never',
    'library/again',
    'library/slow',
    'library/negligible',
    'library/raced',
  ];
  for (const repo of repos) await push(repo);
});

afterAll(async () => {
  await harbor?.stop();
});

useContractCheck(() => [harbor]);

describe('trivy-gate through Harbor gives the counts of the same report read from the file', () => {
  for (const file of files) {
    it(file, async () => {
      const repository = file.replace(/\.json$/, '');
      harbor.setScanFixture(`library/${repository}`, { trivy: file });
      for (const ignoreUnfixed of ['false', 'true']) {
        const policy = { 'fail-on': 'none', 'ignore-unfixed': ignoreUnfixed };
        const viaHarbor = await run({ project: 'library', repository, reference: 'v1', ...policy });
        const viaFile = await run({
          'harbor-url': '',
          username: '',
          password: '',
          'report-file': referencePath('trivy', file),
          ...policy,
        });
        expect(viaHarbor.result).toEqual({ result: 'succeeded', message: undefined });
        expect(pick(viaHarbor.outputs)).toEqual(pick(viaFile.outputs));
      }
      // scanned once (if-missing), then the finished report was reused
      expect(
        harbor.requests({ method: 'POST', path: new RegExp(`/repositories/${repository}/artifacts/[^/]+/scan$`) }),
      ).toHaveLength(1);
    });
  }
});

describe('trivy-gate Harbor path', () => {
  it("serves a scanner's Negligible as None (as Harbor stores it) and the gate counts it as LOW", async () => {
    // Harbor rewrites item severities before storing (src/pkg/scan/postprocessors/report_converters.go,
    // src/pkg/scan/vuln/severity.go ParseSeverityVersion3 at v2.15.2): Negligible → None.
    const item = {
      package: 'libx',
      version: '1',
      fix_version: '',
      description: '',
      links: [],
      preferred_cvss: { score_v3: null, score_v2: null, vector_v3: '', vector_v2: '' },
      cwe_ids: [],
      vendor_attributes: {},
    };
    harbor.setScanFixture('library/negligible', {
      report: {
        generated_at: new Date().toISOString(),
        scanner: { name: 'Clair', vendor: 'CoreOS', version: '4' },
        severity: 'Low',
        vulnerabilities: [
          { ...item, id: 'CVE-2024-0001', severity: 'Negligible' },
          { ...item, id: 'CVE-2024-0002', severity: 'Low' },
        ],
      },
    });
    const platform = await run({ project: 'library', repository: 'negligible', reference: 'v1', 'fail-on': 'low' });
    expect(platform.result?.result).toBe('failed');
    expect(pick(platform.outputs)).toMatchObject({ low: '2', unknown: '0', total: '2' });
    const { username, password } = harbor.admin;
    const response = await fetch(
      `${harbor.url}/api/v2.0/projects/library/repositories/negligible/artifacts/v1/additions/vulnerabilities`,
      {
        headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
      },
    );
    const served = Object.values(
      (await response.json()) as Record<string, { vulnerabilities: Array<{ id: string; severity: string }> }>,
    )[0];
    expect(served.vulnerabilities.map((v) => [v.id, v.severity])).toEqual([
      ['CVE-2024-0001', 'None'],
      ['CVE-2024-0002', 'Low'],
    ]);
  });

  it('double-encodes a repository name with / and gates the digest', async () => {
    harbor.setScanFixture('library/team/api', { trivy: 'spring4shell-jre11.json' });
    const platform = await run({ project: 'library', repository: 'team/api', reference: digests['library/team/api'] });
    expect(platform.result?.result).toBe('failed');
    expect(platform.result?.message).toBe('Vulnerability gate failed: 1 critical > 0 allowed (fail-on: high)');
    const paths = harbor.requests({ path: /\/api\/v2\.0\/projects\/library\/repositories\// }).map((r) => r.path);
    expect(paths.filter((p) => p.includes('team%252Fapi')).length).toBeGreaterThanOrEqual(3);
    expect(paths.filter((p) => p.includes('team/api') || p.includes('team%2Fapi/'))).toEqual([]);
    expect(platform.summaries[0]).toContain(`library/team/api@${digests['library/team/api']}`);
    const viaFile = await run({
      'harbor-url': '',
      username: '',
      password: '',
      'report-file': referencePath('trivy', 'spring4shell-jre11.json'),
    });
    expect(pick(platform.outputs)).toEqual(pick(viaFile.outputs));
  });

  it('waits through a scan that is queued (no scan_overview) before it runs', async () => {
    harbor.setScanTimings({ queuedMs: 400, pendingMs: 100, runningMs: 100 });
    harbor.setScanFixture('library/queued', { trivy: 'pip.json' });
    try {
      const platform = await run({ project: 'library', repository: 'queued', reference: 'v1', 'fail-on': 'critical' });
      expect(platform.result?.result).toBe('succeeded');
      expect(platform.outputs).toMatchObject({ high: '1', medium: '1', total: '2', result: 'passed' });
      const states = platform.messages('info').filter((m) => m.startsWith('Scan '));
      expect(states[0]).toMatch(/^Scan none \(queued or never scanned\) after \d+ s$/);
      expect(states[states.length - 1]).toMatch(/^Scan Success after/);
    } finally {
      harbor.setScanTimings({ queuedMs: 50, pendingMs: 50, runningMs: 100 });
    }
  });

  it('a scan that ends in Error is a scan error, not a policy verdict: fail, or warn with on-scan-error', async () => {
    harbor.setScanFixture('library/broken', { trivy: 'debian-buster.json', outcome: 'Error' });
    const failed = await run({ project: 'library', repository: 'broken', reference: 'v1' });
    expect(failed.result).toEqual({
      result: 'failed',
      message:
        'Harbor scan of library/broken@' +
        digests['library/broken'] +
        ' ended in Error; see the scanner log in Harbor (Interrogation Services)',
    });
    expect(failed.outputs.result).toBeUndefined();
    expect(failed.messages('info').join('\n')).toContain('[ERROR] scanner adapter failed');

    const reports = mkdtempSync(join(tmpdir(), 'gate-error-'));
    const warned = await run({
      project: 'library',
      repository: 'broken',
      reference: 'v1',
      'on-scan-error': 'warn',
      scan: 'never',
      'junit-file': join(reports, 'junit.xml'),
      'sarif-file': join(reports, 'trivy.sarif'),
    });
    expect(warned.result?.result).toBe('succeeded-with-issues');
    expect(warned.outputs).toEqual({ result: 'error' });
    expect(warned.messages('warning')[0]).toMatch(
      /ended in Error; .* \(on-scan-error: warn, so the step continues without a verdict\)$/,
    );
    // The test run shows the error; no SARIF, since an empty upload would close the open code scanning alerts.
    const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
    expect(junit).toContain('errors="1"');
    expect(junit).toMatch(
      /<error message="Harbor scan of library\/broken@sha256:[0-9a-f]{64} ended in Error; [^"]*" type="scan-error">/,
    );
    expect(existsSync(join(reports, 'trivy.sarif'))).toBe(false);
    expect(warned.messages('warning')[1]).toBe('sarif-file was not written: there is no verdict to report');
  });

  it('a scan started by someone else after the gate looked answers 409, and the gate waits for that scan', async () => {
    harbor.setScanTimings({ queuedMs: 0, pendingMs: 300, runningMs: 200 });
    harbor.setScanFixture('library/raced', { trivy: 'pip.json' });
    try {
      const scan = `${harbor.url}/api/v2.0/projects/library/repositories/raced/artifacts/v1/scan`;
      expect((await request(scan, { method: 'POST', headers: authHeader(harbor.admin) })).status).toBe(202);
      // The gate's first read happened just before that scan was requested: no overview yet.
      harbor.injectResponse({
        method: 'GET',
        path: /\/raced\/artifacts\/v1$/,
        body: (artifact) => ({ ...(artifact as object), scan_overview: undefined }),
      });
      const platform = await run({ project: 'library', repository: 'raced', reference: 'v1', 'fail-on': 'critical' });
      expect(platform.result?.result).toBe('succeeded');
      expect(platform.messages('info')).toContain('Harbor is already scanning it; waiting for that scan');
      expect(platform.outputs).toMatchObject({ high: '1', medium: '1', total: '2', result: 'passed' });
      expect(harbor.requests({ method: 'POST', path: /\/raced\/artifacts\/.*\/scan$/ }).map((r) => r.status)).toEqual([
        202, 409,
      ]);
    } finally {
      harbor.setScanTimings({ queuedMs: 50, pendingMs: 50, runningMs: 100 });
    }
  });

  it('a Helm chart is no image: Harbor has no report for it and refuses a scan, so the gate says so before asking', async () => {
    const chart = await makeChart('webapp', '0.1.0');
    const pushed = new FakePlatform({
      'harbor-url': harbor.url,
      username: harbor.admin.username,
      password: harbor.admin.password,
      project: 'library',
      source: `chart:${chart}`,
    });
    await runCapability(pushCapability, pushed);
    expect(pushed.result?.result).toBe('succeeded');
    const expected =
      'library/webapp:0.1.0 is a CHART artifact, and Harbor scans container images only (Harbor artifact type IMAGE); gate the images instead';
    for (const scan of ['if-missing', 'never']) {
      const platform = await run({ project: 'library', repository: 'webapp', reference: '0.1.0', scan });
      expect(platform.result).toEqual({ result: 'failed', message: expected });
    }
    const warned = await run({ project: 'library', repository: 'webapp', reference: '0.1.0', 'on-scan-error': 'warn' });
    expect(warned.result?.result).toBe('succeeded-with-issues');
    expect(harbor.requests({ method: 'POST', path: /\/webapp\/artifacts\/.*\/scan$/ })).toEqual([]);
  });

  it('scan: never does not scan; without a report that is a scan error', async () => {
    const platform = await run({ project: 'library', repository: 'never', reference: 'v1', scan: 'never' });
    expect(platform.result?.message).toBe(
      'library/never:v1 has no scan report in Harbor and scan is never; scan it first or use scan: if-missing',
    );
    expect(harbor.requests({ method: 'POST', path: /\/never\/artifacts\/.*\/scan$/ })).toEqual([]);
  });

  it('scan: always rescans and waits for the new report, not the old one', async () => {
    harbor.setScanFixture('library/again', { trivy: 'alpine-310.json' });
    const first = await run({ project: 'library', repository: 'again', reference: 'v1', 'fail-on': 'none' });
    expect(first.outputs.medium).toBe('4');
    harbor.setScanFixture('library/again', { trivy: 'debian-buster.json' });
    const second = await run({
      project: 'library',
      repository: 'again',
      reference: 'v1',
      scan: 'always',
      'fail-on': 'none',
    });
    expect(harbor.requests({ method: 'POST', path: /\/again\/artifacts\/.*\/scan$/ })).toHaveLength(2);
    expect(second.outputs).toMatchObject({ critical: '1', low: '1', medium: '0', total: '2' });
  });

  it('bounds the API calls while waiting for a 2-minute scan (time scaled 1:60 on both sides)', async () => {
    // 2 min of scan and the gate's 2 s → 15 s backoff, both divided by 60: the number of polls is the same.
    harbor.setScanTimings({ queuedMs: 100, pendingMs: 300, runningMs: 1600 });
    harbor.setScanFixture('library/slow', { trivy: 'centos-7.json' });
    try {
      const production = createGate({ pollInitialDelayMs: 2000 / 60, pollMaxDelayMs: 15_000 / 60 });
      harbor.clearRequests();
      const platform = await run(
        { project: 'library', repository: 'slow', reference: 'v1', 'fail-on': 'none' },
        production,
      );
      expect(platform.outputs.total).toBe('3');
      const api = harbor.requests({ path: /^\/api\/v2\.0\// });
      const polls = api.filter((r) => r.method === 'GET' && /\/artifacts\/[^/?]+\?/.test(r.path));
      // 2+4+8 s, then every 15 s until 120 s: 12 polls, plus the first look before the scan is started
      expect(polls.length).toBeGreaterThanOrEqual(4); // fewer when a loaded machine makes each call slow
      expect(polls.length).toBeLessThanOrEqual(14);
      expect(api.length).toBeLessThanOrEqual(polls.length + 3); // + POST scan, additions/vulnerabilities, slack
    } finally {
      harbor.setScanTimings({ queuedMs: 50, pendingMs: 50, runningMs: 100 });
    }
  });
});
