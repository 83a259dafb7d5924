import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../shared/http/client';
import { RegistryClient } from '../../shared/oci/registry-client';

// RegistryClient.getBlob against two loopback origins: a registry that asks for Basic credentials and redirects blob
// GETs (as Harbor on S3 or Azure Blob Storage answers 307 with a pre-signed URL), and a storage origin that records
// what reached it. The registry's Authorization must reach the registry only.

interface Seen {
  method: string;
  url: string;
  authorization?: string;
}

const REPO = 'library/app';
const AUTH = `Basic ${Buffer.from('robot$ci:s3cret').toString('base64')}`;
const blob = Buffer.from('{"payload":"an envelope"}');
const digestOf = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const good = { digest: digestOf(blob), size: blob.length };

/** What the storage origin serves for a path: the bytes, and whether to declare their length. */
let storageAnswer: (path: string) => { bytes: Buffer; length?: number };
/** Where the registry sends a blob GET: the storage origin (default) or a path on itself. */
let redirectTo: (digest: string) => string;

let registrySeen: Seen[];
let storageSeen: Seen[];
let registry: http.Server;
let storage: http.Server;
let registryUrl: string;
let storageUrl: string;
let client: HttpClient;

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  registry = http.createServer((req, res) => {
    registrySeen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
    if (req.headers.authorization !== AUTH) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"', 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return;
    }
    if (req.url === '/v2/') return void res.writeHead(200).end('{}');
    const blobPath = new RegExp(`^/v2/${REPO}/blobs/(sha256:[0-9a-f]{64})$`).exec(req.url!);
    if (blobPath) return void res.writeHead(307, { location: redirectTo(blobPath[1]) }).end();
    if (req.url!.startsWith('/own-storage/')) return void res.writeHead(200).end(blob);
    res.writeHead(404).end();
  });
  storage = http.createServer((req, res) => {
    storageSeen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
    const { bytes, length } = storageAnswer(req.url!);
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      ...(length !== undefined ? { 'content-length': String(length) } : {}),
    });
    // Written in two pieces, so an undeclared length arrives chunked.
    res.write(bytes.subarray(0, 4));
    res.end(bytes.subarray(4));
  });
  registryUrl = await listen(registry);
  storageUrl = await listen(storage);
  client = new HttpClient({ timeoutMs: 10_000, retry: { attempts: 1 } });
});

afterAll(async () => {
  await client.close();
  await new Promise((resolve) => registry.close(resolve));
  await new Promise((resolve) => storage.close(resolve));
});

beforeEach(() => {
  registrySeen = [];
  storageSeen = [];
  storageAnswer = () => ({ bytes: blob, length: blob.length });
  redirectTo = (digest) => `${storageUrl}/bucket/${digest.slice(7)}?X-Amz-Signature=presigned`;
});

async function loggedIn(): Promise<RegistryClient> {
  const registryClient = new RegistryClient(
    client,
    registryUrl,
    REPO,
    { username: 'robot$ci', password: 's3cret' },
    { onSecret: () => undefined },
  );
  await registryClient.login();
  return registryClient;
}

describe('RegistryClient.getBlob', () => {
  it('follows a 307 to another origin without the registry’s Authorization, and returns the verified bytes', async () => {
    const registryClient = await loggedIn();
    expect(await registryClient.getBlob(good, 4096)).toEqual(blob);
    const blobGets = registrySeen.filter((s) => s.url.includes('/blobs/'));
    expect(blobGets).toEqual([{ method: 'GET', url: `/v2/${REPO}/blobs/${good.digest}`, authorization: AUTH }]);
    expect(storageSeen).toEqual([
      { method: 'GET', url: `/bucket/${good.digest.slice(7)}?X-Amz-Signature=presigned`, authorization: undefined },
    ]);
  });

  it('keeps the Authorization on a redirect to the registry’s own origin', async () => {
    redirectTo = (digest) => `/own-storage/${digest}`;
    const registryClient = await loggedIn();
    expect(await registryClient.getBlob(good, 4096)).toEqual(blob);
    expect(registrySeen.filter((s) => s.url.startsWith('/own-storage/')).map((s) => s.authorization)).toEqual([AUTH]);
  });

  it('refuses bytes whose digest is not the descriptor’s', async () => {
    const other = Buffer.from('{"payload":"another one"}');
    storageAnswer = () => ({ bytes: other, length: other.length });
    const registryClient = await loggedIn();
    await expect(registryClient.getBlob({ digest: good.digest, size: other.length }, 4096)).rejects.toThrow(
      `Refused to get blob ${good.digest.slice(0, 19)}: 127.0.0.1:${new URL(storageUrl).port} sent bytes with digest ${digestOf(other)}`,
    );
  });

  it('refuses a descriptor larger than the limit before any request', async () => {
    const registryClient = await loggedIn();
    registrySeen = [];
    await expect(
      registryClient.getBlob({ digest: good.digest, size: 5 * 1024 * 1024 }, 4 * 1024 * 1024),
    ).rejects.toThrow(/descriptor says 5242880 bytes, more than the 4194304 read here/);
    expect([registrySeen, storageSeen]).toEqual([[], []]);
  });

  it('refuses more bytes than the descriptor’s size, declared or streamed', async () => {
    const longer = Buffer.concat([blob, Buffer.alloc(1024, 0x20)]);
    const registryClient = await loggedIn();
    storageAnswer = () => ({ bytes: longer, length: longer.length });
    await expect(registryClient.getBlob(good, 4096)).rejects.toThrow(
      `sends ${longer.length} bytes, its descriptor says ${blob.length}`,
    );
    storageAnswer = () => ({ bytes: longer });
    await expect(registryClient.getBlob(good, 4096)).rejects.toThrow(
      `sent more bytes, its descriptor says ${blob.length}`,
    );
  });
});
