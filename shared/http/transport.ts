import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Net from 'node:net';
import type * as Stream from 'node:stream';
import type * as Tls from 'node:tls';

// Node's HTTP modules load with the first request, not on import: this module is part of every step's start (through
// the step context), and a step stopped by its inputs sends nothing (bench/startup).
// Each is required once and kept: a request that starts after a test's module registry was torn down still finds it.
/* eslint-disable @typescript-eslint/no-require-imports */
const http = once(() => require('node:http') as typeof Http);
const https = once(() => require('node:https') as typeof Https);
const stream = once(() => require('node:stream') as typeof Stream);
/* eslint-enable @typescript-eslint/no-require-imports */

function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

/** A body as sent: bytes, or a stream (a Readable or chunks) made for this attempt. */
export type WireBody = string | Buffer | Stream.Readable | AsyncIterable<Buffer>;

export interface Exchange {
  status: number;
  /** Lower-case names; a header sent more than once is one value joined with ", " (RFC 9110 §5.3). */
  headers: Record<string, string>;
  /** The answer's body, to be read (or resumed) by the caller. */
  body: Http.IncomingMessage;
}

export interface TransportOptions {
  /** TLS options for every connection (see tlsConnectOptions): one secure context, or verification off. */
  tls: Tls.ConnectionOptions;
  /** How long a TCP connection (or a proxy's tunnel) may take to open. */
  connectTimeoutMs: number;
  /** The runner's proxy: every proxied request goes through a CONNECT tunnel (HTTP and HTTPS targets alike). */
  proxy?: { url: string; authorization?: string };
}

/**
 * A limit of the transport ran out. `code` is what callers branch on (network-errors.ts): the connection did not open,
 * the server sent no answer, or the answer's body stopped, each for `ms` of silence.
 */
export class TransportTimeoutError extends Error {
  constructor(
    readonly code: 'ERR_CONNECT_TIMEOUT' | 'ERR_HEADERS_TIMEOUT' | 'ERR_BODY_TIMEOUT',
    readonly ms: number,
  ) {
    super(`${code} after ${ms} ms`);
    this.name = 'TransportTimeoutError';
  }
}

/** The connection to the proxy itself failed (refused, timed out, its certificate not trusted): `cause` says how. */
export class ProxyConnectError extends Error {
  constructor(
    readonly proxyUrl: string,
    cause: unknown,
  ) {
    super('cannot reach the proxy', { cause });
    this.name = 'ProxyConnectError';
  }
}

/** The proxy answered its CONNECT with something else than 200: `status` says what (407: its credentials). */
export class ProxyTunnelError extends Error {
  readonly code = 'ERR_PROXY_TUNNEL';
  constructor(readonly status: number) {
    super(`the proxy answered ${status} to CONNECT`);
    this.name = 'ProxyTunnelError';
  }
}

/** How long a kept connection may sit unused before the client closes it (undici's default keep-alive timeout). */
const IDLE_MS = 4_000;

/**
 * Requests over Node's own `http` and `https`: pooled keep-alive connections per origin, the runner's proxy by CONNECT
 * tunnel, a connect limit, a silence limit per request (reset by every byte sent or received), and an abort signal.
 * Node's HTTP parser is native; undici's (llhttp in WebAssembly) cost a push ~50 ms to load and, on Node 24, a TurboFan
 * compile that the process waited for at exit (bench/push/RESULTS.md).
 */
export class Transport {
  private readonly agents = new Map<string, Http.Agent>();
  private closed = false;

  constructor(private readonly options: TransportOptions) {}

