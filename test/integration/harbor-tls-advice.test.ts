/**
 * A Harbor whose certificate the runner cannot verify: every step that talks to Harbor names its own CA-file and
 * insecure inputs in the one error line (the Harbor client's HttpOptions.tlsFix, shared/harbor/inputs.ts), not a generic "the CA file input".
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCapability, type Capability } from '../../shared/capability';
import acrImport from '../../shared/capabilities/acr-import';
import replicate from '../../shared/capabilities/replicate';
import sign from '../../shared/capabilities/sign';
import trivyGate from '../../shared/capabilities/trivy-gate';
import { openHarbor } from '../../shared/harbor/inputs';
import { httpClientFor } from '../../shared/step-context';
import { makeCa, makeServerCert } from '../sandbox/pki';
import { FakePlatform } from '../support/fake-platform';

const dir = mkdtempSync(join(tmpdir(), 'harbor-tls-advice-'));
let server: Server;
let url: string;
let requests = 0;

beforeAll(async () => {
  const cert = makeServerCert(dir, makeCa(dir));
  server = createServer({ cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }, (_req, res) => {
    requests++;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const cosignKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

const cases: [string, Capability, Record<string, string>][] = [
  ['trivy-gate', trivyGate as unknown as Capability, { project: 'p', repository: 'r', reference: 'v1' }],
  ['replicate', replicate as unknown as Capability, { 'policy-name': 'p' }],
  [
    'acr-import',
    acrImport as unknown as Capability,
    {
      images: 'shop/web:1.0',
      'resource-group': 'rg',
      registry: 'contosoregistry',
      'subscription-id': '00000000-0000-0000-0000-000000000001',
    },
  ],
  ['sign', sign as unknown as Capability, { repository: 'p/r', reference: 'v1', 'cosign-key': cosignKey }],
];

it.each(cases)(
  '%s names ca-file and insecure when Harbor’s certificate cannot be verified',
  async (_n, step, inputs) => {
    const platform = new FakePlatform(
      { 'harbor-url': url, username: 'u', password: 'Tls-Advice-Pw-5520', ...inputs },
      dir,
    );
    await runCapability(step, platform);
    expect(platform.result?.result).toBe('failed');
    expect(platform.result?.message).toMatch(
      /^TLS verification of 127\.0\.0\.1:\d+ failed \(\w+\); set ca-file to the PEM file of its CA, or insecure to true \(not recommended\)$/,
    );
    expect(requests).toBe(0);
  },
);

it('says it for every request of the Harbor client, while a client with its own trust (ARM, Key Vault, a replication endpoint) keeps the generic advice', async () => {
  const platform = new FakePlatform({}, dir);
  const connection = openHarbor(platform, trivyGate.definition.inputs, { harborUrl: url }, {});
  const other = httpClientFor(platform);
  try {
    await expect(connection.http.request({ method: 'GET', url: `${url}/api/v2.0/ping` })).rejects.toThrow(
      /^TLS verification of 127\.0\.0\.1:\d+ failed \(\w+\); set ca-file to the PEM file of its CA, or insecure to true \(not recommended\)$/,
    );
    await expect(other.request({ method: 'GET', url: `${url}/v2/` })).rejects.toThrow(
      /^GET https:\/\/127\.0\.0\.1:\d+\/v2\/ failed: TLS verification of 127\.0\.0\.1:\d+ failed \(\w+\); trust its CA with the CA file input, or set insecure to true \(not recommended\)$/,
    );
    expect(requests).toBe(0);
  } finally {
    await Promise.all([connection.close(), other.close()]);
  }
});
