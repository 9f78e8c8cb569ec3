import type { Clock, EventBus, KeyPoolStats, KeyPoolV1, KeyStats, Tier } from '@forge1/core';
import type { GroupLimits, KeyInput, KeySecretSource, TierAdmission } from '../keys/key-options.js';
import type { StateStoreV1 } from '../store/state-store.js';

/** Options of {@link createKeyPool}. */
export interface KeyPoolOptions {
  /** The keys to lend. Validated: unique ids, known providers, positive limits, declared groups. */
  keys: KeyInput[];
  /** Joint limits of key groups, by group name. @default {} */
  groups?: Record<string, GroupLimits>;
  /** Priority and reserved share per tier. @default core's `defaultTierSettings` */
  tiers?: Partial<Record<Tier, TierAdmission>>;
  /** Where budgets, leases, cooldowns and disabled flags live. @default createMemoryStateStore({ clock }) */
  store?: StateStoreV1;
  /** @default systemClock */
  clock?: Clock;
  /** Events `key.cooldown`, `key.disabled`, `key.enabled`, `key.learned`, `pool.saturated`, `pool.underused`, `store.error`. @default a new bus */
  events?: EventBus;
  /** Random numbers in [0, 1), for cooldown jitter. @default Math.random */
  random?: () => number;
  /** Longest wait in the queue before NoCapacityError. @default 30000 */
  maxWaitMs?: number;
  /** A lease never released is forgotten after this long, freeing its slot. @default 300000 */
  leaseTtlMs?: number;
  /** Priority points a waiting request gains per second, so that no tier starves. @default 2 */
  agingPerSecond?: number;
  /** A tier holds its reserve only if it asked for a key of the provider within this window. @default 60000 */
  activityWindowMs?: number;
  /** Cooldown of a rate-limited key without retry-after: `baseMs · 2^(n-1)`, jittered, at most `maxMs`. */
  cooldown?: { baseMs?: number; maxMs?: number };
  /** Saturation signals, or false to turn them off. @default { windowMs: 60000, saturatedAbove: 0.8, underusedBelow: 0.3 } */
  signals?: false | { windowMs?: number; saturatedAbove?: number; underusedBelow?: number };
  /** Provider names accepted besides those of the built-in catalog. @default [] */
  providers?: string[];
}

/** Figures of one key: core's {@link KeyStats} plus limits and group. */
export interface PoolKeyStats extends KeyStats {
  group?: string;
  /** Limits in force: the configured ones, tightened by what response headers taught. */
  limits: { rpm: number; tpm: number; rpd?: number; maxConcurrent?: number };
}

/** Figures of one provider's keys. */
export interface ProviderStats {
  provider: string;
  /** Mean utilisation of the provider's serving active keys over their window, 0..1. */
  utilisation: number;
  queueDepth: number;
  /**
   * Acquisitions lent since the pool started (`count`), those that waited in the queue first
   * (`queued`), and the wait of recent ones (0 for immediate ones), milliseconds.
   */
  waits: { count: number; queued: number; p50: number; p95: number };
  /** Keys cooling down now. */
  cooling: number;
  /** Cooldowns since the pool started. */
  cooldowns: number;
}

/** Pool-wide figures: core's {@link KeyPoolStats} plus per-provider figures. */
export interface PoolStats extends KeyPoolStats {
  keys: PoolKeyStats[];
  providers: ProviderStats[];
  /** Store operations (settle, cooldown, flag, take) that failed since the pool started; each is also a `store.error` event. */
  storeErrors: number;
}

/** A key pool: core's `KeyPoolV1` plus runtime operations. */
export interface KeyPool extends KeyPoolV1 {
  readonly events: EventBus;
  stats(): PoolStats;
  /**
   * Free capacity of a provider's keys now, 0 (saturated, or no usable key) to 1 (idle), over the
   * keys in `regions` when given (a key without a region is in none). Each key weighs by its request
   * limit and contributes the unused share of its binding budget (RPM or TPM) over its rolling
   * window as this process has lent it; cooling, disabled, pending and concurrency-full keys count
   * as 0, and each request queued for the provider takes one request off. With `tier`, a shared key
   * counts only what that tier may take: less the unused reserves of the other tiers active now (the
   * admission rule). With `tenantId`, other tenants' dedicated keys are left out. O(keys of the
   * provider), no allocation.
   * @example
   * ```ts
   * pool.headroom('openai', undefined, 'standard', 'pixelpush'); // what a standard tenant can still get
   * ```
   */
  headroom(provider: string, regions?: readonly string[], tier?: Tier, tenantId?: string): number;
  /** Resolves once every secret resolver has answered (failures disable their key). */
  ready(): Promise<void>;
  /**
   * Adds a key at runtime.
   * @throws ValidationError on a bad or duplicate key.
   */
  add(key: KeyInput): Promise<void>;
  /**
   * Stops lending a key and resolves once its in-flight leases are released or expired.
   * @throws ValidationError for an unknown key id.
   */
  retire(keyId: string): Promise<void>;
  /**
   * Replaces a key's secret. Calls in flight keep the secret they were lent; a later auth
   * error from the old secret does not disable the key. Re-enables a disabled key.
   * @throws ValidationError for an unknown key id.
   */
  rotate(keyId: string, secret: KeySecretSource): Promise<void>;
  /** Re-enables a key disabled by an auth error. @throws ValidationError for an unknown key id. */
  enable(keyId: string): Promise<void>;
  /** Rejects waiting requests with ClosedError and stops timers. Idempotent. */
  close(): Promise<void>;
}
