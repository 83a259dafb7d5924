/** Classifies low-level errors (undici, node:net, node:tls) into retryable or not, and one readable cause. */

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
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
  // undici wraps the socket's own error (ECONNRESET, …) in UND_ERR_SOCKET; the inner code says more.
  let found: string | undefined;
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (code !== 'UND_ERR_SOCKET') return code;
      found = code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return found;
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
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `connection to ${hostPort} timed out`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `${hostPort} did not answer in time (${code})`;
    default:
      return `network error talking to ${hostPort} (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}
