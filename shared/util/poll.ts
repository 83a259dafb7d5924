import { systemClock, type Clock } from './clock';

export interface PollOptions {
  /** Measured from the first poll. */
  timeoutMs: number;
  /** Wait after the first poll; it grows by `factor` per poll up to `maxDelayMs`. */
  initialDelayMs: number;
  /** Default: `initialDelayMs` (a fixed interval). */
  maxDelayMs?: number;
  /** Default 2. */
  factor?: number;
  clock?: Clock;
  /**
   * `give-up` (default): stop as soon as the next poll would start at or after the deadline, so no request runs into
   * a deadline it shares. `last-poll`: sleep no longer than the time left and poll once more at the deadline, with
   * `overdue` set, so the caller can read the final state with a client of its choice.
   */
  atDeadline?: 'give-up' | 'last-poll';
  /** Wait before the first poll too (the operation was only just started), bounded by the deadline like the others. */
  startDelayMs?: number;
  /** Told each wait before it starts (to say when the next try comes). */
  onWait?: (ms: number) => void;
  /**
   * Whether an error from `attempt` means the caller's own deadline (e.g. the step's whole budget, counted from the
   * step's start) cut that poll off: the poll then ends as at its deadline, through `timedOut`, so the answer is the
   * state the polls read, not the request that was cut off.
   */
  cutOff?: (error: unknown, turn: PollTurn) => boolean;
}

export interface PollTurn {
  /** 1 for the first poll. */
  readonly attempt: number;
  /** Time since the first poll started, read when asked. */
  elapsedMs(): number;
  /** Only with `last-poll`: the deadline has passed; this is the last poll. */
  readonly overdue: boolean;
  /** Wait this long before the next poll instead of the backoff (a server's Retry-After); 0 polls again at once. */
  waitNext(ms: number | undefined): void;
}

/**
 * The one poll loop: calls `attempt` until it answers a value (not undefined), with capped exponential backoff, and
 * calls `timedOut` when the deadline ends it (which throws, or answers what the caller reports instead).
 */
export async function pollWithBackoff<T>(
  options: PollOptions,
  attempt: (turn: PollTurn) => Promise<T | undefined>,
  timedOut: () => T | Promise<T>,
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const maxDelay = options.maxDelayMs ?? options.initialDelayMs;
  const factor = options.factor ?? 2;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  let delay = options.initialDelayMs;
  if (options.startDelayMs !== undefined && options.startDelayMs > 0)
    await clock.sleep(Math.min(options.startDelayMs, Math.max(0, deadline - clock.now())));
  for (let n = 1; ; n++) {
    let override: number | undefined;
    const overdue = options.atDeadline === 'last-poll' && clock.now() >= deadline;
    const turn: PollTurn = {
      attempt: n,
      elapsedMs: () => clock.now() - started,
      overdue,
      waitNext: (ms) => {
        override = ms;
      },
    };
    let value: T | undefined;
    try {
      value = await attempt(turn);
    } catch (error) {
      if (options.cutOff?.(error, turn)) return timedOut();
      throw error;
    }
    if (value !== undefined) return value;
    const wait = override ?? delay;
    const left = deadline - clock.now();
    if (overdue || left <= 0) return timedOut();
    if (options.atDeadline !== 'last-poll' && wait >= left) return timedOut();
    if (wait > 0) {
      options.onWait?.(Math.min(wait, left));
      await clock.sleep(Math.min(wait, left));
    }
    if (override === undefined) delay = Math.min(Math.round(delay * factor), maxDelay);
  }
}
