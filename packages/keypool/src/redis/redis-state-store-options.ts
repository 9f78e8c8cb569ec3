import { type Clock, parseWith } from '@forge1/core';
import type { RedisClientLike } from '@forge1/core/redis';
import { z } from 'zod';

/** Options of {@link createRedisStateStore}. */
export interface RedisStateStoreOptions {
  /** An ioredis client (or anything with `call(command, args)`), or a `redis://` URL (needs ioredis installed). */
  redis: RedisClientLike | string;
  /** Prefix of every Redis key and channel; pools that must not share state use different prefixes. @default 'forge1:keypool' */
  prefix?: string;
  /**
   * Time source of budgets and leases. Omit it in production: every script then reads Redis
   * `TIME`, so processes with skewed clocks agree. Tests pass a fake clock.
   * @default Redis TIME
   */
  clock?: Clock;
  /**
   * What to do when Redis fails or is unreachable: `'fail'` rejects with a
   * `RedisUnavailableError`; `'local'` serves from an in-process memory store (limits scaled by
   * `localShare`) until Redis answers again.
   * @default 'fail'
   */
  onRedisError?: 'fail' | 'local';
  /** Share (0..1] of every limit the local fallback grants this process, e.g. `1 / processCount`. @default 1 */
  localShare?: number;
  /** A command that takes longer fails as unavailable. @default 1000 */
  commandTimeoutMs?: number;
  /** After a failure, Redis is skipped (fail or local at once) for this long. @default 500 */
  recheckMs?: number;
  /**
   * Longest wait the store advises (as `retryAfterMs`) when a lease of another process may free
   * capacity first: the polling fallback of cross-process waiting, jittered ±50 %.
   * @default 200
   */
  pollMs?: number;
  /** Lifetime of a key's flags (disabled, cooldown) after their last change. @default 86400000 */
  stateTtlMs?: number;
  /**
   * How long a refused request's waiting ticket holds its keys against lower priority classes of
   * other processes, beyond the wait the store advised it; 0 turns cross-process tickets off.
   * @default 1000
   */
  ticketTtlMs?: number;
  /**
   * Local slices of key budgets: with a granted lease the take script may also reserve, as one
   * window entry that every process sees, a slice of up to `maxRequests` requests (and as many
   * times the request's tokens) on the chosen key, which this process then lends without calling
   * Redis until it is used up or `lifetimeMs` passes; what it did not lend is given back by a
   * later call. Only keys without `maxConcurrent` that no process waits for are sliced, and only
   * while each of their windows stays below `share` of its limit, slice included: near a limit
   * every request goes to Redis, so limits, reserves and cross-process priority hold exactly
   * there. `true` takes the defaults: `maxRequests` 256, `lifetimeMs` 1000 (at most a twentieth
   * of the shortest window), `share` 0.5.
   * @default false
   */
  slices?: boolean | { maxRequests?: number; lifetimeMs?: number; share?: number };
  /** Random numbers in [0, 1), for the polling jitter. @default Math.random */
  random?: () => number;
  /** Told of every Redis failure (the store still answers or throws as `onRedisError` says). */
  onError?: (error: Error) => void;
}

const clientSchema = z.custom<RedisClientLike | string>(
  (value) =>
    (typeof value === 'string' && /^rediss?:\/\//.test(value)) ||
    (typeof value === 'object' && value !== null && typeof (value as RedisClientLike).call === 'function'),
  'expected an ioredis client or a redis:// URL',
);

const schema = z.object({
  redis: clientSchema,
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.:{}-]{1,100}$/, 'expected 1-100 letters, digits, "_", ".", ":", "{", "}" or "-"')
    .default('forge1:keypool'),
  clock: z.custom<Clock>((value) => typeof (value as Clock | undefined)?.now === 'function').optional(),
  onRedisError: z.enum(['fail', 'local']).default('fail'),
  localShare: z.number().gt(0).max(1).default(1),
  commandTimeoutMs: z.number().int().positive().default(1000),
  recheckMs: z.number().int().nonnegative().default(500),
  pollMs: z.number().int().positive().default(200),
  stateTtlMs: z.number().int().positive().default(86_400_000),
  ticketTtlMs: z.number().int().nonnegative().default(1000),
  slices: z
    .union([
      z.boolean(),
      z.object({
        maxRequests: z.number().int().min(2).max(10_000).default(256),
        lifetimeMs: z.number().int().positive().max(30_000).default(1000),
        share: z.number().gt(0).max(1).default(0.5),
      }),
    ])
    .default(false)
    .transform((value) =>
      value === false
        ? undefined
        : value === true
          ? { maxRequests: 256, lifetimeMs: 1000, share: 0.5 }
          : value,
    ),
  random: z.custom<() => number>((value) => typeof value === 'function').optional(),
  onError: z.custom<(error: Error) => void>((value) => typeof value === 'function').optional(),
});

/** Validated options with defaults filled in. */
export type ParsedRedisStateStoreOptions = z.output<typeof schema>;

/** @throws ValidationError naming the bad field. */
export const parseRedisStateStoreOptions = (options: unknown): ParsedRedisStateStoreOptions =>
  parseWith(schema, options, 'Redis state store options');
