/** Time as a step sees it. Tests pass a scripted clock so no test waits or races the wall clock. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const systemClock: Clock = { now: () => Date.now(), sleep };

/** A clock with some parts replaced (the test seams steps and clients accept). */
export function clockWith(parts: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {}): Clock {
  return { now: parts.now ?? systemClock.now, sleep: parts.sleep ?? sleep };
}
