import { Forge1Error } from '@forge1/core';
import { createFakeClock } from '@forge1/core/testing';
import type { KeyCandidate, TakeRequest } from '@forge1/keypool';
import { createRedisStateStore, type RedisClientLike, RedisUnavailableError } from '@forge1/keypool/redis';
import { describe, expect, it, vi } from 'vitest';

const key: KeyCandidate = {
  keyId: 'k',
  buckets: [{ id: 'k:rpm', unit: 'requests', limit: 8, windowMs: 60_000 }],
  maxConcurrent: 0,
  rank: 1,
  shared: true,
  weight: 1,
};
let leases = 0;
const request = (): TakeRequest => ({
  candidates: [key],
  tokens: 1,
  priorityClass: 0,
  reserves: [],
  leaseId: `lease-${leases++}`,
  leaseTtlMs: 60_000,
});
const broken = (): RedisClientLike & { calls: number } => ({
  calls: 0,
  status: 'reconnecting',
  async call() {
    this.calls++;
    return 1;
  },
});

describe('createRedisStateStore when Redis fails', () => {
  it('rejects bad options with a ValidationError naming the field', () => {
    expect(() => createRedisStateStore({ redis: 'http://x' })).toThrow(/redis/);
    expect(() => createRedisStateStore({ redis: broken(), localShare: 2 })).toThrow(/localShare/);
  });

  it("throws a retryable RedisUnavailableError with onRedisError 'fail', and tells onError", async () => {
    const errors: Error[] = [];
    const store = createRedisStateStore({ redis: broken(), onError: (error) => errors.push(error) });
    const error = await Promise.resolve(store.take(request())).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(Forge1Error.is(error) && error.retryable).toBe(true);
    expect(errors).toHaveLength(1);
    expect(store.degraded()).toBe(true);
  });

  it("serves from local limits scaled by localShare with onRedisError 'local'", async () => {
    const clock = createFakeClock();
    const store = createRedisStateStore({ redis: broken(), onRedisError: 'local', localShare: 0.25, clock });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await store.take(request()));
    expect(results.map((result) => result.ok)).toEqual([true, true, false]);
    expect(await store.used(key.buckets[0]!)).toBe(2);
  });

  it('settles a lease granted locally on the local store', async () => {
    const clock = createFakeClock();
    const store = createRedisStateStore({
      redis: broken(),
      onRedisError: 'local',
      clock,
    });
    const take = request();
    expect((await store.take(take)).ok).toBe(true);
    expect(await store.settle({ leaseId: take.leaseId })).toBe(true);
    expect(await store.settle({ leaseId: take.leaseId })).toBe(false);
  });

  it('skips Redis for recheckMs after a failure, then asks it again', async () => {
    vi.useFakeTimers();
    try {
      const client = broken();
      const store = createRedisStateStore({ redis: client, onRedisError: 'local', recheckMs: 500 });
      await store.keyState('k');
      await store.keyState('k');
      expect(client.calls).toBe(0);
      vi.setSystemTime(Date.now() + 501);
      (client as { status: string }).status = 'ready';
      expect(await store.coolDown('k', 10)).toBe(1);
      expect(store.degraded()).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fails a command Redis never answers after commandTimeoutMs', async () => {
    vi.useFakeTimers();
    try {
      const hanging: RedisClientLike = { call: () => new Promise(() => undefined) };
      const store = createRedisStateStore({ redis: hanging, commandTimeoutMs: 300 });
      const taken = Promise.resolve(store.take(request())).catch((caught: unknown) => caught);
      await vi.advanceTimersByTimeAsync(300);
      expect(await taken).toBeInstanceOf(RedisUnavailableError);
    } finally {
      vi.useRealTimers();
    }
  });

  it('loads the script with EVAL when Redis answers NOSCRIPT', async () => {
    const commands: string[] = [];
    const client: RedisClientLike = {
      async call(command) {
        commands.push(command);
        if (command === 'EVALSHA') throw new Error('NOSCRIPT No matching script');
        return [1, 'k', 1234];
      },
    };
    const store = createRedisStateStore({ redis: client });
    expect(await store.take(request())).toEqual({ ok: true, keyId: 'k', at: 1234 });
    expect(commands).toEqual(['EVALSHA', 'EVAL']);
  });
});
