import { redactUrl } from '../redact';
import {
  ProxyConnectError,
  type ContentLengthError,
  type ProxyTunnelError,
  type TransportTimeoutError,
} from './transport';

/**
 * Classifies low-level errors (node:net, node:tls, node:http, the transport's own) into retryable or not, and one
 * readable cause.
 */

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  // shared/http/transport.ts: a connection that did not open, an answer that did not come or stopped coming.
  'ERR_CONNECT_TIMEOUT',
  'ERR_HEADERS_TIMEOUT',
  'ERR_BODY_TIMEOUT',
]);

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

export function errorCode(error: unknown): string | undefined {
  // The first code on the error or its causes (a wrapped socket error says more than its wrapper).
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Refused connections and unknown hosts fail fast: retrying them only delays the one line the user needs. */
export function isRetryableNetworkError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && RETRYABLE_CODES.has(code);
}

export function isTlsError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && TLS_CODES.has(code);
}

/** The connection that failed was the one to the proxy, not through it (ProxyConnectError). */
export function proxyConnectFailure(error: unknown): ProxyConnectError | undefined {
  return error instanceof ProxyConnectError ? error : undefined;
}

/** One readable cause for a request to url, saying whether it went through the proxy or could not reach it. */
export function describeFailure(error: unknown, url: string, proxy?: string): string {
  const unreachable = proxyConnectFailure(error);
  if (unreachable)
    return `cannot use the proxy ${redactUrl(unreachable.proxyUrl)}: ${describeNetworkError(unreachable.cause, unreachable.proxyUrl)}`;
  return `${describeNetworkError(error, url)}${proxy ? ` (through the proxy ${redactUrl(proxy)})` : ''}`;
}

export function describeNetworkError(error: unknown, url: string): string {
  const { hostname, port, protocol } = new URL(url);
  const hostPort = `${hostname}:${port || (protocol === 'https:' ? '443' : '80')}`;
  const code = errorCode(error);
  if (isTlsError(error)) {
    return `TLS verification of ${hostPort} failed (${code}); trust its CA with the CA file input, or set insecure to true (not recommended)`;
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${hostPort} (connection refused)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host ${hostname} (${code})`;
    case 'ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `connection to ${hostPort} timed out`;
    case 'ERR_HEADERS_TIMEOUT':
      return `${hostPort} sent no answer for ${formatDelay((error as TransportTimeoutError).ms)}`;
    case 'ERR_BODY_TIMEOUT':
      return `${hostPort} stopped sending its answer for ${formatDelay((error as TransportTimeoutError).ms)}`;
    case 'ERR_PROXY_TUNNEL': {
      const { status } = error as ProxyTunnelError;
      const why =
        status === 407 ? ': check the proxy credentials' : status === 403 ? ': the proxy does not allow it' : '';
      return `the proxy refused a tunnel to ${hostPort} (it answered ${status}${why})`;
    }
    case 'ERR_CLIENT_CLOSED':
      return `not sent to ${hostPort}: the step had already stopped its remote work`;
    case 'ERR_HTTP_CONTENT_LENGTH_MISMATCH':
      return `${(error as ContentLengthError).message} (did the file change while it was sent?)`;
    default:
      return `network error talking to ${hostPort} (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

/** A wait or a limit as the step's lines say it: 300 ms, 1.5 s, 2 min. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}
