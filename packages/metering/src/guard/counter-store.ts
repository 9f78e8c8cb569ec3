import { type Clock, readOptions, systemClock } from '@forge1/core';
import { checkCounterEntries, checkCounterKeys, checkMarker } from './counter-input.js';

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
export function createMemoryCounterStore(input: MemoryCounterStoreOptions = {}): GuardCounterStore {
  const options = readOptions(input, 'createMemoryCounterStore');
  const clock = options.clock ?? systemClock;
  const counters = new Map<string, { value: number; expiresAt: number }>();
  let sweepAt = 1024;

  // One reading of the clock per call: every entry of an atomic call sees the same instant.
  const live = (key: string, now: number) => {
    const counter = counters.get(key);
    if (counter && counter.expiresAt <= now) {
      counters.delete(key);
      return undefined;
    }
    return counter;
  };
  const value = (key: string, now: number) => live(key, now)?.value ?? 0;
  // The new value of a counter: `amount` added to it, or with `raise` the larger of the two.
  // Flags rather than a callback: reserve and settle change three counters a request each.
  const next = (current: number, amount: number, raise: boolean) =>
    raise ? Math.max(current, amount) : current + amount;
  /** Adds `amount` to a counter (or raises it to `amount`), keeping the later expiry. */
  const update = (key: string, now: number, expiresAt: number, amount: number, raise = false) => {
    const counter = live(key, now);
    if (counter) {
      counter.value = next(counter.value, amount, raise);
      counter.expiresAt = Math.max(expiresAt, counter.expiresAt);
      return counter.value;
    }
    const created = { value: next(0, amount, raise), expiresAt: Math.max(expiresAt, 0) };
    counters.set(key, created);
    if (counters.size >= sweepAt) {
      for (const name of [...counters.keys()]) live(name, now);
      sweepAt = Math.max(1024, counters.size * 2);
    }
    return created.value;
  };

  return {
    specificationVersion: 'v1',
    async reserve(entries) {
      checkCounterEntries(entries, 'counterStore.reserve', 'amount', true);
      const now = clock.now();
      for (let index = 0; index < entries.length; index++) {
        const entry = entries[index]!;
        const current = value(entry.key, now);
        if (entry.limit !== null && (current + entry.amount > entry.limit || current >= entry.limit)) {
          return { ok: false, index, value: current };
        }
      }
      return {
        ok: true,
        values: entries.map((entry) => update(entry.key, now, entry.expiresAt, entry.amount)),
      };
    },
    async add(changes) {
      checkCounterEntries(changes, 'counterStore.add', 'amount');
      const now = clock.now();
      return changes.map((change) => update(change.key, now, change.expiresAt, change.amount));
    },
    async raise(entries) {
      checkCounterEntries(entries, 'counterStore.raise', 'value');
      const now = clock.now();
      return entries.map((entry) => update(entry.key, now, entry.expiresAt, entry.value, true));
    },
    async get(keys) {
      checkCounterKeys(keys, 'counterStore.get');
      const now = clock.now();
      return keys.map((key) => value(key, now));
    },
    async markOnce(key, expiresAt) {
      checkMarker(key, expiresAt, 'counterStore.markOnce');
      const now = clock.now();
      if (live(key, now)) return false;
      // Not live: the marker starts at 0, and becomes 1.
      update(key, now, expiresAt, 1);
      return true;
    },
  };
}
