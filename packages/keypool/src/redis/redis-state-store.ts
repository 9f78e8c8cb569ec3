import { randomBytes } from 'node:crypto';
import { expectString, systemClock } from '@forge1/core';
import { createRedisConnection, type LuaScript, type RedisClientLike } from '@forge1/core/redis';
import { createMemoryStateStore } from '../store/memory-state-store.js';
import type {
  Awaitable,
  KeyCandidate,
  KeyState,
  SettleRequest,
  StateStoreV1,
  TakeRequest,
  TakeResult,
} from '../store/state-store.js';
import { checkBucket, checkSettle, checkTake } from '../store/state-store-input.js';
import { classOf, encodeCandidates, encodeSpecs, optional, type RemoteLease } from './lease-arguments.js';
import { type SliceAsk, SliceBook } from './local-slices.js';
import { parseRedisStateStoreOptions, type RedisStateStoreOptions } from './redis-state-store-options.js';
import {
  coolDownScript,
  giveBackScript,
  keyStateScript,
  setDisabledScript,
  settleScript,
  takeScript,
  usedScript,
} from './state-store-scripts.js';

/** The Redis {@link StateStoreV1}: one pool's budgets, leases, cooldowns and flags shared by every process. */
export interface RedisStateStore extends StateStoreV1 {
  /** Answers at once (no promise) when a local slice lends the lease. */
  take(request: TakeRequest): Awaitable<TakeResult>;
  now(): Promise<number>;
  /** Answers at once (no promise) for a lease lent from a local slice. */
  settle(request: SettleRequest): Awaitable<boolean>;
  coolDown(keyId: string, forMs: number): Promise<number>;
  setDisabled(keyId: string, disabled: boolean): Promise<void>;
  keyState(keyId: string): Promise<KeyState>;
  used(bucket: Parameters<StateStoreV1['used']>[0]): Promise<number>;
  /**
   * Calls `listener` with a key id whenever a process settles a lease on a key that another
   * process waits for (it left a waiting ticket; every settle when `ticketTtlMs` is 0) or enables
   * a key, i.e. when capacity may have freed for a waiter (Redis pub/sub on `<prefix>:released`);
   * the key pool uses it to wake its waiters. Returns a function that stops listening.
   */
  watch(listener: (keyId: string) => void): () => void;
  /** True while answers come from the local fallback because Redis failed. */
  degraded(): boolean;
  close(): Promise<void>;
}

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
  const leases = new Map<string, RemoteLease>();
  /** Leases refused with waiting tickets left in Redis, to clear when they are granted; value: when they lapse. */
  const tickets = new Map<string, number>();
  let nextPrune = 0;
  // Slices time their lending on a monotonic clock (or the test's clock, which Redis is told to use too).
  const sliceClock = clock ?? {
    ...systemClock,
    now: () => performance.timeOrigin + performance.now(),
  };
  const slices = parsed.slices
    ? new SliceBook(parsed.slices, sliceClock, owner, () => void giveBack())
    : undefined;
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

  const remoteTake = async (request: TakeRequest, ask: SliceAsk | undefined): Promise<TakeResult> => {
    const priorityClass = classOf(request);
    const { leaseId } = request;
    const hadTickets = tickets.has(leaseId);
    const returns = slices?.drainReturns() ?? '';
    const sentAt = sliceClock.now();
    const reply = (await run(takeScript, [
      candidatesJson(request.candidates),
      request.tokens,
      priorityClass,
      JSON.stringify(request.reserves ?? []),
      leaseId,
      request.leaseTtlMs,
      owner,
      ticketTtlMs,
      hadTickets ? '1' : '0',
      ask ? JSON.stringify(ask) : '',
      returns,
    ])) as Array<string | number>;
    if (reply[0] === 1) {
      const keyId = String(reply[1]);
      const at = Number(reply[2]);
      const candidate = request.candidates.find((entry) => entry.keyId === keyId)!;
      if (hadTickets) tickets.delete(leaseId);
      remember(leaseId, {
        keyId,
        at,
        expiresAt: at + request.leaseTtlMs,
        priorityClass,
        tokens: request.tokens,
        specs: encodeSpecs(candidate),
        member: candidate.maxConcurrent > 0 ? `${owner}/${leaseId}` : '',
      });
      const sliced = Number(reply[3]);
      if (ask && sliced > 0)
        slices!.granted(ask, candidate, priorityClass, request.tokens, sliced, at, sentAt);
      return { ok: true, keyId, at };
    }
    if (reply[5] === 1) tickets.set(leaseId, Number(reply[1]) + ticketTtlMs + Number(reply[2]));
    const retry = Number(reply[2]);
    let retryAfterMs = retry < 0 ? Number.POSITIVE_INFINITY : retry;
    // Another process's lease may end (or shrink) first and nobody would tell this one: poll.
    if (reply[4] === 1 && Number.isFinite(retryAfterMs) && retryAfterMs > pollMs) {
      retryAfterMs = Math.max(1, Math.round(pollMs * (0.5 + random())));
    }
    return { ok: false, at: Number(reply[1]), retryAfterMs, waitsOnRelease: reply[3] === 1 };
  };

  /** Takes of a class waiting for Redis to answer a slice request: true when a slice came of it. */
  const refills = new Map<number, Promise<boolean>>();

  const takeRemotely = (request: TakeRequest, mayAsk: boolean): Promise<TakeResult> => {
    const priorityClass = classOf(request);
    const ask =
      mayAsk && slices && !refills.has(priorityClass) ? slices.ask(request, priorityClass) : undefined;
    const taken = either(
      () => remoteTake(request, ask),
      () => localTake(request),
    );
    if (ask) {
      const refill = taken.then(
        () => slices!.lends(priorityClass),
        () => false,
      );
      refills.set(priorityClass, refill);
      void refill.then(() => {
        if (refills.get(priorityClass) === refill) refills.delete(priorityClass);
      });
    }
    return taken;
  };

  function take(request: TakeRequest): Awaitable<TakeResult> {
    checkTake(request, 'redisStateStore.take');
    if (!slices) return takeRemotely(request, false);
    const priorityClass = classOf(request);
    const lent = slices.take(request, priorityClass);
    if (lent) return lent;
    // Another take of this class is asking Redis for a slice: wait for it rather than ask as well.
    const refill = refills.get(priorityClass);
    if (refill) return refill.then((sliced) => (sliced ? take(request) : takeRemotely(request, false)));
    return takeRemotely(request, true);
  }

  /** Gives back what closed slices did not lend, when no take carried it. */
  const giveBack = async () => {
    const returns = slices?.drainReturns() ?? '';
    if (returns === '') return;
    await either(
      () => run(giveBackScript, [returns]),
      () => undefined,
    ).catch(() => undefined);
  };

  const remoteSettle = async (request: SettleRequest): Promise<boolean> => {
    const lease = leases.get(request.leaseId);
    if (!lease) return false;
    leases.delete(request.leaseId);
    return (
      (await run(settleScript, [
        request.leaseId,
        lease.keyId,
        lease.at,
        lease.expiresAt,
        lease.priorityClass,
        lease.tokens,
        lease.specs,
        lease.member,
        optional(request.tokens),
        optional(request.remaining?.requests),
        optional(request.remaining?.tokens),
        ticketTtlMs > 0 ? '0' : '1',
      ])) === 1
    );
  };

  /** Records a granted lease; now and then forgets the leases and tickets that lapsed long ago. */
  const remember = (leaseId: string, lease: RemoteLease) => {
    leases.set(leaseId, lease);
    if (leases.size + tickets.size < nextPrune) return;
    const before = (clock?.now() ?? Date.now()) - 60_000;
    for (const [id, entry] of leases) if (entry.expiresAt < before) leases.delete(id);
    for (const [id, lapse] of tickets) if (lapse < before) tickets.delete(id);
    nextPrune = 2 * (leases.size + tickets.size) + 1000;
  };

  /** This process's leases in flight on a key without a concurrency limit (Redis lists only the others). */
  const ownUnlisted = (keyId: string) => {
    const now = clock?.now() ?? Date.now();
    let count = 0;
    for (const lease of leases.values())
      if (lease.keyId === keyId && lease.member === '' && lease.expiresAt > now) count++;
    return count;
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
    take,
    settle(request) {
      checkSettle(request, 'redisStateStore.settle');
      const sliced = slices?.settle(request);
      if (sliced !== undefined) return sliced;
      if (localLeases.delete(request.leaseId)) return Promise.resolve(local.settle(request) as boolean);
      return either(
        () => remoteSettle(request),
        () => false,
      );
    },
    coolDown(keyId, forMs) {
      slices?.closeKey(keyId);
      const localDeadline = local.coolDown(keyId, forMs) as number;
      return either(
        async () => Number(await run(coolDownScript, [keyId, forMs, stateTtlMs])),
        () => localDeadline,
      );
    },
    setDisabled(keyId, disabled) {
      if (disabled) slices?.closeKey(keyId);
      local.setDisabled(keyId, disabled);
      return either(
        async () => {
          await run(setDisabledScript, [keyId, disabled ? '1' : '0', stateTtlMs]);
        },
        () => undefined,
      );
    },
    keyState(keyId) {
      expectString(keyId, 'redisStateStore.keyState', 'keyId');
      return either(
        async () => {
          const [disabled, cooldownUntil, inFlight] = (await run(keyStateScript, [keyId])) as number[];
          return {
            disabled: disabled === 1,
            cooldownUntil: cooldownUntil!,
            inFlight: inFlight! + ownUnlisted(keyId),
          };
        },
        () => local.keyState(keyId) as KeyState,
      );
    },
    used(bucket) {
      checkBucket(bucket, 'redisStateStore.used');
      return either(
        async () => {
          await giveBack();
          return Number(await run(usedScript, [bucket.id, bucket.windowMs])) - (slices?.unused(bucket) ?? 0);
        },
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
    async close() {
      slices?.closeAll();
      await giveBack();
      await connection.close();
    },
  };
}
