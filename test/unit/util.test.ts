import { basicAuth } from '../../shared/util/basic-auth';
import type { Clock } from '../../shared/util/clock';
import { limiter, mapLimited } from '../../shared/util/limit';
import { markdownCell, markdownCode } from '../../shared/util/markdown';
import { pollWithBackoff } from '../../shared/util/poll';
import { textTable } from '../../shared/util/table';

/** A scripted clock: sleeping advances it, nothing waits for real. */
function fakeClock(): Clock & { slept: number[]; t: number } {
  const clock = {
    t: 1_000_000,
    slept: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

describe('pollWithBackoff', () => {
  it('backs off exponentially up to the cap and returns the first value', async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await pollWithBackoff(
      { timeoutMs: 600_000, initialDelayMs: 2_000, maxDelayMs: 15_000, clock },
      async () => (++calls === 6 ? 'done' : undefined),
      () => 'timed out',
    );
    expect(value).toBe('done');
    expect(clock.slept).toEqual([2_000, 4_000, 8_000, 15_000, 15_000]);
  });

  it('ends through timedOut when an attempt fails with what the caller calls its own deadline, and only then', async () => {
    class CutOff extends Error {}
    const poll = (failAt: number, failWith: Error) =>
      pollWithBackoff(
        {
          timeoutMs: 600_000,
          initialDelayMs: 1_000,
          clock: fakeClock(),
          cutOff: (error, turn) => error instanceof CutOff && turn.attempt > 1,
        },
        async (turn) => {
          if (turn.attempt === failAt) throw failWith;
          return undefined;
        },
        () => 'timed out',
      );
    await expect(poll(3, new CutOff('budget'))).resolves.toBe('timed out');
    // the caller's predicate decides: not on the first attempt here, and never for another error
    await expect(poll(1, new CutOff('budget'))).rejects.toThrow('budget');
    await expect(poll(3, new Error('refused'))).rejects.toThrow('refused');
  });

  it('gives up when the next poll would start at or after the deadline (give-up)', async () => {
    const clock = fakeClock();
    const attempts: number[] = [];
    await expect(
      pollWithBackoff(
        { timeoutMs: 10_000, initialDelayMs: 2_000, maxDelayMs: 15_000, clock },
        async (turn) => void attempts.push(turn.attempt),
        () => {
          throw new Error('too late');
        },
      ),
    ).rejects.toThrow('too late');
    // polls at 0, 2 s and 6 s; the next one (14 s) would be past 10 s
    expect(clock.slept).toEqual([2_000, 4_000]);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('polls once more at the deadline, marked overdue (last-poll)', async () => {
    const clock = fakeClock();
    const overdue: boolean[] = [];
    const value = await pollWithBackoff(
      { timeoutMs: 5_000, initialDelayMs: 1_000, maxDelayMs: 15_000, factor: 1.5, clock, atDeadline: 'last-poll' },
      async (turn) => void overdue.push(turn.overdue),
      () => 'timed out',
    );
    expect(value).toBe('timed out');
    // 1000, 1500, 2250 (4750 in all), then only the 250 left
    expect(clock.slept).toEqual([1_000, 1_500, 2_250, 250]);
    expect(overdue).toEqual([false, false, false, false, true]);
  });

  it('waits what the answer asks for instead of the backoff, and 0 means at once', async () => {
    const clock = fakeClock();
    const asked = [7_000, 0, undefined];
    const value = await pollWithBackoff(
      { timeoutMs: 60_000, initialDelayMs: 2_000, startDelayMs: 500, clock },
      async (turn) => {
        if (turn.attempt > asked.length) return turn.attempt;
        turn.waitNext(asked[turn.attempt - 1]);
        return undefined;
      },
      () => -1,
    );
    expect(value).toBe(4);
    expect(clock.slept).toEqual([500, 7_000, 2_000]);
  });

  it('tells each wait before it starts', async () => {
    const clock = fakeClock();
    const told: number[] = [];
    await pollWithBackoff(
      { timeoutMs: 60_000, initialDelayMs: 1_000, maxDelayMs: 4_000, clock, onWait: (ms) => told.push(ms) },
      async (turn) => (turn.attempt === 4 ? true : undefined),
      () => false,
    );
    expect(told).toEqual(clock.slept);
    expect(told).toEqual([1_000, 2_000, 4_000]);
  });
});

describe('limiter', () => {
  it('runs at most `limit` at once and hands a freed slot to the first waiter', async () => {
    const run = limiter(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const tasks = [0, 1, 2, 3].map((i) =>
      run(async () => {
        active++;
        peak = Math.max(peak, active);
        order.push(i);
        await new Promise<void>((resolve) => releases.push(resolve));
        active--;
        return i;
      }),
    );
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    await settle();
    expect(order).toEqual([0, 1]);
    releases.shift()!();
    await settle();
    expect(order).toEqual([0, 1, 2]);
    while (releases.length > 0 || order.length < 4) {
      releases.shift()?.();
      await settle();
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3]);
    expect(peak).toBe(2);
  });

  it('mapLimited keeps the order of the items', async () => {
    const result = await mapLimited([3, 1, 2], 2, async (n, i) => `${i}:${n}`);
    expect(result).toEqual(['0:3', '1:1', '2:2']);
  });
});

describe('textTable', () => {
  it('pads columns to the widest cell and rules the header', () => {
    expect(
      textTable(
        ['A', 'Long header'],
        [
          ['wide cell', 'x'],
          ['b', ''],
        ],
      ),
    ).toBe(['A          Long header', '---------  -----------', 'wide cell  x', 'b'].join('\n'));
  });
});

describe('markdown cells', () => {
  it('keeps a remote text with line breaks and pipes inside one cell', () => {
    const text = 'quota exceeded\n| injected | row |\r\nnext';
    expect(markdownCell(text)).toBe('quota exceeded \\| injected \\| row \\| next');
    expect(markdownCell('<img src=x>')).toBe('&lt;img src=x&gt;');
  });

  it('shows code cells without entities and without a backtick that would end the span', () => {
    expect(markdownCode('a|b`c\nd<e>')).toBe("`a\\|b'c d<e>`");
  });
});

describe('basicAuth', () => {
  it('encodes user:password (robot names with $ included), empty password when absent', () => {
    expect(basicAuth('robot$ci', 's3cret')).toBe(`Basic ${Buffer.from('robot$ci:s3cret').toString('base64')}`);
    expect(basicAuth('user')).toBe(`Basic ${Buffer.from('user:').toString('base64')}`);
  });
});
