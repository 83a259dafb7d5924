import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCapability } from '../../shared/capability';
import gate from '../../shared/capabilities/trivy-gate';
import { makeCa, makeServerCert, type CertificateAuthority } from '../sandbox/pki';
import { REPORT_MIME_V11, loadTrivy, trivyToHarborReport } from '../sandbox/vulnerability-report';
import { FakePlatform } from '../support/fake-platform';

/** A Harbor behind TLS signed by a private CA, with a finished scan of centos-7.json. */
let server: Server;
let url: string;
let ca: CertificateAuthority;
const dir = mkdtempSync(join(tmpdir(), 'trivy-gate-tls-'));

beforeAll(async () => {
  ca = makeCa(dir);
  const cert = makeServerCert(dir, ca);
  const report = trivyToHarborReport(loadTrivy('centos-7.json'), 'sha256:abc');
  server = createServer({ cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url!.includes('/additions/vulnerabilities')) res.end(JSON.stringify({ [REPORT_MIME_V11]: report }));
    else
      res.end(
        JSON.stringify({
          digest: 'sha256:abc',
          scan_overview: { [REPORT_MIME_V11]: { scan_status: 'Success', report_id: 'r1' } },
        }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function run(extra: Record<string, string>): Promise<FakePlatform> {
  const platform = new FakePlatform(
    { 'harbor-url': url, project: 'library', repository: 'centos', reference: 'v7', 'fail-on': 'none', ...extra },
    dir,
  );
  await runCapability(gate, platform);
  return platform;
}

describe('trivy-gate TLS options', () => {
  it('refuses a certificate it cannot verify, with a hint', async () => {
    const platform = await run({});
    expect(platform.result?.result).toBe('failed');
    expect(platform.result?.message).toMatch(
      /TLS verification of 127\.0\.0\.1:\d+ failed \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); set ca-file to the PEM file of its CA, or insecure to true/,
    );
  });

  it('trusts the CA given in ca-file (relative to the workspace)', async () => {
    const platform = await run({ 'ca-file': 'ca.crt' });
    expect(platform.result?.result).toBe('succeeded');
    expect(platform.outputs).toMatchObject({ low: '2', medium: '1', total: '3' });
    expect(platform.messages('warning')).toEqual([]);
  });

  it('insecure skips verification and says so', async () => {
    const platform = await run({ insecure: 'true' });
    expect(platform.result?.result).toBe('succeeded');
    expect(platform.outputs.total).toBe('3');
    expect(platform.messages('warning')).toEqual([
      'TLS certificate verification is disabled (insecure); use a CA file instead where you can',
    ]);
  });
});
