import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { HttpClient, tlsConnectOptions } from '../../shared/http/client';
import { loadTrust, type TrustInputs } from '../../shared/http/trust';
import { backoffDelay, DEFAULT_RETRY, retryAfterMs } from '../../shared/http/retry';
import { UserError } from '../../shared/errors';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits: () => hits };
}

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A client as a step opens one: trust (CA files, insecure) loaded from the settings first, then the client. */
function client(options: ConstructorParameters<typeof HttpClient>[0] & Omit<TrustInputs, 'warning'> = {}) {
  const sleeps: number[] = [];
  const debug: string[] = [];
  const warnings: string[] = [];
  const { caFile, caFileInput, ...rest } = options;
  const http = new HttpClient({
    sleep: async (ms) => void sleeps.push(ms),
    debug: (m) => debug.push(m),
    retry: { random: () => 0.5 },
    ...rest,
    ...loadTrust({
      caFile,
      caFileInput,
      insecure: options.insecure,
      network: options.network,
      warning: (m) => warnings.push(m),
    }),
  });
  closers.push(() => http.close());
  return { http, sleeps, debug, warnings };
}

describe('no process-wide side effects', () => {
  it('importing the HTTP layer sets no V8 flag, and constructing a client reads no file and logs nothing', () => {
    const setFlags = jest.fn();
    try {
      jest.isolateModules(() => {
        jest.doMock('node:v8', () => ({ ...jest.requireActual('node:v8'), setFlagsFromString: setFlags }));
        jest.doMock('v8', () => ({ ...jest.requireActual('v8'), setFlagsFromString: setFlags }));
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { HttpClient: Fresh } = require('../../shared/http/client') as typeof import('../../shared/http/client');
        const debug: string[] = [];
        // A CA file that does not exist: reading it here would throw.
        const http = new Fresh({
          insecure: true,
          network: { noProxy: [], caFiles: ['/nonexistent/ca.pem'], proxyUrl: 'http://127.0.0.1:9' },
          debug: (m) => debug.push(m),
        });
        void http.close();
        expect(debug).toEqual([]);
      });
      expect(setFlags).not.toHaveBeenCalled();
    } finally {
      jest.dontMock('node:v8');
      jest.dontMock('v8');
    }
  });
});

describe('retry policy', () => {
  it('retries 503 and 429 (honouring Retry-After) and then succeeds', async () => {
    const answers = [503, 429, 200];
    const s = await serve((_req, res) => {
      const status = answers.shift()!;
      res.writeHead(status, status === 429 ? { 'retry-after': '3' } : {}).end(status === 200 ? '{"ok":true}' : 'busy');
    });
    closers.push(() => void s.server.close());
    const { http, sleeps } = client();
    const res = await http.request({ method: 'GET', url: `${s.url}/x` });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect(s.hits()).toBe(3);
    expect(sleeps).toEqual([backoffDelay(1, { ...DEFAULT_RETRY, random: () => 0.5 }), 3000]);
  });

  it.each([401, 403, 404, 422, 501])('never retries %d', async (status) => {
    const s = await serve((_req, res) => res.writeHead(status).end('{"errors":[{"code":"DENIED","message":"no"}]}'));
    closers.push(() => void s.server.close());
    const { http } = client();
    expect((await http.request({ method: 'GET', url: `${s.url}/x` })).status).toBe(status);
    expect(s.hits()).toBe(1);
  });

  it('gives up after the configured attempts and reports the last answer', async () => {
    const s = await serve((_req, res) => res.writeHead(502).end('bad gateway'));
    closers.push(() => void s.server.close());
    const { http, sleeps } = client({ retry: { attempts: 3, random: () => 0 } });
    const res = await http.request({ method: 'GET', url: s.url });
    expect(res.status).toBe(502);
    expect(s.hits()).toBe(3);
    expect(sleeps).toEqual([500, 500]);
  });

  it('retries a reset connection and replays a streamed body from its factory', async () => {
    let first = true;
    const bodies: string[] = [];
    const s = await serve((req, res, body) => {
      if (first) {
        first = false;
        req.socket.destroy();
        return;
      }
      bodies.push(body.toString());
      res.writeHead(201).end();
    });
    closers.push(() => void s.server.close());
    const { http } = client();
    const res = await http.request({
      method: 'PUT',
      url: s.url,
      body: () => Readable.from([Buffer.from('chunk-1'), Buffer.from('chunk-2')]),
    });
    expect(res.status).toBe(201);
    expect(bodies).toEqual(['chunk-1chunk-2']);
  });

  it('does not retry when the request says it must not be sent twice', async () => {
    const s = await serve((_req, res) => res.writeHead(503).end());
    closers.push(() => void s.server.close());
    const { http } = client();
    expect((await http.request({ method: 'POST', url: s.url, retry: false })).status).toBe(503);
    expect(s.hits()).toBe(1);
  });

  it('fails fast with host:port when nothing listens, and redacts credentials in the URL', async () => {
    const s = await serve(() => undefined);
    const port = (s.server.address() as AddressInfo).port;
    await new Promise((r) => s.server.close(r));
    const { http, sleeps } = client();
    const attempt = http.request({ method: 'GET', url: `http://user:hunter2@127.0.0.1:${port}/v2/?token=abc` });
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(
      `GET http://***:***@127.0.0.1:${port}/v2/?token=*** failed: cannot connect to 127.0.0.1:${port} (connection refused)`,
    );
    expect(sleeps).toEqual([]);
  });

  it('parses Retry-After as seconds or an HTTP date, capped', () => {
    expect(retryAfterMs('7', 60_000)).toBe(7000);
    expect(retryAfterMs('600', 60_000)).toBe(60_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 60_000, () => 4_000)).toBe(6000);
    expect(retryAfterMs('soon', 60_000)).toBeUndefined();
  });

  it('backs off exponentially with jitter up to the cap', () => {
    const policy = { ...DEFAULT_RETRY, random: () => 1 };
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, policy))).toEqual([
      500, 1000, 2000, 4000, 8000, 10000, 10000,
    ]);
    expect(backoffDelay(4, { ...DEFAULT_RETRY, random: () => 0 })).toBe(500);
  });
});

