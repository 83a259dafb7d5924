/**
 * A registry that takes uploads but never lets them finish in time, for push's whole-step `timeout` (issue 13). It
 * speaks just enough of the OCI distribution API (distribution-spec: /v2/ ping, blob HEAD, POST an upload session,
 * manifest GET) for push to reach its uploads, then stalls them one of two ways:
 * - `trickle`: an upload body of more than TRICKLE_FREE bytes is read a little at a time and never answered. Bytes keep
 *   moving, so no per-request silence limit ever fires: only a budget for the whole step ends it.
 * - `busy`: every upload answers 503 with `Retry-After: 60` (a registry asking to be left alone for a minute): only a
 *   budget that refuses to wait past its end keeps the step from sleeping through it.
 * Smaller bodies (an image config) are read and accepted, so the stall is always in the layer. Nothing here measures
 * time: the tests assert only that the step ended with the budget's message.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type StallMode = 'trickle' | 'busy';

/** Bodies up to this size are accepted in full (configs); larger ones (layers) stall. */
export const TRICKLE_FREE = 64 * 1024;
/** Read per tick while trickling: ~160 KiB/s at most, so an 8 MiB layer takes the better part of a minute. */
const TRICKLE_BYTES = 16 * 1024;
const TRICKLE_TICK_MS = 100;

export interface StallingRegistry {
  url: string;
  /** Requests that would make something visible: manifests and tags (blob sessions are invisible until then). */
  visibleWrites: string[];
  /** Upload requests that reached the registry. */
  uploads: number;
  close(): Promise<void>;
}

export async function startStallingRegistry(mode: StallMode): Promise<StallingRegistry> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state: StallingRegistry = { url: '', visibleWrites: [], uploads: 0, close: async () => undefined };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://registry');
    const path = url.pathname;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
    };
    const unknown = (code: string) => json(404, { errors: [{ code, message: `${code.toLowerCase()}` }] });

    if (path === '/v2/' || path === '/v2') return (req.resume(), json(200, {}));
    if (/\/manifests\//.test(path)) {
      if (req.method === 'GET' || req.method === 'HEAD') return (req.resume(), unknown('MANIFEST_UNKNOWN'));
      state.visibleWrites.push(`${req.method} ${path}`);
      return (req.resume(), json(500, { errors: [{ code: 'UNKNOWN', message: 'not in this stand-in' }] }));
    }
    const blob = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path);
    if (blob && (req.method === 'HEAD' || req.method === 'GET')) return (req.resume(), unknown('BLOB_UNKNOWN'));
    const start = /^\/v2\/(.+)\/blobs\/uploads\/?$/.exec(path);
    if (start && req.method === 'POST') {
      req.resume();
      res.writeHead(202, {
        location: `/v2/${start[1]}/blobs/uploads/${randomUUID()}`,
        range: '0-0',
        'content-length': '0',
        'docker-upload-uuid': randomUUID(),
      });
      return res.end();
    }
    const session = /^\/v2\/(.+)\/blobs\/uploads\/[0-9a-f-]+$/.exec(path);
    if (session && (req.method === 'PUT' || req.method === 'PATCH')) {
      state.uploads++;
      return upload(req, res, url.searchParams.get('digest'));
    }
    if (session && req.method === 'DELETE') return (req.resume(), res.writeHead(204).end());
    req.resume();
    json(404, { errors: [{ code: 'UNSUPPORTED', message: `${req.method} ${path} is not in this stand-in` }] });
  };

  const upload = (req: IncomingMessage, res: ServerResponse, digest: string | null) => {
    const size = Number(req.headers['content-length'] ?? 0);
    if (mode === 'busy') {
      req.resume();
      req.on('end', () => {
        res.writeHead(503, { 'retry-after': '60', 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'come back in a minute' }] }));
      });
      return;
    }
    if (size <= TRICKLE_FREE) {
      req.resume();
      req.on('end', () => {
        res.writeHead(201, { 'docker-content-digest': digest ?? '', location: req.url ?? '', 'content-length': '0' });
        res.end();
      });
      return;
    }
    // Read a little, pause, read a little more: the client always sees progress, and the body never ends in time.
    req.pause();
    const tick = setInterval(() => {
      let taken = 0;
      let chunk: Buffer | null;
      while (taken < TRICKLE_BYTES && (chunk = req.read(Math.min(TRICKLE_BYTES - taken, req.readableLength || 1))))
        taken += chunk.length;
    }, TRICKLE_TICK_MS);
    timers.add(tick);
    req.on('close', () => {
      clearInterval(tick);
      timers.delete(tick);
    });
  };

  const server: Server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
