import type { KeyCandidate } from '@forge1/keypool';
import { createRedisStateStore } from '@forge1/keypool/redis';
import { runStateStoreConformance } from '@forge1/keypool/testing';
import { describe, expect, it } from 'vitest';
import { useTestRedis } from './test-redis.js';

const { url, runId, redis } = useTestRedis();
if (!url) console.warn('FORGE1_REDIS_URL is unset: the Redis state store tests are skipped');

describe.skipIf(!url)('Redis state store (FORGE1_REDIS_URL)', () => {
  runStateStoreConformance('redis store', ({ clock }) =>
    createRedisStateStore({ redis: redis(), prefix: `${runId}:conformance`, clock }),
  );

  let count = 0;
  const fresh = () => `${runId}:s${count++}`;
  const candidate = (keyId: string, extra: Partial<KeyCandidate> = {}): KeyCandidate => ({
    keyId,
    buckets: [
      { id: `${keyId}:rpm`, unit: 'requests', limit: 5, windowMs: 60_000 },
      { id: `${keyId}:tpm`, unit: 'tokens', limit: 1000, windowMs: 60_000 },
    ],
    maxConcurrent: 0,
    rank: 1,
    shared: true,
    weight: 1,
    ...extra,
  });
  const take = (candidates: KeyCandidate[], leaseId: string, priorityClass = 0) => ({
    candidates,
    tokens: 10,
    priorityClass,
    reserves: [],
    leaseId,
    leaseTtlMs: 60_000,
  });

  it('shares budgets between two stores (two processes) and takes time from Redis', async () => {
    const prefix = fresh();
    const first = createRedisStateStore({ redis: redis(), prefix });
    const second = createRedisStateStore({ redis: redis(), prefix });
    const key = candidate('k');
    for (let i = 0; i < 3; i++) expect((await first.take(take([key], `a${i}`))).ok).toBe(true);
    for (let i = 0; i < 2; i++) expect((await second.take(take([key], `b${i}`))).ok).toBe(true);
    const refused = await second.take(take([key], 'b9'));
    expect(refused.ok).toBe(false);
    expect(await first.used(key.buckets[0]!)).toBe(5);
    const [seconds] = await redis().time();
    expect(Math.abs(refused.at - Number(seconds) * 1000)).toBeLessThan(2_000);
    expect(Math.abs((await second.now()) - refused.at)).toBeLessThan(2_000);
  });

  it('sets an expiry on every key it writes, so a dead process leaves nothing behind', async () => {
    const prefix = fresh();
    const store = createRedisStateStore({ redis: redis(), prefix });
    const key = candidate('k', { maxConcurrent: 2 });
    await store.take(take([key], 'lease-1'));
    await store.take(take([key], 'lease-2', 1));
    await store.settle({ leaseId: 'lease-1', tokens: 3, remaining: { requests: 1 } });
    await store.coolDown('k', 1_000);
    await store.take(take([key], 'lease-3', 2));
    const keys = await redis().keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(4);
    for (const name of keys) expect(await redis().pttl(name)).toBeGreaterThan(0);
  });

  it('tells watchers of other stores when a lease is settled on a key another process waits for', async () => {
    const prefix = fresh();
    const worker = createRedisStateStore({ redis: redis(), prefix });
    const waiter = createRedisStateStore({ redis: redis(), prefix });
    const woken: string[] = [];
    let resolve = () => {};
    const promise = new Promise<void>((done) => {
      resolve = done;
    });
    const stop = waiter.watch((keyId) => {
      woken.push(keyId);
      resolve();
    });
    await new Promise((done) => setTimeout(done, 100));
    for (let i = 1; i <= 5; i++) await worker.take(take([candidate('k')], `lease-${i}`));
    expect(await worker.settle({ leaseId: 'lease-1', tokens: 5 })).toBe(true);
    expect((await waiter.take(take([candidate('k')], 'waiting'))).ok).toBe(false);
    expect(await worker.settle({ leaseId: 'lease-2', tokens: 5 })).toBe(true);
    await promise;
    expect(woken).toEqual(['k']);
    stop();
    await waiter.close();
  });

  it("advises a short, jittered wait when another process's lease holds the slot", async () => {
    const prefix = fresh();
    const other = createRedisStateStore({ redis: redis(), prefix });
    const own = createRedisStateStore({ redis: redis(), prefix, pollMs: 100, random: () => 0.5 });
    const key = candidate('k', { maxConcurrent: 1 });
    expect((await other.take(take([key], 'theirs'))).ok).toBe(true);
    const foreign = await own.take(take([key], 'mine'));
    expect(foreign).toMatchObject({ ok: false, waitsOnRelease: true, retryAfterMs: 100 });
    await other.settle({ leaseId: 'theirs' });
    expect((await own.take(take([key], 'mine'))).ok).toBe(true);
    const ownLease = await own.take(take([key], 'mine-2'));
    expect(ownLease).toMatchObject({ ok: false, waitsOnRelease: true });
    expect(ownLease.ok ? 0 : ownLease.retryAfterMs).toBeGreaterThan(50_000);
  });

  it('holds a key for a waiting ticket of a higher class from another process', async () => {
    const prefix = fresh();
    const busy = createRedisStateStore({ redis: redis(), prefix });
    const enterprise = createRedisStateStore({ redis: redis(), prefix });
    const standard = createRedisStateStore({ redis: redis(), prefix });
    const key = candidate('k', { maxConcurrent: 1 });
    expect((await busy.take(take([key], 'busy', 2))).ok).toBe(true);
    expect((await enterprise.take(take([key], 'high', 0))).ok).toBe(false);
    await busy.settle({ leaseId: 'busy' });
    const low = await standard.take(take([key], 'low', 2));
    expect(low).toMatchObject({ ok: false, waitsOnRelease: true });
    expect((await enterprise.take(take([key], 'high', 0))).ok).toBe(true);
    await enterprise.settle({ leaseId: 'high' });
    expect((await standard.take(take([key], 'low', 2))).ok).toBe(true);
  });

  it('lets a request pass a ticket of its own process (the local queue orders those)', async () => {
    const prefix = fresh();
    const busy = createRedisStateStore({ redis: redis(), prefix });
    const own = createRedisStateStore({ redis: redis(), prefix });
    const key = candidate('k', { maxConcurrent: 1 });
    expect((await busy.take(take([key], 'busy', 2))).ok).toBe(true);
    expect((await own.take(take([key], 'high', 0))).ok).toBe(false);
    await busy.settle({ leaseId: 'busy' });
    expect((await own.take(take([key], 'low', 2))).ok).toBe(true);
  });
});