describe('TLS', () => {
  let dir: string;
  let url: string;
  let server: Server;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'ca.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    server = createHttpsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'ca.pem')) },
      (req, res) => {
        if (req.url === '/close') res.setHeader('connection', 'close');
        res.end('secure');
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies certificates by default and points to the CA file or insecure inputs', async () => {
    const { http } = client();
    await expect(http.request({ method: 'GET', url })).rejects.toThrow(
      /TLS verification of 127\.0\.0\.1:\d+ failed \(DEPTH_ZERO_SELF_SIGNED_CERT\); trust its CA with the CA file input, or set insecure/,
    );
  });

  it('trusts an extra CA file, and the runner CA files', async () => {
    expect((await client({ caFile: join(dir, 'ca.pem') }).http.request({ method: 'GET', url })).text()).toBe('secure');
    const network = { noProxy: [], caFiles: [join(dir, 'ca.pem')] };
    expect((await client({ network }).http.request({ method: 'GET', url })).text()).toBe('secure');
  });

  it('builds one secure context for its CA list per client, not one per connection', async () => {
    // Node parses the whole list (system roots + the CA file) again for every connection given `ca`; the client hands
    // the agent one context instead, and no `ca`: that three fresh connections verify proves the context is what they use.
    const options = tlsConnectOptions({ ca: [readFileSync(join(dir, 'ca.pem'), 'utf8')] });
    expect(options.secureContext).toHaveProperty('context'); // what tls.createSecureContext returns
    expect(options).not.toHaveProperty('ca');
    expect(tlsConnectOptions({ rejectUnauthorized: false })).toEqual({ rejectUnauthorized: false });
    const { http } = client({ caFile: join(dir, 'ca.pem') });
    for (let i = 0; i < 3; i++)
      expect((await http.request({ method: 'GET', url: `${url}close` })).text()).toBe('secure');
  });

  it('skips verification when insecure, with a warning', async () => {
    const { http, warnings } = client({ insecure: true });
    expect((await http.request({ method: 'GET', url })).text()).toBe('secure');
    expect(warnings).toEqual([expect.stringContaining('TLS certificate verification is disabled')]);
  });

  it("through the proxy, TLS runs inside the tunnel and is verified with the client's trust", async () => {
    const { proxyUrl, tunnels } = await startProxy();
    const network = { proxyUrl, noProxy: [], caFiles: [] };
    await expect(client({ network, retry: { attempts: 1 } }).http.request({ method: 'GET', url })).rejects.toThrow(
      /TLS verification of 127\.0\.0\.1:\d+ failed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    const { http } = client({ network, caFile: join(dir, 'ca.pem') });
    expect((await http.request({ method: 'GET', url })).text()).toBe('secure');
    expect((await http.request({ method: 'GET', url })).text()).toBe('secure');
    // One tunnel per connection, and the kept connection served the second request.
    expect(tunnels.map((t) => t.host)).toEqual([new URL(url).host, new URL(url).host]);
  });

  it('reaches a proxy served over HTTPS, verified with the same trust, and tunnels through it', async () => {
    const pem = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'ca.pem')) };
    const { proxyUrl, tunnels } = await startProxy(undefined, pem);
    const network = { proxyUrl, noProxy: [], caFiles: [] };
    const proxyHostPort = new URL(proxyUrl).host;
    await expect(
      client({ network, retry: { attempts: 1 } }).http.request({ method: 'GET', url: 'http://registry.example/v2/' }),
    ).rejects.toThrow(
      `cannot use the proxy ${proxyUrl}/: TLS verification of ${proxyHostPort} failed (DEPTH_ZERO_SELF_SIGNED_CERT)`,
    );
    // A step names its own CA input: the proxy's certificate is the one that failed, not the registry's.
    await expect(
      client({ network, retry: { attempts: 1 }, tlsFix: 'set ca-file' }).http.request({
        method: 'GET',
        url: 'http://registry.example/v2/',
      }),
    ).rejects.toThrow(
      `TLS verification of the proxy ${proxyHostPort} failed (DEPTH_ZERO_SELF_SIGNED_CERT); set ca-file`,
    );
    expect(tunnels).toEqual([]);
    const { http } = client({ network, caFile: join(dir, 'ca.pem') });
    expect((await http.request({ method: 'GET', url })).text()).toBe('secure');
    expect(tunnels.map((t) => t.host)).toEqual([new URL(url).host]);
  });

  it('names a CA file that cannot be read', () => {
    expect(() => client({ caFile: join(dir, 'missing.pem') })).toThrow(
      `Cannot read CA file ${join(dir, 'missing.pem')}: ENOENT`,
    );
    expect(() => client({ caFile: join(dir, 'missing.pem'), caFileInput: 'caFile' })).toThrow(
      `Cannot read CA file ${join(dir, 'missing.pem')} (input 'caFile'): ENOENT`,
    );
  });
});

