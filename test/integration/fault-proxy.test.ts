import * as fs from 'node:fs';
import { makeTempDir, removeAllTempDirs } from '../sandbox/child-processes';
import { FaultProxy, startFaultProxy } from '../sandbox/fault-proxy';
import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { makeImage } from '../sandbox/make-image';
import { request } from '../sandbox/net-utils';
import { makeCa, makeServerCert } from '../sandbox/pki';
import { RegistryHandle, startRegistry } from '../sandbox/registry-launcher';
import { skopeoCopy, skopeoDigest } from '../sandbox/skopeo';

let registry: RegistryHandle;
const proxies: FaultProxy[] = [];

async function proxy(
  opts: Omit<Parameters<typeof startFaultProxy>[0], 'target'> & { target?: string },
): Promise<FaultProxy> {
  const p = await startFaultProxy({ target: registry.url, ...opts });
  proxies.push(p);
  return p;
}

beforeAll(async () => {
  registry = await startRegistry();
});

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.stop()));
});

afterAll(async () => {
  await registry?.stop();
  removeAllTempDirs();
});

test('passes traffic through untouched when no rule fires', async () => {
  const p = await proxy({});
  const img = makeImage();
  // Distribution builds upload Locations from Host, which the proxy keeps, so the whole push goes through it.
  await skopeoCopy(img.ref, `docker://${p.host}/through/proxy:1`, { dest: { host: p.host } });
  expect(await skopeoDigest(`docker://${registry.host}/through/proxy:1`, { host: registry.host })).toBe(img.digest);
  expect(p.injected().total).toBe(0);
  expect(p.requests().some((r) => r.method === 'PUT' && /manifests\/1$/.test(r.path) && r.status === 201)).toBe(true);
});

test('every Nth request answers 503; the rest reach the server', async () => {
  const p = await proxy({ rules: [{ every: 3, fault: { kind: 'status', status: 503 } }] });
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await request(`${p.url}/v2/`)).status);
  expect(statuses).toEqual([200, 200, 503, 200, 200, 503, 200]);
  expect(p.injected()).toEqual({ total: 2, reset: 0, status: 2, stall: 0 });
});

test('429 carries Retry-After; `times` bounds the injections', async () => {
  const p = await proxy({ rules: [{ times: 1, fault: { kind: 'status', status: 429, retryAfter: 2 } }] });
  const first = await request(`${p.url}/v2/`);
  expect(first.status).toBe(429);
  expect(first.headers['retry-after']).toBe('2');
  expect((await request(`${p.url}/v2/`)).status).toBe(200);
});

test('reset drops the connection (ECONNRESET) only for requests matching method and path', async () => {
  const p = await proxy({ rules: [{ method: 'GET', path: /\/tags\/list$/, fault: { kind: 'reset' } }] });
  await expect(request(`${p.url}/v2/some/repo/tags/list`)).rejects.toThrow(/ECONNRESET|socket hang up/);
  expect((await request(`${p.url}/v2/`)).status).toBe(200);
  // Same path, other method: the registry's own answer (405 for HEAD on tags/list), not a reset.
  expect((await request(`${p.url}/v2/some/repo/tags/list`, { method: 'HEAD' })).status).toBe(405);
  expect(p.injected().reset).toBe(1);
});

test('reset over tls drops the connection too (the TLS socket wraps the TCP one that can send a RST)', async () => {
  const dir = makeTempDir('fault-proxy-tls');
  const ca = makeCa(dir);
  const p = await proxy({ tls: makeServerCert(dir, ca), rules: [{ times: 1, fault: { kind: 'reset' } }] });
  const caPem = fs.readFileSync(ca.certFile);
  await expect(request(`${p.url}/v2/`, { ca: caPem })).rejects.toMatchObject({ code: 'ECONNRESET' });
  expect((await request(`${p.url}/v2/`, { ca: caPem })).status).toBe(200);
  expect(p.injected().reset).toBe(1);
});

test('stall delays a request, then forwards it or resets it; a client timeout fires first when shorter', async () => {
  const p = await proxy({
    rules: [
      { path: /^\/v2\/$/, times: 1, fault: { kind: 'stall', ms: 300 } },
      { path: /^\/v2\/x/, fault: { kind: 'stall', ms: 5000, then: 'reset' } },
    ],
  });
  const t0 = Date.now();
  expect((await request(`${p.url}/v2/`)).status).toBe(200);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  await expect(request(`${p.url}/v2/x/tags/list`, { timeoutMs: 200 })).rejects.toThrow(/timeout after 200 ms/);
  expect(p.injected().stall).toBe(2);
});

test('rate rules are reproducible from the seed', async () => {
  const pattern = async (seed: number) => {
    const p = await proxy({ seed, rules: [{ rate: 0.5, fault: { kind: 'status', status: 500 } }] });
    const out: number[] = [];
    for (let i = 0; i < 16; i++) out.push((await request(`${p.url}/v2/`)).status);
    return out;
  };
  const a = await pattern(42);
  expect(await pattern(42)).toEqual(a);
  expect(a).toContain(500);
  expect(a).toContain(200);
  expect(await pattern(7)).not.toEqual(a);
});

describe('in front of the Harbor emulator', () => {
  let harbor: HarborEmulator;
  beforeAll(async () => {
    harbor = await startHarborEmulator();
  });
  afterAll(() => harbor?.stop());

  test('API faults hit only the matching endpoint and are counted', async () => {
    const p = await proxy({
      target: harbor.url,
      rules: [{ method: 'GET', path: /^\/api\/v2\.0\/projects/, every: 2, fault: { kind: 'status', status: 502 } }],
    });
    const get = (path: string) => request(`${p.url}/api/v2.0${path}`).then((r) => r.status);
    expect([await get('/projects'), await get('/projects'), await get('/ping'), await get('/projects')]).toEqual([
      200, 502, 200, 200,
    ]);
    expect(p.injected().status).toBe(1);
    // The emulator saw only what the proxy let through.
    expect(harbor.requests({ path: /^\/api\/v2\.0\/projects/ })).toHaveLength(2);
  });
});
