export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound for a server's Retry-After, so a bad header cannot stall a pipeline. */
  maxRetryAfterMs: number;
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
};

/** 5xx (except 501 Not Implemented, which will not change) and 429; never 401/403/404/422. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Capped exponential backoff with full jitter: a random delay in [base, min(cap, base·2^(attempt-1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(policy.baseDelayMs + policy.random() * Math.max(0, ceiling - policy.baseDelayMs));
}

/** Retry-After as seconds or an HTTP date → milliseconds, capped; undefined when absent or unparseable. */
export function retryAfterMs(
  header: string | undefined,
  cap: number,
  now: () => number = Date.now,
): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    ms = Math.max(0, date - now());
  }
  return Math.min(ms, cap);
}
