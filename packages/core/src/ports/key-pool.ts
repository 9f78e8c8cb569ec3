import type { RateLimitInfo, Usage } from '../chat.js';
import type { Secret } from '../secret.js';
import type { Tier } from '../tenancy.js';

/** What a request needs from the pool. */
export interface KeyDemand {
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

/** How a leased call went, reported at release. */
export interface LeaseOutcome {
  /** Actual usage; replaces the reserved estimate. */
  usage?: Usage;
  /** Rate-limit headers of the response, to learn real limits. */
  rateLimit?: RateLimitInfo;
  /** The error of a failed call: rate-limited cools the key down, auth disables it. */
  error?: unknown;
}

/** A key lent to one call. Release exactly once; a second release is ignored. */
export interface Lease {
  readonly keyId: string;
  readonly provider: string;
  readonly secret: Secret;
  /**
   * Returns the key with how the call went: reconciles tokens, cools down or disables the key.
   * A pool over an async store may return a promise that settles once the store has the release;
   * it never rejects (store failures are the pool's to report), so callers may ignore it.
   */
  release(outcome?: LeaseOutcome): void | Promise<void>;
}

/** Usage figures of one key. */
export interface KeyStats {
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

/** Pool-wide figures. */
export interface KeyPoolStats {
  keys: KeyStats[];
  /** Requests waiting for capacity. */
  queueDepth: number;
}

/** Lends provider keys within their rate limits. Conformance: `@forge1/keypool/testing`. */
export interface KeyPoolV1 {
  readonly specificationVersion: 'v1';
  /**
   * A lease on a key that can take the request now, waiting in a priority queue if none can.
   * @throws NoCapacityError (with retryAfterMs) when the wait would exceed the limit, AbortedError.
   */
  acquire(demand: KeyDemand): Promise<Lease>;
  /** Figures per key and the queue depth, for dashboards and health checks. */
  stats(): KeyPoolStats;
  /**
   * Free capacity of a provider's keys right now, from 0 (saturated or no usable key) to 1 (idle),
   * optionally only over keys in `regions`. Cheap and synchronous: the router calls it per decision.
   */
  headroom?(provider: string, regions?: readonly string[]): number;
  /** Refuses waiting requests and stops timers. */
  close?(): Promise<void>;
}
