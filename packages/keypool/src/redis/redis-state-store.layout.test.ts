import { createFakeClock } from '@forge1/core/testing';
import type { KeyCandidate } from '@forge1/keypool';
import { createRedisStateStore } from '@forge1/keypool/redis';
import { describe, expect, it } from 'vitest';
import { useTestRedis } from './test-redis.js';

// The summary string of a bucket stands for its sorted set: these pin the cases where they could part.
const { url, runId, redis } = useTestRedis('layout');

describe.skipIf(!url)('Redis state store layout (FORGE1_REDIS_URL)', () => {
  let count = 0;
  const fresh = () => `${runId}:l${count++}`;
  const key = (limit: number, windowMs = 1_000): KeyCandidate => ({
    keyId: 'k',
    buckets: [
      { id: 'k:rpm', unit: 'requests', limit, windowMs },
      { id: 'k:tpm', unit: 'tokens', limit: 1_000_000, windowMs },
    ],
    maxConcurrent: 0,
    rank: 1,
    shared: true,
    weight: 1,
  });
  const take = (candidate: KeyCandidate, leaseId: string, tokens = 10) => ({
    candidates: [candidate],
    tokens,
    priorityClass: 0,
    reserves: [],
    leaseId,
    leaseTtlMs: 60_000,
  });

  it('drops every entry that left the window at once, however many, and keeps the later ones', async () => {
    const clock = createFakeClock(Date.UTC(2026, 0, 1));
    const store = createRedisStateStore({ redis: redis(), prefix: fresh(), clock });
    const candidate = key(100);
    for (let i = 0; i < 40; i++) expect((await store.take(take(candidate, `early-${i}`))).ok).toBe(true);
    await clock.advance(500);
    for (let i = 0; i < 5; i++) expect((await store.take(take(candidate, `late-${i}`))).ok).toBe(true);
    expect(await store.used(candidate.buckets[0]!)).toBe(45);
    await clock.advance(500);
    expect(await store.used(candidate.buckets[0]!)).toBe(5);
    expect(await store.used(candidate.buckets[1]!)).toBe(50);
    await clock.advance(500);
    expect(await store.used(candidate.buckets[0]!)).toBe(0);
    for (let i = 0; i < 100; i++) expect((await store.take(take(candidate, `again-${i}`))).ok).toBe(true);
    expect((await store.take(take(candidate, 'over'))).ok).toBe(false);
  });

  it('gives a sorted set emptied by a release its expiry again when the next grant creates it', async () => {
    const prefix = fresh();
    const store = createRedisStateStore({ redis: redis(), prefix });
    const candidate = key(100, 60_000);
    expect((await store.take(take(candidate, 'first'))).ok).toBe(true);
    // No tokens used: the token bucket's only entry goes, and Redis deletes the emptied set.
    expect(await store.settle({ leaseId: 'first', tokens: 0 })).toBe(true);
    expect(await redis().exists(`${prefix}:b:k:tpm:z`)).toBe(0);
    expect((await store.take(take(candidate, 'second'))).ok).toBe(true);
    const keys = await redis().keys(`${prefix}*`);
    expect(keys).toContain(`${prefix}:b:k:tpm:z`);
    for (const name of keys) expect(await redis().pttl(name)).toBeGreaterThan(0);
    expect(await store.used(candidate.buckets[1]!)).toBe(10);
  });

  it('counts nothing of a bucket whose keys expired, and starts it afresh', async () => {
    const prefix = fresh();
    const clock = createFakeClock(Date.UTC(2026, 0, 1));
    const store = createRedisStateStore({ redis: redis(), prefix, clock });
    const candidate = key(3);
    for (let i = 0; i < 3; i++) expect((await store.take(take(candidate, `a${i}`))).ok).toBe(true);
    await redis().del(`${prefix}:b:k:rpm:z`);
    await clock.advance(1_000);
    expect(await store.used(candidate.buckets[0]!)).toBe(0);
    for (let i = 0; i < 3; i++) expect((await store.take(take(candidate, `b${i}`))).ok).toBe(true);
    expect((await store.take(take(candidate, 'over'))).ok).toBe(false);
  });
});
