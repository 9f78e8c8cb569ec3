import { randomBytes } from 'node:crypto';
import { systemClock } from '@forge1/core';
import { createRedisConnection, type LuaScript, type RedisClientLike } from '@forge1/core/redis';
import { createMemoryStateStore } from '../store/memory-state-store.js';
import type {
  KeyCandidate,
  KeyState,
  SettleRequest,
  StateStoreV1,
  TakeRequest,
  TakeResult,
} from '../store/state-store.js';
import { parseRedisStateStoreOptions, type RedisStateStoreOptions } from './redis-state-store-options.js';
import {
  coolDownScript,
  keyStateScript,
  setDisabledScript,
  settleScript,
  takeScript,
  usedScript,
} from './state-store-scripts.js';

/** The Redis {@link StateStoreV1}: one pool's budgets, leases, cooldowns and flags shared by every process. */
export interface RedisStateStore extends StateStoreV1 {
  take(request: TakeRequest): Promise<TakeResult>;
  now(): Promise<number>;
  settle(request: SettleRequest): Promise<boolean>;
  coolDown(keyId: string, forMs: number): Promise<number>;
  setDisabled(keyId: string, disabled: boolean): Promise<void>;
  keyState(keyId: string): Promise<KeyState>;
  used(bucket: Parameters<StateStoreV1['used']>[0]): Promise<number>;
  /**
   * Calls `listener` with a key id whenever any process settles a lease or enables a key, i.e.
   * when capacity may have freed (Redis pub/sub on `<prefix>:released`); the key pool uses it to
   * wake its waiters. Returns a function that stops listening.
   */
  watch(listener: (keyId: string) => void): () => void;
  /** True while answers come from the local fallback because Redis failed. */
  degraded(): boolean;
  close(): Promise<void>;
}

const encodeCandidates = (candidates: readonly KeyCandidate[]): string =>
  JSON.stringify(
    candidates.map((candidate) => [
      candidate.keyId,
      candidate.maxConcurrent,
      candidate.rank,
      candidate.shared ? 1 : 0,
      candidate.weight,
      candidate.buckets.map((bucket) => [
        bucket.id,
        bucket.unit === 'tokens' ? 1 : 0,
        bucket.limit,
        bucket.windowMs,
      ]),
    ]),
  );

const optional = (value: number | undefined): string | number => (value === undefined ? '' : value);

/**
 * Creates a {@link RedisStateStore}. Each `take` is one Lua script that sweeps expired leases,
 * checks every bucket (key RPM/TPM/RPD and group budgets), the cooldown, the disabled flag and
 * the concurrency of each candidate, and debits the chosen key's buckets, all atomically and on
 * Redis time. `settle` replaces the token estimate by the actual usage, records the provider's
 * remaining figures as phantom usage and publishes the release. Every key expires on its own.
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { createKeyPool } from '@forge1/keypool';
 * import { createRedisStateStore } from '@forge1/keypool/redis';
 *
 * const store = createRedisStateStore({ redis: new Redis(process.env.REDIS_URL!), onRedisError: 'local', localShare: 0.25 });
 * const pool = createKeyPool({ keys, store });
 * ```
 * @throws ValidationError on bad options.
 */
