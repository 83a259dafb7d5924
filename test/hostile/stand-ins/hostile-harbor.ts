/**
 * A hostile Harbor: the real emulator (test/sandbox) behind a proxy that plants runner commands in every piece of free
 * text Harbor or its scanner hands back, the way a compromised scanner, a poisoned vulnerability database or another
 * tenant's naming would (issue 13): the scanner's job log and replication task logs (plain text), error messages,
 * status texts, descriptions, and the vulnerability report's package, fix version and scanner fields. Names the steps
 * look things up by are left alone, so each step still reaches the code that logs the planted text. Everything else
 * (the emulator's behaviour, its swagger contract check, /v2/ and the token service) is the emulator's own.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The keys whose string values are free text from Harbor or its scanner (swagger: Error.message, Execution.status_text, …). */
const FREE_TEXT = new Set(['message', 'description', 'status_text', 'package', 'fix_version']);
/** Scanner identity in reports and scan overviews (swagger: Scanner.name/vendor/version). */
const SCANNER_TEXT = new Set(['name', 'vendor', 'version']);

export interface HostileHarbor {
  url: string;
  /** Writes that passed through (method and path), to tell the step's own work from half-written state. */
  writes: string[];
  /** Responses whose text was planted, by path: proof the hostile text was really served. */
  planted: string[];
  close(): Promise<void>;
}

/** Appends the planted lines to a free-text value: on a line of their own, as a log or message would carry them. */
export function plantIn(value: string, lines: readonly string[]): string {
  return `${value}\n${lines.join('\n')}`;
}

function plantJson(value: unknown, lines: readonly string[], parentKey?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => plantJson(v, lines, parentKey));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const free = FREE_TEXT.has(key) || (parentKey === 'scanner' && SCANNER_TEXT.has(key));
    out[key] = free && typeof v === 'string' ? plantIn(v, lines) : plantJson(v, lines, key);
  }
  return out;
}

export async function startHostileHarbor(target: string, lines: readonly string[]): Promise<HostileHarbor> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const state: HostileHarbor = { url: '', writes: [], planted: [], close: async () => undefined };

  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (req.method !== 'GET' && req.method !== 'HEAD') state.writes.push(`${req.method} ${path.split('?')[0]}`);
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer: IncomingMessage) => {
        const type = String(answer.headers['content-type'] ?? '');
        const rewrite = path.startsWith('/api/') && req.method !== 'HEAD' && /json|text\/plain/.test(type);
        if (!rewrite) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body = text;
          if (/text\/plain/.test(type)) body = plantIn(text, lines);
          else if (text.trim()) body = JSON.stringify(plantJson(JSON.parse(text), lines));
          if (body !== text) state.planted.push(path.split('?')[0]);
          const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(body)) };
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
