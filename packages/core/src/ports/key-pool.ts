import type { RateLimitInfo, UsageV1 } from '../chat.js';
import type { Secret } from '../secret.js';
import type { Tier } from '../tenancy.js';

/** What a request needs from the pool. */
export interface KeyDemandV1 {
  provider: string;
  model: string;
  /** Estimated total tokens (input + max output) reserved until release. */
  estTokens: number;
  tenantId: string;
  tier: Tier;
  /** Leaves the queue at once when aborted. */
  signal?: AbortSignal;
  /** Data-residency regions the key must be in; absent means any key of the provider. */
  regions?: readonly string[];
}
/** The current version of {@link KeyDemandV1}. */
export type KeyDemand = KeyDemandV1;

/** How a leased call went, reported at release. */
export interface LeaseOutcomeV1 {
  /** Actual usage; replaces the reserved estimate. */
  usage?: UsageV1;
  /** Rate-limit headers of the response, to learn real limits. */
  rateLimit?: RateLimitInfo;
  /** The error of a failed call: rate-limited cools the key down, auth disables it. */
  error?: unknown;
}
/** The current version of {@link LeaseOutcomeV1}. */
export type LeaseOutcome = LeaseOutcomeV1;

/** A key lent to one call. Release exactly once; a second release is ignored. */
export interface LeaseV1 {
  readonly keyId: string;
  readonly provider: string;
  readonly secret: Secret;
  /**
   * Returns the key with how the call went: reconciles tokens, cools down or disables the key.
   * A pool over an async store may return a promise that settles once the store has the release;
   * it never rejects (store failures are the pool's to report), so callers may ignore it.
   */
  release(outcome?: LeaseOutcomeV1): void | Promise<void>;
}
/** The current version of {@link LeaseV1}. */
export type Lease = LeaseV1;

/** Usage figures of one key. */
export interface KeyStatsV1 {
  keyId: string;
  provider: string;
  state: 'active' | 'cooling' | 'disabled' | 'draining' | 'retired';
  role: 'active' | 'backup';
  inFlight: number;
  /** Share of the binding budget (RPM or TPM) used over the last minute, 0..1. */
  utilisation: number;
  /** Epoch milliseconds when a cooldown ends, if cooling. */
  cooldownUntil?: number;
  requests: number;
  rateLimited: number;
  errors: number;
}
/** The current version of {@link KeyStatsV1}. */
export type KeyStats = KeyStatsV1;

/** Pool-wide figures. */
export interface KeyPoolStatsV1 {
  keys: KeyStatsV1[];
  /** Requests waiting for capacity. */
  queueDepth: number;
}
/** The current version of {@link KeyPoolStatsV1}. */
export type KeyPoolStats = KeyPoolStatsV1;

/** Lends provider keys within their rate limits. Conformance: `@forge1/keypool/testing`. */
export interface KeyPoolV1 {
  readonly specificationVersion: 'v1';
  /**
   * A lease on a key that can take the request now, waiting in a priority queue if none can.
   * @throws NoCapacityError (with retryAfterMs) when the wait would exceed the limit, AbortedError.
   */
  acquire(demand: KeyDemandV1): Promise<LeaseV1>;
  /**
   * Figures per key and the queue depth, for dashboards and health checks. The gateway reads the
   * providers of the keys not retired from it, at construction and at most once a second, to know
   * which providers it can route to.
   */
  stats(): KeyPoolStatsV1;
  /**
   * Free capacity of a provider's keys right now, from 0 (saturated or no usable key) to 1 (idle),
   * optionally only over keys in `regions`, and as seen by a request of `tier` from `tenantId`:
   * capacity held back for other tiers and other tenants' dedicated keys do not count. The gateway
   * passes all four; a pool may ignore `tier` and `tenantId` (they were added later in v1).
   * Cheap, synchronous and allocation-free: the router calls it per provider per decision.
   * @example
   * ```ts
   * keys.headroom?.('google', policy.regions ?? undefined, policy.tier, policy.id); // 0..1
   * ```
   */
  headroom?(provider: string, regions?: readonly string[], tier?: Tier, tenantId?: string): number;
  /** Refuses waiting requests and stops timers. */
  close?(): Promise<void>;
}