export function createRedisStateStore(options: RedisStateStoreOptions): RedisStateStore {
  const parsed = parseRedisStateStoreOptions(options);
  const { prefix, clock, onRedisError, localShare, pollMs, ticketTtlMs, stateTtlMs, recheckMs } = parsed;
  const random = parsed.random ?? Math.random;
  const connection = createRedisConnection(parsed.redis, {
    timeoutMs: parsed.commandTimeoutMs,
    what: 'Redis state store',
    driver: () => import('ioredis'),
  });
  const owner = randomBytes(6).toString('hex');
  const local = createMemoryStateStore({ clock: clock ?? systemClock });
  const localLeases = new Set<string>();
  const encoded = new WeakMap<readonly KeyCandidate[], string>();
  const scaled = new WeakMap<readonly KeyCandidate[], KeyCandidate[]>();
  const listeners = new Set<(keyId: string) => void>();
  let subscription: Promise<RedisClientLike | undefined> | undefined;
  let downUntil = 0;
  let lastError: Error | undefined;

  const timeArgument = () => (clock ? clock.now() : '');

  const report = (error: unknown): Error => {
    const failure = error instanceof Error ? error : new Error(String(error));
    lastError = failure;
    downUntil = Date.now() + recheckMs;
    parsed.onError?.(failure);
    return failure;
  };

  /** Runs on Redis, or on the local store when Redis fails and the store is configured to fall back. */
  const either = async <T>(remote: () => Promise<T>, fallback: () => T): Promise<T> => {
    if (Date.now() < downUntil && lastError) {
      if (onRedisError === 'fail') throw lastError;
      return fallback();
    }
    try {
      const value = await remote();
      lastError = undefined;
      if (listeners.size > 0 && !subscription) subscribe();
      return value;
    } catch (error) {
      const failure = report(error);
      if (onRedisError === 'fail') throw failure;
      return fallback();
    }
  };

  const run = (script: LuaScript, args: Array<string | number>) =>
    connection.script(script, [prefix, timeArgument(), ...args]);

  const candidatesJson = (candidates: readonly KeyCandidate[]) => {
    let json = encoded.get(candidates);
    if (json === undefined) {
      json = encodeCandidates(candidates);
      encoded.set(candidates, json);
    }
    return json;
  };

  const localCandidates = (candidates: readonly KeyCandidate[]) => {
    let list = scaled.get(candidates);
    if (!list) {
      list = candidates.map((candidate) => ({
        ...candidate,
        buckets: candidate.buckets.map((bucket) => ({
          ...bucket,
          limit: Math.max(1, Math.floor(bucket.limit * localShare)),
        })),
      }));
      scaled.set(candidates, list);
    }
    return list;
  };

  const remoteTake = async (request: TakeRequest): Promise<TakeResult> => {
    const priorityClass = Math.min(7, Math.max(0, Math.trunc(request.priorityClass) || 0));
    const reply = (await run(takeScript, [
      candidatesJson(request.candidates),
      request.tokens,
      priorityClass,
      JSON.stringify(request.reserves ?? []),
      request.leaseId,
      request.leaseTtlMs,
      owner,
      ticketTtlMs,
    ])) as Array<string | number>;
    if (reply[0] === 1) return { ok: true, keyId: String(reply[1]), at: Number(reply[2]) };
    const retry = Number(reply[2]);
    let retryAfterMs = retry < 0 ? Number.POSITIVE_INFINITY : retry;
    // Another process's lease may end (or shrink) first and nobody would tell this one: poll.
    if (reply[4] === 1 && Number.isFinite(retryAfterMs) && retryAfterMs > pollMs) {
      retryAfterMs = Math.max(1, Math.round(pollMs * (0.5 + random())));
    }
    return { ok: false, at: Number(reply[1]), retryAfterMs, waitsOnRelease: reply[3] === 1 };
  };

  const localTake = (request: TakeRequest): TakeResult => {
    const result = local.take({ ...request, candidates: localCandidates(request.candidates) }) as TakeResult;
    if (result.ok) localLeases.add(request.leaseId);
    return result;
  };

  const notify = (keyId: string) => {
    for (const listener of listeners) {
      try {
        listener(keyId);
      } catch {
        // A listener never breaks the subscription.
      }
    }
  };

  const subscribe = () => {
    subscription ??= connection.subscriber().then(async (subscriber) => {
      if (!subscriber?.subscribe) return undefined;
      subscriber.on?.('message', (_channel: string, keyId: string) => notify(keyId));
      await subscriber.subscribe(`${prefix}:released`);
      return subscriber;
    });
    // A failed subscription is retried after the next successful command; polling covers the gap.
    subscription.catch((error: unknown) => {
      parsed.onError?.(error instanceof Error ? error : new Error(String(error)));
      subscription = undefined;
    });
  };

  return {
    specificationVersion: 'v1',
    now: () =>
      clock
        ? Promise.resolve(clock.now())
        : either(
            async () => {
              const [seconds, micros] = (await connection.command('TIME', [])) as [string, string];
              return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
            },
            () => Date.now(),
          ),
    take: (request) =>
      either(
        () => remoteTake(request),
        () => localTake(request),
      ),
    settle(request) {
      if (localLeases.delete(request.leaseId)) return Promise.resolve(local.settle(request) as boolean);
      return either(
        async () =>
          (await run(settleScript, [
            request.leaseId,
            optional(request.tokens),
            optional(request.remaining?.requests),
            optional(request.remaining?.tokens),
          ])) === 1,
        () => false,
      );
    },
    coolDown(keyId, forMs) {
      const localDeadline = local.coolDown(keyId, forMs) as number;
      return either(
        async () => Number(await run(coolDownScript, [keyId, forMs, stateTtlMs])),
        () => localDeadline,
      );
    },
    setDisabled(keyId, disabled) {
      local.setDisabled(keyId, disabled);
      return either(
        async () => {
          await run(setDisabledScript, [keyId, disabled ? '1' : '0', stateTtlMs]);
        },
        () => undefined,
      );
    },
    keyState(keyId) {
      return either(
        async () => {
          const [disabled, cooldownUntil, inFlight] = (await run(keyStateScript, [keyId])) as number[];
          return { disabled: disabled === 1, cooldownUntil: cooldownUntil!, inFlight: inFlight! };
        },
        () => local.keyState(keyId) as KeyState,
      );
    },
    used(bucket) {
      return either(
        async () => Number(await run(usedScript, [bucket.id, bucket.windowMs])),
        () => local.used(bucket) as number,
      );
    },
    watch(listener) {
      listeners.add(listener);
      subscribe();
      return () => {
        listeners.delete(listener);
      };
    },
    degraded: () => lastError !== undefined,
    close: () => connection.close(),
  };
}
