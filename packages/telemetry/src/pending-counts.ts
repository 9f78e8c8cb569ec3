import type { Attributes, Counter } from '@opentelemetry/api';

/**
 * Counter increments summed in memory per instrument and attribute set, and added to the
 * instruments once per collection. The OpenTelemetry SDK hashes the attribute set of every
 * `add` (it sorts the keys and serialises them), even when the same object comes back, so
 * the three counters a request bumps cost three hashes; summed here, they cost three per
 * collection. A sum added at collection is the sum the SDK would have reached add by add.
 */
export interface PendingCounts {
  /** Adds `value` to what `counter` will receive for `attributes`, an attribute set the caller reuses. */
  add(counter: Counter, value: number, attributes: Attributes): void;
  /** Adds every pending sum to its counter and starts again from none. */
  flush(): void;
}

/**
 * Creates {@link PendingCounts}. They flush by themselves once `maxPending` sums wait, so that
 * a meter that never collects (the no-op API) holds no more than that.
 */
export function createPendingCounts(maxPending = 4096): PendingCounts {
  const pending = new Map<Counter, Map<Attributes, number>>();
  let size = 0;
  const flush = () => {
    if (size === 0) return;
    size = 0;
    for (const [counter, sums] of pending) {
      for (const [attributes, sum] of sums) counter.add(sum, attributes);
      sums.clear();
    }
  };
  return {
    add(counter, value, attributes) {
      let sums = pending.get(counter);
      if (sums === undefined) {
        sums = new Map();
        pending.set(counter, sums);
      }
      const sum = sums.get(attributes);
      if (sum === undefined) {
        if (size >= maxPending) flush();
        size++;
        sums.set(attributes, value);
      } else {
        sums.set(attributes, sum + value);
      }
    },
    flush,
  };
}

/** {@link PendingCounts} that hold nothing: each increment goes to its counter at once. */
export const immediateCounts: PendingCounts = Object.freeze({
  add: (counter: Counter, value: number, attributes: Attributes) => counter.add(value, attributes),
  flush: () => {},
});