  send(request: {
    method: string;
    url: URL;
    headers: Record<string, string>;
    body?: WireBody;
    /** Silence limit: no byte in either direction for this long ends the request. */
    timeoutMs: number;
    signal?: AbortSignal;
    proxied: boolean;
  }): Promise<Exchange> {
    const { method, url, headers, body, timeoutMs, signal, proxied } = request;
    return new Promise<Exchange>((resolve, reject) => {
      /** Refuses before anything is sent; a streamed body made for this attempt is closed (a file's descriptor). */
      const refuse = (error: unknown): void => {
        abandon(body);
        reject(error);
      };
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return refuse(
          Object.assign(new Error(`unsupported protocol ${url.protocol}`), { code: 'ERR_INVALID_PROTOCOL' }),
        );
      if (signal?.aborted) return refuse(signal.reason);
      // Requests still starting after the step's client was closed (parallel work of a step that already failed) are
      // not sent: nothing is written remotely after the step has stopped.
      if (this.closed) return refuse(Object.assign(new Error('the client is closed'), { code: 'ERR_CLIENT_CLOSED' }));
      let response: Http.IncomingMessage | undefined;
      let req: Http.ClientRequest;
      /** Ends the exchange with `error`: the request before its answer came, else the answer (and a body being sent). */
      const fail = (error: unknown): void => {
        if (!response) {
          // Settled here, not when Node emits the error: a request still waiting for its connection (a proxy's tunnel)
          // only stores the error until the connection settles, which can take the whole connect limit.
          reject(error);
          return void req?.destroy(error as Error);
        }
        response.destroy(error as Error);
        if (!req.writableFinished) req.destroy();
      };
      const onAbort = () => fail(signal!.reason);
      try {
        req = (url.protocol === 'https:' ? https() : http()).request({
          method,
          hostname: bare(url.hostname),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          headers,
          agent: this.agent(url.protocol, proxied),
        });
      } catch (error) {
        // Node checks the method and the header names and values before anything is sent (ERR_INVALID_CHAR, …).
        return refuse(error);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      req.once('socket', (socket: Net.Socket) => {
        if (!socket.connecting) return;
        // The agent's idle limit (IDLE_MS) is on a new socket from its creation (net.connect's `timeout`); the connect
        // limit below governs until it is open, and then the request's own limit (req.setTimeout applies at 'connect').
        socket.setTimeout(0);
        const timer = setTimeout(
          () => socket.destroy(new TransportTimeoutError('ERR_CONNECT_TIMEOUT', this.options.connectTimeoutMs)),
          this.options.connectTimeoutMs,
        );
        const clear = () => clearTimeout(timer);
        socket.once('connect', clear).once('close', clear);
      });
      req.setTimeout(timeoutMs, () =>
        fail(new TransportTimeoutError(response ? 'ERR_BODY_TIMEOUT' : 'ERR_HEADERS_TIMEOUT', timeoutMs)),
      );
      req.on('error', (error) => {
        // After the answer came, its body reports what went wrong with the connection.
        if (!response) {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        }
      });
      req.once('response', (res) => {
        response = res;
        // A body the caller abandons must not throw from an event nobody listens to; readers still get its errors.
        res.on('error', () => undefined);
        res.once('close', () => signal?.removeEventListener('abort', onAbort));
        // An answer that came before the body was all sent (a refusal) ends the upload once it is read: the server is
        // done with this request, whether it still reads the rest or stops reading without closing.
        res.once('end', () => {
          if (!req.writableFinished) req.destroy();
        });
        resolve({ status: res.statusCode!, headers: joinHeaders(res.headersDistinct), body: res });
      });
      if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
        req.end(body);
        return;
      }
      const declared = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
      send(body, req, declared).catch((error: unknown) => {
        // After an answer, the answer is what counts (its end closes the unfinished request, above).
        if (!response) req.destroy(error as Error);
      });
    });
  }

  /** Reads a body to its end, for answers that are not kept (a retried status). */
  static async discard(body: Http.IncomingMessage): Promise<void> {
    body.resume();
    await stream()
      .promises.finished(body)
      .catch(() => undefined);
  }

