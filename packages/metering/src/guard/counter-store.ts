import { type Clock, systemClock } from '@forge1/core';

/** One counter to check and add to atomically. */
export interface CounterReservation {
  key: string;
  /** Amount to add (non-negative). */
  amount: number;
  /** Refuse when `value + amount > limit` or `value >= limit`; null adds without a check. */
  limit: number | null;
  /** Epoch ms after which the counter may be forgotten. */
  expiresAt: number;
}

/** Result of {@link GuardCounterStore.reserve}: new values, or the first counter that refused. */
export type ReserveResult = { ok: true; values: number[] } | { ok: false; index: number; value: number };

/** A counter change without a check (reconciliation, refunds). */
export interface CounterChange {
  key: string;
  /** May be negative. */
  amount: number;
  expiresAt: number;
}

/**
 * Where the guard keeps its counters (requests per day, spend and tokens per period, alert
 * markers). The memory store serves one process; a shared store (Redis: one Lua script per
 * `reserve`) lets many processes enforce one budget. Every method must be atomic across the
 * entries it is given.
 */
export interface GuardCounterStore {
  readonly specificationVersion: 'v1';
  /** Checks every limited entry, then adds every amount — all or nothing. */
  reserve(entries: readonly CounterReservation[]): Promise<ReserveResult>;
  /** Adds amounts (creating counters at 0); returns the new values. */
  add(changes: readonly CounterChange[]): Promise<number[]>;
  /** Raises counters to at least `value` (seeding after a restart); returns the values. */
  raise(entries: ReadonlyArray<{ key: string; value: number; expiresAt: number }>): Promise<number[]>;
  /** Current values (0 when missing or expired). */
  get(keys: readonly string[]): Promise<number[]>;
  /** Sets a marker; true only for the first caller. */
  markOnce(key: string, expiresAt: number): Promise<boolean>;
  close?(): Promise<void>;
}

/** Options of {@link createMemoryCounterStore}. */
export interface MemoryCounterStoreOptions {
  clock?: Clock;
}

/**
 * The default {@link GuardCounterStore}: counters in a Map, for one process. Expired
 * counters are dropped as they are met and by a sweep when the map grows.
 * @example
 * ```ts
 * const guard = createGuard({ counters: createMemoryCounterStore() });
 * ```
 */
export function createMemoryCounterStore(options: MemoryCounterStoreOptions = {}): GuardCounterStore {
  const clock = options.clock ?? systemClock;
  const counters = new Map<string, { value: number; expiresAt: number }>();
  let sweepAt = 1024;

  const live = (key: string) => {
    const counter = counters.get(key);
    if (counter && counter.expiresAt <= clock.now()) {
      counters.delete(key);
      return undefined;
    }
    return counter;
  };
  const value = (key: string) => live(key)?.value ?? 0;
  const set = (key: string, next: number, expiresAt: number) => {
    const counter = live(key);
    counters.set(key, { value: next, expiresAt: Math.max(expiresAt, counter?.expiresAt ?? 0) });
    if (counters.size >= sweepAt) {
      for (const name of [...counters.keys()]) live(name);
      sweepAt = Math.max(1024, counters.size * 2);
    }
    return next;
  };

  return {
    specificationVersion: 'v1',
    async reserve(entries) {
      for (const [index, entry] of entries.entries()) {
        const current = value(entry.key);
        if (entry.limit !== null && (current + entry.amount > entry.limit || current >= entry.limit)) {
          return { ok: false, index, value: current };
        }
      }
      return {
        ok: true,
        values: entries.map((entry) => set(entry.key, value(entry.key) + entry.amount, entry.expiresAt)),
      };
    },
    async add(changes) {
      return changes.map((change) => set(change.key, value(change.key) + change.amount, change.expiresAt));
    },
    async raise(entries) {
      return entries.map((entry) => set(entry.key, Math.max(value(entry.key), entry.value), entry.expiresAt));
    },
    async get(keys) {
      return keys.map(value);
    },
    async markOnce(key, expiresAt) {
      if (live(key)) return false;
      set(key, 1, expiresAt);
      return true;
    },
  };
}
