import { type Clock, systemClock } from '@forge1/core';
import type { Caller } from './caller.ts';
import { type HttpError, ServiceErrorCode, serviceError } from './http-error.ts';

/** Limits per caller (per bearer token; per tenant for a trusted x-tenant-id). */
export interface CallerLimitOptions {
  /** Requests a caller may make per minute, as a token bucket refilled continuously. @default 600 */
  requestsPerMinute?: number;
  /** Requests a caller may make at once above the steady rate. @default requestsPerMinute / 6 */
  burst?: number;
  /** Streams a caller may have open at once. @default 4 */
  maxConcurrentStreams?: number;
  clock?: Clock;
}

/** Admission of one caller's requests and streams. */
export interface CallerLimits {
  /** Takes one request from the caller's bucket, or answers 429 with Retry-After. */
  admit(caller: Caller): HttpError | undefined;
  /** Opens a stream for the caller, or answers 429; call the returned function when it ends. */
  openStream(caller: Caller): (() => void) | HttpError;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

// Buckets of callers that have been idle long enough to be full again are dropped, so the map
// stays the size of the active callers.
const SWEEP_EVERY = 1024;

/** Creates per-caller limits. */
export function createCallerLimits(options: CallerLimitOptions = {}): CallerLimits {
  const clock = options.clock ?? systemClock;
  const perMinute = options.requestsPerMinute ?? 600;
  const burst = Math.max(1, options.burst ?? Math.ceil(perMinute / 6));
  const perMs = perMinute / 60_000;
  const maxStreams = options.maxConcurrentStreams ?? 4;
  const buckets = new Map<string, Bucket>();
  const streams = new Map<string, number>();
  let admitted = 0;

  const keyOf = (caller: Caller) =>
    caller.tokenId ? `token:${caller.tokenId}` : `tenant:${caller.tenantId}`;
  const tooMany = (message: string, retryAfterMs: number) =>
    serviceError(429, ServiceErrorCode.tooManyRequests, message, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    });

  const sweep = (now: number) => {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * perMs >= burst) buckets.delete(key);
    }
  };

  return {
    admit(caller) {
      const now = clock.now();
      if (++admitted % SWEEP_EVERY === 0) sweep(now);
      const key = keyOf(caller);
      const bucket = buckets.get(key) ?? { tokens: burst, updatedAt: now };
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) * perMs);
      bucket.updatedAt = now;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) {
        return tooMany(
          `More than ${perMinute} requests a minute for this caller`,
          (1 - bucket.tokens) / perMs,
        );
      }
      bucket.tokens -= 1;
      return undefined;
    },
    openStream(caller) {
      const key = keyOf(caller);
      const open = streams.get(key) ?? 0;
      if (open >= maxStreams) return tooMany(`At most ${maxStreams} streams at once for this caller`, 1000);
      streams.set(key, open + 1);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        const left = (streams.get(key) ?? 1) - 1;
        if (left <= 0) streams.delete(key);
        else streams.set(key, left);
      };
    },
  };
}
