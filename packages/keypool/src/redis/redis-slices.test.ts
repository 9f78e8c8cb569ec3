import { createFakeClock } from '@forge1/core/testing';
import type { KeyCandidate, TakeRequest } from '@forge1/keypool';
import { createRedisStateStore } from '@forge1/keypool/redis';
import { describe, expect, it } from 'vitest';
import { useTestRedis } from './test-redis.js';

// One connection for every store of a test, so that a store's give-back and another's read are ordered.
const { url, runId, redis } = useTestRedis();

let count = 0;
const isPromise = (value: unknown) => typeof (value as { then?: unknown })?.then === 'function';

describe.skipIf(!url)('Redis state store slices (FORGE1_REDIS_URL)', () => {
  const setup = (rpm: number, tpm = 1_000_000) => {
    const prefix = `${runId}:s${count++}`;
    const clock = createFakeClock();
    const key: KeyCandidate = {
      keyId: 'k',
      buckets: [
        { id: 'k:rpm', unit: 'requests', limit: rpm, windowMs: 60_000 },
        { id: 'k:tpm', unit: 'tokens', limit: tpm, windowMs: 60_000 },
      ],
      maxConcurrent: 0,
      rank: 1,
      shared: true,
      weight: 1,
    };
    const store = (extra: object = {}) =>
      createRedisStateStore({ redis: redis(), prefix, clock, slices: { maxRequests: 8 }, ...extra });
    let leases = 0;
    const take = (tokens = 10, extra: Partial<TakeRequest> = {}): TakeRequest => ({
      candidates: [key],
      tokens,
      priorityClass: 2,
      reserves: [],
      leaseId: `lease-${leases++}`,
      leaseTtlMs: 600_000,
      ...extra,
    });
    return { prefix, clock, key, store, take };
  };

  it('lends from a slice without a Redis call, and other processes count the whole slice', async () => {
    const { key, store, take } = setup(100);
    const own = store();
    const other = store({ slices: false });
    expect(await own.take(take())).toMatchObject({ ok: true, keyId: 'k' });
    const local = own.take(take());
    expect(isPromise(local)).toBe(false);
    expect(local).toMatchObject({ ok: true, keyId: 'k' });
    expect(await own.used(key.buckets[0]!)).toBe(2);
    // One lease of its own and a slice of four requests (and 40 tokens) reserved for the rest.
    expect(await other.used(key.buckets[0]!)).toBe(5);
    expect(await other.used(key.buckets[1]!)).toBe(50);
    await own.close();
    expect(await other.used(key.buckets[0]!)).toBe(2);
    expect(await other.used(key.buckets[1]!)).toBe(20);
  });

  it('settles a sliced lease at once with its actual tokens, given back with the slice', async () => {
    const { key, store, take } = setup(100);
    const own = store();
    const other = store({ slices: false });
    await own.take(take());
    const lent = take();
    own.take(lent);
    expect(own.settle({ leaseId: lent.leaseId, tokens: 3 })).toBe(true);
    expect(await own.settle({ leaseId: lent.leaseId, tokens: 3 })).toBe(false);
    await own.close();
    expect(await other.used(key.buckets[1]!)).toBe(13);
  });

  it('never lets two pools on one Redis grant more than a limit together, and all of it in the end', async () => {
    const { clock, key, store, take } = setup(40);
    const first = store();
    const second = store();
    const observer = store({ slices: false });
    let granted = 0;
    for (let round = 0; round < 30; round++) {
      for (const pool of [first, second]) {
        for (let i = 0; i < 3; i++) if ((await pool.take(take())).ok) granted++;
      }
      expect(granted).toBeLessThanOrEqual(40);
      expect(await observer.used(key.buckets[0]!)).toBeLessThanOrEqual(40);
      // Slices end after their lifetime and give back what they did not lend.
      await clock.advance(250);
    }
    expect(granted).toBe(40);
    expect(await observer.used(key.buckets[0]!)).toBe(40);
    await first.close();
    await second.close();
  });

  it("keeps a crashed process's slice counted until its window has passed, then forgets it", async () => {
    const { prefix, clock, key, take } = setup(100);
    // A process that dies: its own clock never moves, so it never gives its slice back.
    const crashed = createRedisStateStore({
      redis: redis(),
      prefix,
      clock: createFakeClock(clock.now()),
      slices: true,
    });
    const observer = createRedisStateStore({ redis: redis(), prefix, clock });
    expect((await crashed.take(take())).ok).toBe(true);
    expect(await observer.used(key.buckets[0]!)).toBe(5);
    await clock.advance(60_000);
    // The slice's entry counts from its end (lifetime 1 s), so it outlives the lease by that long.
    expect(await observer.used(key.buckets[0]!)).toBe(4);
    await clock.advance(1_000);
    expect(await observer.used(key.buckets[0]!)).toBe(0);
  });

  it('stops slicing near a limit: past the share every take goes to Redis', async () => {
    const { key, store, take } = setup(10);
    const own = store();
    const remote: boolean[] = [];
    let granted = 0;
    for (let i = 0; i < 12; i++) {
      const answer = own.take(take());
      remote.push(isPromise(answer));
      if ((await answer).ok) granted++;
    }
    expect(granted).toBe(10);
    // 1 lease + a slice of 4 keeps the window at the share (5 of 10); the rest is one call each.
    expect(remote).toEqual([true, false, false, false, false, true, true, true, true, true, true, true]);
    expect(await own.used(key.buckets[0]!)).toBe(10);
    await own.close();
  });

  it("keeps other classes' unused reserves out of a slice", async () => {
    const { key, store, take } = setup(20);
    const own = store();
    const reserves = [0.5, 0];
    let low = 0;
    for (let i = 0; i < 15; i++) if ((await own.take(take(10, { priorityClass: 1, reserves }))).ok) low++;
    expect(low).toBe(10);
    let high = 0;
    for (let i = 0; i < 15; i++) if ((await own.take(take(10, { priorityClass: 0, reserves }))).ok) high++;
    expect(high).toBe(10);
    expect(await own.used(key.buckets[0]!)).toBe(20);
    await own.close();
  });

  it('grants no slice on a key another process waits for, so its higher class is served first', async () => {
    const { clock, key, store, take } = setup(10);
    const low = store({ ticketTtlMs: 5_000 });
    const high = store({ ticketTtlMs: 5_000 });
    for (let i = 0; i < 10; i++) await low.take(take());
    const waiting = take(10, { priorityClass: 0 });
    expect((await high.take(waiting)).ok).toBe(false);
    // The window has passed, slice entries included; the ticket still holds the key.
    await clock.advance(60_000 + 1_000);
    const refused = low.take(take());
    expect(isPromise(refused)).toBe(true);
    expect((await refused).ok).toBe(false);
    expect((await high.take(waiting)).ok).toBe(true);
    expect(await high.used(key.buckets[0]!)).toBe(1);
    await low.close();
    await high.close();
  });

  it('stops lending from the slices of a key that is cooled down', async () => {
    const { store, take } = setup(100);
    const own = store();
    await own.take(take());
    await own.coolDown('k', 5_000);
    const refused = own.take(take());
    expect(isPromise(refused)).toBe(true);
    expect(await refused).toMatchObject({ ok: false, retryAfterMs: 5_000 });
    await own.close();
  });
});
