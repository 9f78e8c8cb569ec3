import type { Clock, TimerHandle } from '../clock.js';

/** A {@link Clock} that moves only when told to. */
export interface FakeClock extends Clock {
  /** Moves time forward, firing due timers in order (awaiting microtasks between them). */
  advance(ms: number): Promise<void>;
  /** Fires every pending timer, moving time to the last one. */
  runAll(): Promise<void>;
  /** Number of pending timers. */
  pending(): number;
}

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

const flushMicrotasks = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/**
 * Creates a fake clock starting at `start` (epoch milliseconds).
 * @example
 * ```ts
 * const clock = createFakeClock();
 * const pool = createKeyPool({ keys, clock });
 * await clock.advance(60_000);
 * ```
 */
export function createFakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  let now = start;
  let nextId = 1;
  let timers: Timer[] = [];

  const fireDue = async (until: number) => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const due = timers[0];
      if (!due || due.at > until) break;
      timers.shift();
      now = Math.max(now, due.at);
      due.callback();
      await flushMicrotasks();
    }
    now = Math.max(now, until);
  };

  return {
    now: () => now,
    setTimeout(callback, ms): TimerHandle {
      const timer = { id: nextId++, at: now + Math.max(0, ms), callback };
      timers.push(timer);
      return timer.id;
    },
    clearTimeout(handle) {
      timers = timers.filter((timer) => timer.id !== handle);
    },
    async advance(ms) {
      await flushMicrotasks();
      await fireDue(now + ms);
    },
    async runAll() {
      await flushMicrotasks();
      while (timers.length) await fireDue(Math.max(...timers.map((t) => t.at)));
    },
    pending: () => timers.length,
  };
}
