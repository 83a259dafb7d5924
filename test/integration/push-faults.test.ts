import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCapability } from '../../shared/capability';
import push from '../../shared/capabilities/push';
import { startFaultProxy, type FaultProxy } from '../sandbox/fault-proxy';
import { startHarborEmulator } from '../sandbox/harbor-emulator';
import { makeImage } from '../sandbox/make-image';
import { RegistryHandle, startRegistry } from '../sandbox/registry-launcher';
import { skopeoDigest } from '../sandbox/skopeo';
import { FakePlatform } from '../support/fake-platform';
import { makeDockerArchive, pullWithSkopeo } from './push-fixtures';

// The push under injected failures: connection resets, 503s and 429s from the sandbox's fault proxy, and an upload
// cut off in the middle of a chunk. Every push must still land, with the digest the source has.

let registry: RegistryHandle;
let proxy: FaultProxy;

beforeAll(async () => {
  registry = await startRegistry({ auth: 'htpasswd' });
  proxy = await startFaultProxy({ target: registry.url });
}, 30_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

const access = () => ({ host: registry.host, ...registry.users[0] });

function inputs(url: string, repository: string, source: string): Record<string, string> {
  return {
    'harbor-url': url,
    ...registry.users[0],
    project: 'faults',
    repository,
    source,
    'create-project': 'false',
    'chunk-size': '1MiB',
  };
}

it('20 pushes through resets, 503s and 429s all succeed with the source digest', async () => {
  // `every` (not `rate`): a retry is a new request, so no request can be hit by the same rule twice in a row.
  proxy.setRules([
    { method: 'PATCH', every: 10, fault: { kind: 'reset' } },
    { method: 'PUT', path: /\/blobs\/uploads\//, every: 8, fault: { kind: 'status', status: 503 } },
    { method: 'HEAD', every: 10, fault: { kind: 'reset' } },
    { path: /\/v2\//, every: 15, fault: { kind: 'status', status: 429, retryAfter: 1 } },
    { method: 'POST', every: 10, fault: { kind: 'status', status: 502 } },
  ]);
  // A 2.5 MiB layer goes up in three chunks; the small one in one PUT.
  const image = makeImage({ layers: 2, layerSize: 2.5 * 1024 * 1024 });
  const runs = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const platform = new FakePlatform(inputs(proxy.url, `repo${i}`, `oci:${image.dir}`));
      platform.debugEnabled = true;
      await runCapability(push, platform);
      return platform;
    }),
  );
  const injected = proxy.injected();
  proxy.setRules([]);
  for (const run of runs) {
    expect(run.result).toEqual({ result: 'succeeded', message: undefined });
    expect(run.outputs.digest).toBe(image.digest);
  }
  // Chunks refused before they reached the registry are resumed in the same session, not restarted.
  expect(runs.some((r) => /resuming layer \d sha256:\w+ at byte [1-9]/.test(r.messages('debug').join('\n')))).toBe(
    true,
  );
  expect(injected.reset).toBeGreaterThanOrEqual(10);
  expect(injected.status).toBeGreaterThanOrEqual(20);
  for (const i of [0, 7, 19])
    expect(await skopeoDigest(`docker://${registry.host}/faults/repo${i}:latest`, access())).toBe(image.digest);
}, 50_000);

it('a chunk cut off mid-body: Distribution cancels that session, the blob starts over and lands intact', async () => {
  // A proxy that forwards the second PATCH's headers and 300 KiB of its body, then drops both connections.
  let seen = 0;
  const patches: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.method === 'PATCH') patches.push(String(req.headers['content-range']));
    const upstream = http.request(
      { host: '127.0.0.1', port: registry.port, method: req.method, path: req.url, headers: req.headers, agent: false },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    if (req.method === 'PATCH' && ++seen === 2) {
      let forwarded = 0;
      req.on('data', (chunk: Buffer) => {
        if (forwarded >= 300 * 1024) return;
        upstream.write(chunk.subarray(0, 300 * 1024 - forwarded));
        forwarded += chunk.length;
        if (forwarded >= 300 * 1024) {
          // Give the registry a moment to write what it got, then cut both sides.
          setTimeout(() => {
            upstream.destroy();
            req.socket.destroy();
          }, 200);
        }
      });
      return;
    }
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const image = makeImage({ layers: 1, layerSize: 2 * 1024 * 1024 + 5 });
    const platform = new FakePlatform(inputs(url, 'resumed', `oci:${image.dir}`));
    platform.debugEnabled = true;
    await runCapability(push, platform);
    expect(platform.result?.result).toBe('succeeded');
    expect(platform.outputs.digest).toBe(image.digest);
    // Distribution keeps the half chunk, then refuses the session whose signed offset no longer matches its data, so
    // the status query finds no session and the blob starts over in a new one (a registry that reports the real
    // offset would be resumed from there).
    expect(patches.slice(0, 3)).toEqual(['0-1048575', '1048576-2097151', '0-1048575']);
    expect(platform.messages('debug').join('\n')).toMatch(/resuming layer 1 sha256:\w+ at byte 0/);
    const { manifest } = await pullWithSkopeo(`docker://${registry.host}/faults/resumed:latest`, access());
    expect(manifest.layers[0].digest).toBe(image.manifests[0].layers[0]);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}, 30_000);

it('a token that expires before a streamed (gzipped on the way) layer goes up: renewed, and the digest is of the bytes sent', async () => {
  // Harbor's tokens live 30 minutes; a long push renews one on a 401. The first PATCH of a gzipped layer is read in
  // full and then refused as an expired token would be, so the re-sent stream must be hashed afresh.
  const harbor = await startHarborEmulator();
  let refused = 0;
  const server = http.createServer((req, res) => {
    const target = new URL(harbor.url);
    if (req.method === 'PATCH' && refused === 0) {
      refused++;
      req.resume();
      req.on('end', () => {
        res
          .writeHead(401, {
            'www-authenticate': `Bearer realm="${harbor.url}/service/token",service="harbor-registry",error="invalid_token"`,
          })
          .end();
      });
      return;
    }
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const archive = await makeDockerArchive({ layout: 'legacy', layers: 1, layerSize: 200_000 });
    const platform = new FakePlatform({
      'harbor-url': url,
      ...harbor.admin,
      project: 'library',
      repository: 'renewed',
      source: `docker-archive:${archive.file}`,
      'create-project': 'false',
    });
    await runCapability(push, platform);
    expect(refused).toBe(1);
    expect(platform.result).toEqual({ result: 'succeeded', message: undefined });
    const pulled = await pullWithSkopeo(`docker://${harbor.host}/library/renewed:latest`, {
      host: harbor.host,
      ...harbor.admin,
    });
    expect(pulled.uncompressed).toEqual(archive.diffIds);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await harbor.stop();
  }
}, 30_000);
