import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as tls from 'node:tls';
import { seededRandom } from '../support/seeded-random';

// A loopback HTTP proxy that misbehaves on purpose, in front of the registry or the Harbor emulator, so the
// product's retry policy meets real resets, 5xx, 429 + Retry-After and stalls — counted, and reproducible by seed.

export type Fault =
  | { kind: 'reset' }
  | { kind: 'status'; status: number; body?: string; retryAfter?: number | string }
  | { kind: 'stall'; ms: number; then?: 'forward' | 'reset' };

export interface FaultRule {
  /** Which requests the rule considers; default all. */
  method?: string;
  path?: RegExp;
  /** Inject on every Nth considered request (1 = each one)... */
  every?: number;
  /** ...or with this probability, drawn from the proxy's seeded generator. */
  rate?: number;
  /** Stop after this many injections; default unlimited. */
  times?: number;
  fault: Fault;
}

export interface FaultProxyOptions {
  /** Where requests go, e.g. emulator.url or registry.url. */
  target: string;
  rules?: FaultRule[];
  /** Seed for `rate` rules; the same seed gives the same sequence of faults. */
  seed?: number;
  /** PEM CA to trust when the target is https. */
  targetCaFile?: string;
  /** Serve https to clients with this certificate (e.g. one from makeServerCert). */
  tls?: { certFile: string; keyFile: string };
}

export interface ProxyLogEntry {
  method: string;
  path: string;
  fault?: Fault['kind'];
  status?: number;
}

export interface FaultProxy {
  url: string;
  host: string;
  port: number;
  setRules(rules: FaultRule[]): void;
  /** How many faults were injected, in total and per kind. */
  injected(): { total: number; reset: number; status: number; stall: number };
  requests(): ProxyLogEntry[];
  stop(): Promise<void>;
}

export async function startFaultProxy(opts: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(opts.target);
  const ca = opts.targetCaFile ? fs.readFileSync(opts.targetCaFile) : undefined;
  const random = seededRandom(opts.seed ?? 1);
  let rules: Array<FaultRule & { seen: number; fired: number }> = [];
  const setRules = (r: FaultRule[]) => {
    rules = r.map((x) => ({ ...x, seen: 0, fired: 0 }));
  };
  setRules(opts.rules ?? []);
  const counts = { total: 0, reset: 0, status: 0, stall: 0 };
  const log: ProxyLogEntry[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const choose = (method: string, path: string): Fault | undefined => {
    for (const rule of rules) {
      if (rule.method && rule.method !== method) continue;
      if (rule.path && !rule.path.test(path)) continue;
      if (rule.times !== undefined && rule.fired >= rule.times) continue;
      rule.seen++;
      const hit = rule.every ? rule.seen % rule.every === 0 : rule.rate !== undefined ? random() < rule.rate : true;
      if (!hit) continue;
      rule.fired++;
      return rule.fault;
    }
    return undefined;
  };

  const reset = (req: http.IncomingMessage) => {
    // A TCP RST (ECONNRESET at the client), not a polite FIN. Only a socket over a TCP handle can send one:
    // behind https that is the raw socket the TLSSocket wraps (`_parent`); resetting the TLSSocket itself throws
    // ERR_INVALID_HANDLE_TYPE ("This handle type cannot be sent").
    const socket = req.socket;
    const tcp = socket instanceof tls.TLSSocket ? (socket as tls.TLSSocket & { _parent?: net.Socket })._parent : socket;
    if (tcp && !tcp.destroyed) tcp.resetAndDestroy();
    socket.destroy();
  };

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, entry: ProxyLogEntry) => {
    const lib = target.protocol === 'https:' ? https : http;
    const upstream = lib.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        // Host is kept so absolute URLs the server builds (registry upload Locations) point back at the proxy.
        headers: req.headers,
        ca,
        agent: false,
      },
      (up) => {
        entry.status = up.statusCode;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => reset(req));
    req.pipe(upstream);
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const entry: ProxyLogEntry = { method, path };
    log.push(entry);
    const fault = choose(method, path);
    if (!fault) return forward(req, res, entry);
    counts.total++;
    counts[fault.kind]++;
    entry.fault = fault.kind;
    if (fault.kind === 'reset') return reset(req);
    if (fault.kind === 'status') {
      entry.status = fault.status;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      const body =
        fault.body ??
        JSON.stringify({ errors: [{ code: 'INJECTED', message: `fault proxy injected ${fault.status}` }] });
      req.resume();
      res.writeHead(fault.status, headers);
      return res.end(body);
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (fault.then === 'reset') reset(req);
      else forward(req, res, entry);
    }, fault.ms);
    timers.add(timer);
  };

  const server = opts.tls
    ? https.createServer({ cert: fs.readFileSync(opts.tls.certFile), key: fs.readFileSync(opts.tls.keyFile) }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    setRules,
    injected: () => ({ ...counts }),
    requests: () => [...log],
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
