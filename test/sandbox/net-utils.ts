import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { pollWithBackoff } from '../../shared/util/poll';

/** Asks the kernel for a free loopback port. Racy in theory; in practice nothing else binds in between. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface SimpleResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  json<T = unknown>(): T;
}

export interface SimpleRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** PEM CA bundle trusted for https URLs. */
  ca?: string | Buffer;
  insecure?: boolean;
  timeoutMs?: number;
}

/**
 * A deliberately tiny HTTP client for the sandbox itself (emulator -> registry, tests -> emulator). It is not the
 * product's HTTP layer: it must stay independent of the code under test so it can judge it.
 */
export function request(url: string, opts: SimpleRequest = {}): Promise<SimpleResponse> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      {
        method: opts.method ?? 'GET',
        headers: opts.headers,
        ca: opts.ca,
        rejectUnauthorized: !opts.insecure,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: () => body.toString('utf8'),
            json: <T>() => JSON.parse(body.toString('utf8')) as T,
          });
        });
      },
    );
    req.setTimeout(opts.timeoutMs ?? 15000, () =>
      req.destroy(new Error(`timeout after ${opts.timeoutMs ?? 15000} ms: ${url}`)),
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export { basicAuth } from '../../shared/util/basic-auth';
export { sleep } from '../../shared/util/clock';

/** Polls until `probe` resolves truthy; used for process readiness, never as a test assertion. */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  let lastError: unknown;
  await pollWithBackoff(
    { timeoutMs, initialDelayMs: 50 },
    async () => {
      try {
        if (await probe()) return true;
      } catch (e) {
        lastError = e;
      }
      return undefined;
    },
    () => {
      throw new Error(`${what} not ready after ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    },
  );
}
