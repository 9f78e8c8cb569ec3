/** A value or a promise of it: the memory store answers synchronously, remote stores asynchronously. */
export type Awaitable<T> = T | Promise<T>;

/** What a bucket counts: requests (one per lease) or tokens (the lease's estimate, then its actual usage). */
export type BucketUnit = 'requests' | 'tokens';

/**
 * One rolling-window budget. Capacity used by a lease returns exactly `windowMs` after the
 * lease was granted, so no window of `windowMs` ever holds more than `limit`.
 * Buckets are identified by `id` across the whole store: keys that declare one `group` share
 * the group's bucket ids, which is how joint limits are enforced.
 */
export interface BucketSpec {
  /** Store-wide id, e.g. `key:openai-1:rpm` or `group:org-1:tpm`. */
  readonly id: string;
  readonly unit: BucketUnit;
  /** Most units granted within any window. Positive. */
  readonly limit: number;
  /** Length of the rolling window in milliseconds. Positive. */
  readonly windowMs: number;
}

/** A key the store may pick for a lease, with every budget that must have room. */
export interface KeyCandidate {
  readonly keyId: string;
  /** Every bucket is checked and debited together, atomically. */
  readonly buckets: readonly BucketSpec[];
  /** Most leases in flight on this key at once; 0 for no limit. */
  readonly maxConcurrent: number;
  /** Preference class, lower first: the pool uses 0 for dedicated, 1 for active shared, 2 for backup keys. */
  readonly rank: number;
  /** Whether the request's `reserves` apply to this key (shared keys) or not (dedicated keys). */
  readonly shared: boolean;
  /** Multiplies the headroom when comparing keys of the same rank. Positive. */
  readonly weight: number;
}

/** One atomic check-and-debit: pick a key among candidates and debit every bucket of it, or none. */
export interface TakeRequest {
  /** Keys to choose from; the store picks the lowest rank that fits, then the most weighted headroom. */
  readonly candidates: readonly KeyCandidate[];
  /** Tokens to reserve in `tokens` buckets until the lease is settled. Non-negative. */
  readonly tokens: number;
  /**
   * Priority class of the request, an integer in 0..7 (the pool uses the tier's rank, 0 the
   * highest). Stores track usage per class within each window.
   */
  readonly priorityClass: number;
  /**
   * Share (0..1) of every `shared` candidate's bucket limits guaranteed to each class, by class
   * index; empty when nothing is reserved. The part of other classes' guarantees they have not
   * used within the window stays free: the request fits a bucket when
   * `used + cost <= limit - sum over other classes c of max(0, reserves[c] * limit - used[c])`.
   */
  readonly reserves: readonly number[];
  /** Unique id of the lease to record. */
  readonly leaseId: string;
  /** The lease is forgotten (its in-flight slot freed) this long after it was granted. */
  readonly leaseTtlMs: number;
}

/** The answer to {@link TakeRequest}. `at` is the store's time of the decision, epoch milliseconds. */
export type TakeResult =
  | { readonly ok: true; readonly keyId: string; readonly at: number }
  | {
      readonly ok: false;
      readonly at: number;
      /**
       * Milliseconds until some candidate can take the same request as far as budgets,
       * cooldowns and lease expiry go; `Infinity` when none ever can (disabled, or a demand
       * larger than a limit).
       */
      readonly retryAfterMs: number;
      /** True when some candidate is blocked only by its concurrency limit, so a release may free it sooner. */
      readonly waitsOnRelease: boolean;
    };

/** What a lease really used, reported once when it ends. */
export interface SettleRequest {
  readonly leaseId: string;
  /** Actual tokens; replaces the reserved estimate. Omitted: the estimate stands. */
  readonly tokens?: number;
  /**
   * What the provider said remains of the key's budgets; the store records phantom usage so
   * that its own view is never more generous than the provider's.
   */
  readonly remaining?: { readonly requests?: number; readonly tokens?: number };
}

/** Flags and counts of one key, as the store sees them. */
export interface KeyState {
  readonly disabled: boolean;
  /** Epoch milliseconds when the cooldown ends; 0 when not cooling. */
  readonly cooldownUntil: number;
  readonly inFlight: number;
}

/**
 * Where a key pool keeps budgets, in-flight leases, cooldowns and disabled flags. The memory
 * store is the default; a Redis store shares one pool between processes. Every method that
 * reads or changes budgets takes time from the store itself (`now()`), never from the caller,
 * so that processes with skewed clocks agree.
 *
 * Conformance: `runStateStoreConformance` from `@forge1/keypool/testing`.
 */
export interface StateStoreV1 {
  readonly specificationVersion: 'v1';
  /** The store's time, epoch milliseconds. */
  now(): Awaitable<number>;
  /**
   * Atomically: forgets expired leases, then picks one candidate that is not disabled, not
   * cooling, under its concurrency limit and whose every bucket has room for the request
   * (leaving other classes' unused reserves free on shared keys), debits all its buckets and records the lease.
   */
  take(request: TakeRequest): Awaitable<TakeResult>;
  /**
   * Ends a lease: frees its in-flight slot and replaces its token estimate by `tokens`.
   * Returns false (and changes nothing) when the lease is unknown, already settled or expired.
   */
  settle(request: SettleRequest): Awaitable<boolean>;
  /**
   * Cools a key down for `forMs` from the store's now. A cooldown never shortens one in
   * progress: returns the deadline in force afterwards (the later of the two).
   */
  coolDown(keyId: string, forMs: number): Awaitable<number>;
  /** Sets or clears the disabled flag of a key. */
  setDisabled(keyId: string, disabled: boolean): Awaitable<void>;
  /** Flags and in-flight count of a key (defaults for a key never seen). */
  keyState(keyId: string): Awaitable<KeyState>;
  /** Units used within the bucket's current window. */
  used(bucket: BucketSpec): Awaitable<number>;
  /**
   * Calls `listener` with a key id when capacity may have freed outside this process (another
   * process settled a lease or enabled a key), so that the pool wakes its waiters. Returns a
   * function that stops listening. Stores shared by one process need not implement it.
   */
  watch?(listener: (keyId: string) => void): () => void;
  /** Releases connections. */
  close?(): Awaitable<void>;
}