/**
 * A CONNECT proxy (as the runners' are): records each tunnel's target and credentials; `refuse` answers that status;
 * `tls` serves the proxy itself over HTTPS.
 */
async function startProxy(
  refuse?: number,
  tls?: { key: Buffer; cert: Buffer },
): Promise<{ proxyUrl: string; tunnels: { host: string; auth?: string }[] }> {
  const tunnels: { host: string; auth?: string }[] = [];
  const proxy = tls ? createHttpsServer(tls) : createServer();
  proxy.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    tunnels.push({ host: req.url!, auth: req.headers['proxy-authorization'] });
    if (refuse) {
      socket.end(`HTTP/1.1 ${refuse} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const [, host, port] = /^\[?(.*?)\]?:(\d+)$/.exec(req.url!)!;
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  closers.push(() => {
    proxy.closeAllConnections();
    proxy.close();
  });
  return { proxyUrl: `${tls ? 'https' : 'http'}://127.0.0.1:${(proxy.address() as AddressInfo).port}`, tunnels };
}

describe('proxy', () => {
  it('tunnels through the runner proxy with its credentials, except hosts in NO_PROXY', async () => {
    const target = await serve((_req, res) => res.end('target'));
    closers.push(() => void target.server.close());
    const { proxyUrl, tunnels } = await startProxy();
    const targetHost = new URL(target.url).host;
    const via = client({
      network: { proxyUrl, proxyUsername: 'p', proxyPassword: 'q', noProxy: ['.corp'], caFiles: [] },
    }).http;
    expect((await via.request({ method: 'GET', url: target.url })).text()).toBe('target');
    expect(tunnels).toEqual([{ host: targetHost, auth: `Basic ${Buffer.from('p:q').toString('base64')}` }]);

    const bypass = client({ network: { proxyUrl, noProxy: ['127.0.0.1'], caFiles: [] } }).http;
    expect((await bypass.request({ method: 'GET', url: target.url })).text()).toBe('target');
    expect(tunnels).toHaveLength(1);

    // The Azure DevOps agent's bypass list: regular expressions over the whole URL.
    const adoBypass = client({
      network: { proxyUrl, noProxy: [], bypassPatterns: ['^http://127\\.0\\.0\\.1:'], caFiles: [] },
    }).http;
    expect((await adoBypass.request({ method: 'GET', url: target.url })).text()).toBe('target');
    expect(tunnels).toHaveLength(1);
    const adoOther = client({ network: { proxyUrl, noProxy: [], bypassPatterns: ['\\.corp$'], caFiles: [] } }).http;
    expect((await adoOther.request({ method: 'GET', url: target.url })).text()).toBe('target');
    expect(tunnels).toHaveLength(2);
  });

  it.each([
    [407, 'it answered 407: check the proxy credentials'],
    [403, 'it answered 403: the proxy does not allow it'],
    [502, 'it answered 502'],
  ])('a tunnel the proxy refuses (%d) is reported as that, not as the target failing', async (status, says) => {
    const { proxyUrl } = await startProxy(status);
    const { http, sleeps } = client({ network: { proxyUrl, noProxy: [], caFiles: [] } });
    await expect(http.request({ method: 'GET', url: 'http://registry.example:5000/v2/' })).rejects.toThrow(
      `GET http://registry.example:5000/v2/ failed: the proxy refused a tunnel to registry.example:5000 (${says}) (through the proxy ${proxyUrl}/)`,
    );
    expect(sleeps).toEqual([]);
  });
});

describe("the step's timeout budget", () => {
  it('bounds retries: no wait starts that would end past the budget, and each retry logs what it waits for', async () => {
    let now = 0;
    const info: string[] = [];
    const s = await serve((_req, res) => res.writeHead(503).end());
    closers.push(() => new Promise<void>((r) => s.server.close(() => r())));
    const sleeps: number[] = [];
    const { http } = client({
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      info: (m) => info.push(m),
      budget: { ms: 3000, input: 'timeout' },
      retry: { random: () => 0.5, baseDelayMs: 1000, maxDelayMs: 10_000 },
    });
    const failure = http.request({ method: 'GET', url: `${s.url}/api/v2.0/ping` });
    await expect(failure).rejects.toThrow(
      /^'timeout' \(3 s\) ran out while GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\.0\/ping answered 503; raise 'timeout' if the server is just slow$/,
    );
    // 1000 ms, then 1500 ms; the third wait (2500 ms) would end past 3 s, so it is not started.
    expect(sleeps).toEqual([1000, 1500]);
    expect(info).toEqual([
      expect.stringMatching(
        /^GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\.0\/ping answered 503; waiting 1 s for attempt 2 of 5$/,
      ),
      expect.stringMatching(/answered 503; waiting 1\.5 s for attempt 3 of 5$/),
    ]);
    expect(s.hits()).toBe(3);
  });

  it('a server that never answers is cut at the budget, not at the per-request timeout', async () => {
    const s = await serve(() => undefined);
    closers.push(() => {
      s.server.closeAllConnections();
      return new Promise<void>((r) => s.server.close(() => r()));
    });
    const { http } = client({ budget: { ms: 300, input: 'timeout' }, timeoutMs: 60_000 });
    await expect(http.request({ method: 'GET', url: `${s.url}/x` })).rejects.toThrow(
      /^'timeout' \(300 ms\) ran out waiting for GET http:\/\/127\.0\.0\.1:\d+\/x/,
    );
  });

  it('an answer that keeps trickling is cut at the budget: the per-request limit only measures silence', async () => {
    const timers: NodeJS.Timeout[] = [];
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // One byte every 50 ms, forever: never silent long enough for the 60 s per-request limit.
      timers.push(setInterval(() => res.write(' '), 50));
    });
    closers.push(() => {
      timers.forEach(clearInterval);
      s.server.closeAllConnections();
      return new Promise<void>((r) => s.server.close(() => r()));
    });
    const { http } = client({ budget: { ms: 500, input: 'timeout' }, timeoutMs: 60_000 });
    await expect(http.request({ method: 'GET', url: `${s.url}/x` })).rejects.toThrow(
      /^'timeout' \(500 ms\) ran out waiting for GET http:\/\/127\.0\.0\.1:\d+\/x; raise 'timeout'/,
    );
  });

  it('a proxy that never opens the tunnel is cut at the budget too', async () => {
    const silent = createNetServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const sockets: Socket[] = [];
    silent.on('connection', (socket) => sockets.push(socket));
    closers.push(() => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise<void>((r) => silent.close(() => r()));
    });
    const proxyUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const { http } = client({
      network: { proxyUrl, noProxy: [], caFiles: [] },
      budget: { ms: 300, input: 'timeout' },
      timeoutMs: 60_000,
    });
    const started = Date.now();
    await expect(http.request({ method: 'GET', url: 'http://registry.example:5000/v2/' })).rejects.toThrow(
      /^'timeout' \(300 ms\) ran out waiting for GET http:\/\/registry\.example:5000\/v2\//,
    );
    // Not at the connect limit (30 s): the budget's abort settles the request at once.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('clean-up after the budget still gets one short attempt', async () => {
    let now = 0;
    const s = await serve((_req, res) => res.writeHead(200).end('{}'));
    closers.push(() => new Promise<void>((r) => s.server.close(() => r())));
    const { http } = client({ now: () => now, budget: { ms: 1000, input: 'timeout' } });
    now = 5000;
    await expect(http.request({ method: 'GET', url: `${s.url}/x` })).rejects.toThrow(
      /^'timeout' \(1 s\) ran out before GET/,
    );
    expect((await http.forCleanup().request({ method: 'PUT', url: `${s.url}/stop` })).status).toBe(200);
  });

  it('a network error through a proxy says the proxy was in use', async () => {
    const { http } = client({
      network: { proxyUrl: 'http://127.0.0.1:9', noProxy: [], caFiles: [] },
      retry: { attempts: 1 },
    });
    await expect(http.request({ method: 'GET', url: 'http://registry.invalid:5000/v2/' })).rejects.toThrow(
      'GET http://registry.invalid:5000/v2/ failed: cannot use the proxy http://127.0.0.1:9/: cannot connect to 127.0.0.1:9 (connection refused)',
    );
  });
});

