import type { EmulatorKeyLimits } from './emulator-options.js';

/** One dimension's state after a decision, for the rate-limit headers. */
export interface BucketState {
  limit: number;
  remaining: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
}

/** A key's limits as the headers report them; a dimension without a limit is absent. */
export interface RateLimitState {
  requests?: BucketState;
  tokens?: BucketState;
}

/** The admission decision for one request. */
export type Admission =
  | { admitted: true; state: RateLimitState }
  | {
      admitted: false;
      /** The dimension that refused. */
      kind: 'requests' | 'tokens';
      limit: number;
      /** How much of the limit is in use now. */
      used: number;
      requested: number;
      /** Milliseconds until the request would fit; Infinity when it can never fit. */
      retryAfterMs: number;
      state: RateLimitState;
    };

interface Bucket {
  limit: number;
  level: number;
  at: number;
}

/** Per-key RPM/TPM over a window, as continuously refilling token buckets. */
export interface RateLimiter {
  /** Decides whether a request fits and, if so, charges one request and `tokens` tokens. */
  admit(keyHash: string, tokens: number): Admission;
  /** The key's state without charging anything. */
  peek(keyHash: string): RateLimitState;
  setLimits(keyHash: string, limits: EmulatorKeyLimits): void;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  windowMs: number;
  limits: Map<string, EmulatorKeyLimits>;
  defaultLimits: EmulatorKeyLimits;
  now(): number;
}

/**
 * Token buckets sized to the per-window limit, refilling `limit / windowMs` per millisecond,
 * like the providers' "continuously replenished" limits: a full bucket allows a burst of
 * `limit`, then the key runs at the steady rate.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { windowMs, limits } = options;
  const requestBuckets = new Map<string, Bucket>();
  const tokenBuckets = new Map<string, Bucket>();

  const limitsOf = (keyHash: string) => limits.get(keyHash) ?? options.defaultLimits;

  const refill = (map: Map<string, Bucket>, keyHash: string, limit: number | undefined, now: number) => {
    if (limit === undefined) return undefined;
    let bucket = map.get(keyHash);
    if (!bucket) {
      bucket = { limit, level: limit, at: now };
      map.set(keyHash, bucket);
    }
    if (bucket.limit !== limit) {
      bucket.level = Math.min(limit, bucket.level + (limit - bucket.limit));
      bucket.limit = limit;
    }
    const elapsed = Math.max(0, now - bucket.at);
    bucket.level = Math.min(bucket.limit, bucket.level + (elapsed * bucket.limit) / windowMs);
    bucket.at = now;
    return bucket;
  };

  const stateOf = (bucket: Bucket | undefined): BucketState | undefined =>
    bucket && {
      limit: bucket.limit,
      remaining: Math.max(0, Math.floor(bucket.level)),
      resetMs: Math.ceil(((bucket.limit - bucket.level) * windowMs) / bucket.limit),
    };
  const stateOfBoth = (requests: Bucket | undefined, tokens: Bucket | undefined): RateLimitState => {
    const state: RateLimitState = {};
    const requestState = stateOf(requests);
    const tokenState = stateOf(tokens);
    if (requestState) state.requests = requestState;
    if (tokenState) state.tokens = tokenState;
    return state;
  };
  const waitFor = (bucket: Bucket, needed: number) =>
    needed > bucket.limit
      ? Number.POSITIVE_INFINITY
      : Math.ceil(((needed - bucket.level) * windowMs) / bucket.limit);

  return {
    admit(keyHash, cost) {
      const now = options.now();
      const keyLimits = limitsOf(keyHash);
      const requests = refill(requestBuckets, keyHash, keyLimits.rpm, now);
      const tokens = refill(tokenBuckets, keyHash, keyLimits.tpm, now);
      if (requests && requests.level < 1) {
        return {
          admitted: false,
          kind: 'requests',
          limit: requests.limit,
          used: Math.ceil(requests.limit - requests.level),
          requested: 1,
          retryAfterMs: waitFor(requests, 1),
          state: stateOfBoth(requests, tokens),
        };
      }
      if (tokens && tokens.level < cost) {
        return {
          admitted: false,
          kind: 'tokens',
          limit: tokens.limit,
          used: Math.ceil(tokens.limit - tokens.level),
          requested: cost,
          retryAfterMs: waitFor(tokens, cost),
          state: stateOfBoth(requests, tokens),
        };
      }
      if (requests) requests.level -= 1;
      if (tokens) tokens.level -= cost;
      return { admitted: true, state: stateOfBoth(requests, tokens) };
    },
    peek(keyHash) {
      const now = options.now();
      const keyLimits = limitsOf(keyHash);
      return stateOfBoth(
        refill(requestBuckets, keyHash, keyLimits.rpm, now),
        refill(tokenBuckets, keyHash, keyLimits.tpm, now),
      );
    },
    setLimits(keyHash, keyLimits) {
      limits.set(keyHash, keyLimits);
      if (keyLimits.rpm === undefined) requestBuckets.delete(keyHash);
      if (keyLimits.tpm === undefined) tokenBuckets.delete(keyHash);
    },
  };
}
