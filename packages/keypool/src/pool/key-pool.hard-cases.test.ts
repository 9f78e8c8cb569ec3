import { NoCapacityError, RateLimitedError } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { demand, flush, key, setup, track } from '../../test/fixtures.js';

const rateLimited = (retryAfterMs: number) =>
  new RateLimitedError('slow down', { provider: 'openai', kind: 'requests', retryAfterMs });

describe('createKeyPool hard cases', () => {
  it('expires a lease never released, so its slot does not leak', async () => {
    const { pool, clock } = setup({
      keys: [key('a', { maxConcurrent: 1 })],
      leaseTtlMs: 10_000,
      maxWaitMs: 60_000,
    });
    await pool.acquire(demand()); // the caller crashes and never releases
    const next = track(pool.acquire(demand()));
    await clock.advance(9_999);
    expect(next.settled()).toBe(false);
    expect(pool.stats().keys[0]!.inFlight).toBe(1);
    await clock.advance(1);
    await flush();
    expect(next.value()?.keyId).toBe('a');
    expect(pool.stats().keys[0]!.inFlight).toBe(1);
  });

  it('applies the limits of a key group jointly to its keys', async () => {
    const { pool } = setup({
      keys: [key('a', { group: 'org-1' }), key('b', { group: 'org-1' }), key('c')],
      groups: { 'org-1': { rpm: 3 } },
      maxWaitMs: 0,
    });
    const lent: string[] = [];
    for (let i = 0; i < 63; i++) lent.push((await pool.acquire(demand())).keyId);
    expect(lent.filter((id) => id === 'a' || id === 'b')).toHaveLength(3);
    expect(lent.filter((id) => id === 'c')).toHaveLength(60);
    await expect(pool.acquire(demand())).rejects.toBeInstanceOf(NoCapacityError);
  });

  it('keeps the later deadline when a cooling key is cooled down again', async () => {
    const { pool, clock, emitted } = setup({ keys: [key('a', { maxConcurrent: 10 })] });
    const start = clock.now();
    const first = await pool.acquire(demand());
    const second = await pool.acquire(demand());
    first.release({ error: rateLimited(30_000) });
    second.release({ error: rateLimited(5_000) });
    await flush();
    expect(emitted('key.cooldown').map((event) => event.untilMs)).toEqual([start + 30_000, start + 30_000]);
    expect(pool.stats().keys[0]!.cooldownUntil).toBe(start + 30_000);
  });

  it('never lets concurrent acquires jointly overshoot a budget', async () => {
    const { pool } = setup({
      keys: [key('a', { rpm: 5, tpm: 1000 }), key('b', { rpm: 5, tpm: 1000 })],
      maxWaitMs: 0,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => pool.acquire(demand({ estTokens: 300 }))),
    );
    const lent = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.keyId] : []));
    // 1000 tokens a key at 300 each: three leases per key, not five.
    expect(lent.filter((id) => id === 'a')).toHaveLength(3);
    expect(lent.filter((id) => id === 'b')).toHaveLength(3);
  });

  it('says when the first key frees up when every key is cooling down', async () => {
    const { pool, clock } = setup({ keys: [key('a'), key('b')], maxWaitMs: 5_000 });
    const a = await pool.acquire(demand());
    const b = await pool.acquire(demand());
    a.release({ error: rateLimited(40_000) });
    b.release({ error: rateLimited(20_000) });
    await flush();
    await clock.advance(1_000);
    const error = await pool.acquire(demand()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoCapacityError);
    expect((error as NoCapacityError).retryAfterMs).toBe(19_000);
    expect((error as NoCapacityError).retryable).toBe(true);
  });
});