describe('connections', () => {
  it('keeps the connection after a HEAD answer (a push asks one per blob), and the next request reads its own answer', async () => {
    const { url, server } = await serve((req, res) => {
      res.writeHead(req.method === 'HEAD' ? 404 : 200, { 'content-type': 'application/json', 'content-length': '2' });
      res.end(req.method === 'HEAD' ? undefined : '{}');
    });
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    let connections = 0;
    server.on('connection', () => connections++);
    const { http } = client();
    const answers: string[] = [];
    for (const method of ['HEAD', 'GET', 'HEAD', 'HEAD', 'GET', 'HEAD']) {
      const res = await http.request({ method, url: `${url}/v2/app/blobs/sha256:${'0'.repeat(64)}` });
      answers.push(`${method} ${res.status} ${res.text()}`);
    }
    expect(answers).toEqual(['HEAD 404 ', 'GET 200 {}', 'HEAD 404 ', 'HEAD 404 ', 'GET 200 {}', 'HEAD 404 ']);
    // All six on one kept connection: an answer is read to its end before the request returns, which frees the socket.
    expect(connections).toBe(1);
  });
});

describe("the connection (Node's http)", () => {
  /** A server whose handler gets the raw request and response, for answers that stop or never come. */
  async function raw(handler: (req: IncomingMessage, res: ServerResponse, hit: number) => void) {
    let hit = 0;
    const server = createServer((req, res) => handler(req, res, ++hit));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hit };
  }

  it('an answer that never comes ends at the silence limit, is retried, and is reported with the limit', async () => {
    const s = await raw(() => undefined);
    const { http, sleeps } = client({ timeoutMs: 150, retry: { attempts: 2, random: () => 0 } });
    await expect(http.request({ method: 'GET', url: `${s.url}/v2/` })).rejects.toThrow(
      /^GET http:\/\/127\.0\.0\.1:\d+\/v2\/ failed: 127\.0\.0\.1:\d+ sent no answer for 150 ms$/,
    );
    expect(s.hits()).toBe(2);
    expect(sleeps).toEqual([500]);
  });

  it('an answer whose body stops coming ends at the silence limit and is reported as that', async () => {
    const s = await raw((_req, res) => {
      res.writeHead(200, { 'content-length': '10' });
      res.write('12345');
    });
    const { http } = client({ timeoutMs: 150, retry: { attempts: 1 } });
    await expect(http.request({ method: 'GET', url: `${s.url}/x` })).rejects.toThrow(
      /failed: 127\.0\.0\.1:\d+ stopped sending its answer for 150 ms$/,
    );
  });

  it('a connection cut in the middle of an answer is retried like one cut before it', async () => {
    const s = await raw((req, res, hit) => {
      res.writeHead(200, { 'content-length': '10' });
      if (hit === 1) res.write('12345', () => req.socket.destroy());
      else res.end('0123456789');
    });
    const { http } = client();
    expect((await http.request({ method: 'GET', url: `${s.url}/x` })).text()).toBe('0123456789');
    expect(s.hits()).toBe(2);
  });

  it('a streamed body that runs short of or past its content-length fails the request, and no request completes', async () => {
    const received: number[] = [];
    const s = await raw((req, res) => {
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => {
        received.push(n);
        res.end();
      });
    });
    const { http } = client();
    for (const [declared, actual] of [
      [10, 5],
      [10, 15],
    ]) {
      await expect(
        http.request({
          method: 'PUT',
          url: `${s.url}/upload`,
          headers: { 'content-length': String(declared) },
          body: () => Readable.from([Buffer.alloc(actual)]),
          retry: false,
        }),
      ).rejects.toThrow(`where its content-length said ${declared} (did the file change while it was sent?)`);
    }
    expect(
      (
        await http.request({
          method: 'PUT',
          url: `${s.url}/upload`,
          headers: { 'content-length': '10' },
          body: () => Readable.from([Buffer.alloc(4), Buffer.alloc(6)]),
        })
      ).status,
    ).toBe(200);
    // Only the well-formed request reached the server's handler whole.
    expect(received).toEqual([10]);
  });

  it('an answer that comes before the body was sent (a refusal) is the answer, and the upload stops there', async () => {
    let closed!: Promise<void>;
    const s = await raw((req, res) => {
      // Refuses at once, then neither reads the rest nor closes: only the client can end the upload.
      req.pause();
      closed = new Promise((resolve) => req.socket.once('close', () => resolve()));
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    });
    const { http } = client({ timeoutMs: 60_000 });
    let sent = 0;
    async function* forever() {
      for (;;) {
        sent += 64 * 1024;
        yield Buffer.alloc(64 * 1024);
      }
    }
    const res = await http.request({ method: 'PUT', url: `${s.url}/upload`, body: () => forever(), retry: false });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ errors: [{ code: 'UNAUTHORIZED' }] });
    // Well before the server's own keep-alive limit (5 s) would close the connection.
    const late = new Promise<string>((r) => setTimeout(() => r('still uploading after 1 s'), 1000).unref());
    expect(await Promise.race([closed.then(() => 'closed'), late])).toBe('closed');
    const after = sent;
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toBe(after);
    expect((await http.request({ method: 'GET', url: `${s.url}/after` })).status).toBe(401);
    expect(s.hits()).toBe(2);
  });

  it('the budget cuts a streamed answer while its reader reads it', async () => {
    const timers: NodeJS.Timeout[] = [];
    const s = await raw((_req, res) => {
      res.writeHead(200);
      timers.push(setInterval(() => res.write('.'), 20));
    });
    closers.push(() => timers.forEach(clearInterval));
    const { http } = client({ budget: { ms: 300, input: 'timeout' } });
    const res = await http.request({ method: 'GET', url: `${s.url}/download`, stream: true });
    expect(res.status).toBe(200);
    const read = (async () => {
      for await (const chunk of res.stream!) void chunk;
    })();
    await expect(read).rejects.toThrow(
      /^'timeout' \(300 ms\) ran out waiting for GET http:\/\/127\.0\.0\.1:\d+\/download/,
    );
  });

  it('a request made after the client was closed is not sent (parallel work of a step that already failed)', async () => {
    const s = await raw((_req, res) => res.end('{}'));
    const { http } = client();
    expect((await http.request({ method: 'GET', url: `${s.url}/v2/` })).status).toBe(200);
    await http.close();
    await expect(http.request({ method: 'PUT', url: `${s.url}/v2/app/manifests/v1`, body: '{}' })).rejects.toThrow(
      /^PUT http:\/\/127\.0\.0\.1:\d+\/v2\/app\/manifests\/v1 failed: not sent to 127\.0\.0\.1:\d+: the step had already stopped its remote work$/,
    );
    expect(s.hits()).toBe(1);
  });

  it('reaches IPv6 hosts, and joins a header sent twice as one value', async () => {
    const server = createServer((_req, res) => {
      res.setHeader('link', ['<a>; rel="next"', '<b>; rel="last"']);
      res.end('v6');
    });
    await new Promise<void>((r) => server.listen(0, '::1', r));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const { http } = client();
    const res = await http.request({ method: 'GET', url: `http://[::1]:${(server.address() as AddressInfo).port}/` });
    expect(res.text()).toBe('v6');
    expect(res.headers.link).toBe('<a>; rel="next", <b>; rel="last"');
  });
});