  /** Closes every connection, idle or not. */
  close(): void {
    this.closed = true;
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private agent(protocol: 'http:' | 'https:', proxied: boolean): Http.Agent {
    const key = `${protocol}${proxied ? 'proxied' : ''}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const options = { keepAlive: true, timeout: IDLE_MS, scheduling: 'lifo' as const };
      if (protocol === 'http:')
        agent = proxied ? new (tunnelling(http().Agent, this.options, false))(options) : new (http().Agent)(options);
      else {
        const secure = { ...options, ...this.options.tls };
        agent = proxied ? new (tunnelling(https().Agent, this.options, true))(secure) : new (https().Agent)(secure);
      }
      this.agents.set(key, agent);
    }
    return agent;
  }
}

type AgentClass = typeof Http.Agent;

/**
 * An agent whose connections are tunnels through the proxy (CONNECT host:port, RFC 9110 §9.3.6), as undici's
 * ProxyAgent and curl open them; for an HTTPS target, TLS runs inside the tunnel with the client's own trust.
 */
function tunnelling(Base: AgentClass, options: TransportOptions, secure: boolean): AgentClass {
  const base = Base.prototype as unknown as {
    createConnection(o: Tls.ConnectionOptions, cb?: (err: Error | null, s?: Net.Socket) => void): Net.Socket;
  };
  return class extends Base {
    // Node's Agent takes a connection from this callback when none is returned (lib/_http_agent.js createSocket).
    override createConnection(
      target: Http.ClientRequestArgs,
      callback?: (error: Error | null, socket: Stream.Duplex) => void,
    ): undefined {
      openTunnel(options, target.host!, Number(target.port)).then(
        (socket) => {
          if (!secure) return callback!(null, socket);
          let tlsSocket: Stream.Duplex;
          try {
            // https.Agent's own createConnection (its TLS session cache included) over the tunnel's socket.
            tlsSocket = base.createConnection.call(this, { ...(target as Tls.ConnectionOptions), socket });
          } catch (error) {
            socket.destroy();
            return callback!(error as Error, undefined as unknown as Stream.Duplex);
          }
          callback!(null, tlsSocket);
        },
        (error: Error) => callback!(error, undefined as unknown as Stream.Duplex),
      );
      return undefined;
    }
  };
}

function openTunnel(options: TransportOptions, host: string, port: number): Promise<Net.Socket> {
  const proxy = new URL(options.proxy!.url);
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    const secure = proxy.protocol === 'https:';
    const connect = (secure ? https() : http()).request({
      method: 'CONNECT',
      hostname: bare(proxy.hostname),
      port: proxy.port || (secure ? 443 : 80),
      path: authority,
      headers: {
        host: authority,
        ...(options.proxy!.authorization ? { 'proxy-authorization': options.proxy!.authorization } : {}),
      },
      agent: false,
      ...(secure ? options.tls : {}),
    });
    const timer = setTimeout(
      () => connect.destroy(new TransportTimeoutError('ERR_CONNECT_TIMEOUT', options.connectTimeoutMs)),
      options.connectTimeoutMs,
    );
    // Node delivers every answer to a CONNECT here, whatever its status (lib/_http_client.js parserOnIncomingClient).
    connect.once('connect', (res: Http.IncomingMessage, socket: Net.Socket, head: Buffer) => {
      clearTimeout(timer);
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new ProxyTunnelError(res.statusCode ?? 0));
        return;
      }
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    connect.on('error', (error) => {
      clearTimeout(timer);
      reject(new ProxyConnectError(options.proxy!.url, error));
    });
    connect.end();
  });
}

/**
 * Writes a streamed body as the connection takes it. A declared length is held to: a stream that runs long or ends
 * short fails the request instead of leaving the server waiting for bytes that never come. (Node's own check,
 * `strictContentLength`, throws from inside `end()`, which a pipeline does not catch.)
 */
async function send(body: Stream.Readable | AsyncIterable<Buffer>, req: Http.ClientRequest, declared?: number) {
  let sent = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    sent += chunk.length;
    if (declared !== undefined && sent > declared) throw new ContentLengthError(declared, sent);
    if (req.destroyed) return;
    if (!req.write(chunk)) await drained(req);
  }
  if (declared !== undefined && sent !== declared) throw new ContentLengthError(declared, sent);
  req.end();
}

/** The body's source gave more or fewer bytes than its declared length (a file that changed while it was read). */
export class ContentLengthError extends Error {
  readonly code = 'ERR_HTTP_CONTENT_LENGTH_MISMATCH';
  constructor(
    readonly declared: number,
    readonly sent: number,
  ) {
    super(`the body had ${sent > declared ? 'more than ' : ''}${sent} bytes where its content-length said ${declared}`);
    this.name = 'ContentLengthError';
  }
}

function drained(req: Http.ClientRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      req.off('drain', done).off('close', closed);
      resolve();
    };
    const closed = () => {
      req.off('drain', done).off('close', closed);
      reject(new Error('the connection closed while the body was sent'));
    };
    req.on('drain', done).on('close', closed);
  });
}

/** Closes a streamed body that will not be sent. */
function abandon(body: WireBody | undefined): void {
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) return;
  if (typeof (body as Stream.Readable).destroy === 'function') (body as Stream.Readable).destroy();
  else void body[Symbol.asyncIterator]().return?.();
}

/** URL.hostname keeps an IPv6 address's brackets; Node's request options take the address without them. */
function bare(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

function joinHeaders(headers: NodeJS.Dict<string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(headers)) if (values) out[name] = values.join(', ');
  return out;
}
