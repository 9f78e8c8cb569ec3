import { type Clock, type EventBus, parseWith } from '@forge1/core';
import { z } from 'zod';

/** Retry settings of {@link withResilience}. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  retries?: number;
  /** Backoff cap of the first retry, in milliseconds (doubles each retry). @default 500 */
  minDelayMs?: number;
  /** Largest backoff cap, in milliseconds. @default 8000 */
  maxDelayMs?: number;
  /** A `retryAfterMs` longer than this is not waited for: the error is thrown. @default 60000 */
  maxRetryAfterMs?: number;
}

/** Circuit-breaker settings of {@link withResilience} (opossum underneath). */
export interface BreakerOptions {
  /** Error percentage over the rolling window that opens the circuit. @default 50 */
  errorThresholdPercentage?: number;
  /** Calls in the rolling window before the percentage is judged. @default 10 */
  volumeThreshold?: number;
  /** Length of the rolling window, in milliseconds. @default 10000 */
  rollingWindowMs?: number;
  /** Buckets the rolling window is divided into. @default 10 */
  rollingBuckets?: number;
  /** How long the circuit stays open before one half-open probe, in milliseconds. @default 30000 */
  resetTimeoutMs?: number;
}

/** Options of {@link withResilience}. */
export interface ResilienceOptions {
  /** Retry settings, or `false` for none. @default {} (2 retries) */
  retry?: RetryOptions | false;
  /** Breaker settings, or `false` for none. @default {} */
  breaker?: BreakerOptions | false;
  /** Receives circuit.open, circuit.halfOpen and circuit.close. */
  events?: EventBus;
  /** Clock the backoff waits on. @default systemClock */
  clock?: Clock;
  /** Random source of the jitter, in [0, 1). @default Math.random */
  random?: () => number;
}

const isFunction = (value: unknown) => typeof value === 'function';
const isObject = (value: unknown) => typeof value === 'object' && value !== null;

const retrySchema = z.object({
  retries: z.int().min(0).max(20).optional(),
  minDelayMs: z.number().min(0).optional(),
  maxDelayMs: z.number().min(0).optional(),
  maxRetryAfterMs: z.number().min(0).optional(),
});

const breakerSchema = z.object({
  errorThresholdPercentage: z.number().min(0).max(100).optional(),
  volumeThreshold: z.int().min(0).optional(),
  rollingWindowMs: z.int().positive().optional(),
  rollingBuckets: z.int().positive().optional(),
  resetTimeoutMs: z.int().positive().optional(),
});

const schema = z.object({
  retry: z.union([z.literal(false), retrySchema]).optional(),
  breaker: z.union([z.literal(false), breakerSchema]).optional(),
  events: z
    .custom<EventBus>(
      (value) => isObject(value) && isFunction((value as EventBus).emit),
      'expected an EventBus',
    )
    .optional(),
  clock: z
    .custom<Clock>((value) => isObject(value) && isFunction((value as Clock).now), 'expected a Clock')
    .optional(),
  random: z.custom<() => number>(isFunction, 'expected a function').optional(),
});

/** Settings with every default filled in. */
export interface ResolvedRetry {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

/** Breaker settings with every default filled in. */
export type ResolvedBreaker = Required<BreakerOptions>;

const retryDefaults: ResolvedRetry = {
  retries: 2,
  minDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
};
const breakerDefaults: ResolvedBreaker = {
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  rollingWindowMs: 10_000,
  rollingBuckets: 10,
  resetTimeoutMs: 30_000,
};

// Fields given as undefined keep their default.
function withDefaults<T extends object>(defaults: T, given: Partial<T> | undefined): T {
  const resolved = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const value = given?.[key];
    if (value !== undefined) resolved[key] = value;
  }
  return resolved;
}

/**
 * Validates and completes the options.
 * @throws ValidationError naming each bad field.
 */
export function resolveResilienceOptions(options: ResilienceOptions): {
  retry: ResolvedRetry | undefined;
  breaker: ResolvedBreaker | undefined;
} {
  parseWith(schema, options, 'withResilience options');
  const retry = options.retry === false ? undefined : withDefaults(retryDefaults, options.retry);
  const breaker = options.breaker === false ? undefined : withDefaults(breakerDefaults, options.breaker);
  return { retry, breaker };
}
