import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCapability } from '../../shared/capability';
import { readSettings } from '../../shared/inputs/parse';
import gate from '../../shared/capabilities/trivy-gate';
import { clockWith } from '../../shared/util/clock';
import { FakePlatform } from '../support/fake-platform';
import { referencePath } from '../reference';

const temp = mkdtempSync(join(tmpdir(), 'trivy-gate-inputs-'));

/** Counts every request, so a test can assert that bad input reached no Harbor at all. */
let server: Server;
let harborUrl: string;
let requests = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  harborUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  requests = 0;
});

async function failure(inputs: Record<string, string>): Promise<string | undefined> {
  const platform = new FakePlatform(inputs, temp);
  await runCapability(gate, platform);
  expect(platform.result?.result).toBe('failed');
  return platform.result?.message;
}

describe('trivy-gate inputs', () => {
  const artifact = () => ({
    'harbor-url': harborUrl,
    project: 'library',
    repository: 'app',
    reference: 'v1',
    password: 'hunter2-secret',
  });

  it.each([
    [
      {},
      'Nothing to gate: set report-file to a Trivy JSON report, or harbor-url, project, repository, reference for an image in Harbor',
    ],
    [
      { project: 'library', repository: 'app' },
      'Input required and not supplied: harbor-url, reference (to gate an image in Harbor)',
    ],
    [
      { 'report-file': 'r.json', project: 'library' },
      'Set either report-file or the Harbor artifact (harbor-url, project, repository, reference), not both; project also set',
    ],
    [
      { 'report-file': 'r.json', 'fail-on': 'severe' },
      "Input 'fail-on' must be one of critical, high, medium, low, unknown, none (got 'severe')",
    ],
    [{ 'report-file': 'r.json', 'max-high': '-1' }, "Input 'max-high' must be >= 0 (got -1)"],
    [{ 'report-file': 'r.json', 'ignore-unfixed': 'yes' }, "Input 'ignore-unfixed' must be true or false (got 'yes')"],
    [
      { 'report-file': 'r.json', scan: 'sometimes' },
      "Input 'scan' must be one of if-missing, always, never (got 'sometimes')",
    ],
    [{ 'report-file': 'missing.json' }, `Cannot read report-file ${join(temp, 'missing.json')}: no such file`],
  ])('%j → one line naming the input', async (inputs, message) => {
    expect(await failure(inputs)).toBe(message);
  });

  it('checks the source rules where the settings are read, so the run module need not load for them', () => {
    expect(() => readSettings(gate.definition, new FakePlatform({}, temp))).toThrow(/^Nothing to gate: /);
    expect(() =>
      readSettings(gate.definition, new FakePlatform({ 'report-file': 'r.json', project: 'library' }, temp)),
    ).toThrow(/^Set either report-file or the Harbor artifact/);
  });

  it('rejects a malformed reference before calling Harbor', async () => {
    expect(await failure({ ...artifact(), reference: 'v1 latest' })).toBe(
      "Input 'reference' must be a tag or a digest like sha256:<hex> (got 'v1 latest')",
    );
    expect(await failure({ ...artifact(), repository: 'library/' })).toMatch(
      /^Input 'repository' must be a repository name/,
    );
    expect(requests).toBe(0);
  });

  it('reads and checks the ignore file before anything is asked of Harbor', async () => {
    writeFileSync(join(temp, '.trivyignore'), 'CVE-2019-1549 exp:2026-02-31\n');
    expect(await failure({ ...artifact(), 'ignore-file': '.trivyignore' })).toBe(
      "ignore-file line 1: 'exp:2026-02-31' must be exp:YYYY-MM-DD",
    );
    expect(await failure({ ...artifact(), 'ignore-file': 'nope' })).toBe(
      `Cannot read ignore-file ${join(temp, 'nope')}: no such file`,
    );
    expect(requests).toBe(0);
  });

  it('never shows the password, also when Harbor fails', async () => {
    const platform = new FakePlatform({ ...artifact(), username: 'robot$ci' }, temp);
    await runCapability(gate, platform);
    expect(platform.result?.result).toBe('failed');
    expect(platform.result?.message).toMatch(/^Harbor reading artifact library\/app:v1 failed with 500/);
    expect(platform.secrets.has('hunter2-secret')).toBe(true);
    expect(platform.transcript).not.toContain('hunter2-secret');
  });

  it('resolves relative report paths against the workspace and passes a clean report', async () => {
    const platform = new FakePlatform(
      { 'report-file': referencePath('trivy', 'sl-micro-rancher5.4.json'), 'sarif-file': 'out/x.sarif' },
      temp,
    );
    await runCapability(gate, platform);
    expect(platform.result).toEqual({ result: 'succeeded', message: undefined });
    expect(platform.outputs).toMatchObject({ total: '0', result: 'passed' });
    expect(existsSync(join(temp, 'out/x.sarif'))).toBe(true);
  });
});

describe('trivy-gate ignore expiry', () => {
  it('an entry applies until the day before its exp: date and counts again from that day on', async () => {
    writeFileSync(
      join(temp, '.trivyignore-exp'),
      'CVE-2019-18224 exp:2026-12-01 # libidn2 fix ships with the next base image\n',
    );
    const inputs = { 'report-file': referencePath('trivy', 'debian-buster.json'), 'ignore-file': '.trivyignore-exp' };
    const before = new FakePlatform(inputs, temp);
    await runCapability(gate, before, { clock: clockWith({ now: () => Date.parse('2026-11-30T23:59:59Z') }) });
    expect(before.result?.result).toBe('succeeded');
    expect(before.outputs).toMatchObject({ critical: '0', ignored: '1', result: 'passed' });
    expect(before.messages('warning')).toEqual([]);

    const on = new FakePlatform(inputs, temp);
    await runCapability(gate, on, { clock: clockWith({ now: () => Date.parse('2026-12-01T00:00:00Z') }) });
    expect(on.result?.message).toBe('Vulnerability gate failed: 1 critical > 0 allowed (fail-on: high)');
    expect(on.outputs).toMatchObject({ critical: '1', ignored: '0' });
    expect(on.messages('warning')).toEqual([
      'ignore-file line 1: the ignore of CVE-2019-18224 expired on 2026-12-01; it is counted again',
    ]);
  });
});
