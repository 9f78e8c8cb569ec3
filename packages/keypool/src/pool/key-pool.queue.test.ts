import { AbortedError, type Lease, NoCapacityError } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { demand, flush, key, setup, track } from '../../test/fixtures.js';

const noReserves = {
  enterprise: { reservedShare: 0 },
  professional: { reservedShare: 0 },
  standard: { reservedShare: 0 },
};

describe('createKeyPool queue', () => {
  it('waits for the window to free a slot instead of overshooting', async () => {
    const { pool, clock } = setup({ keys: [key('a', { rpm: 2 })], maxWaitMs: 120_000 });
    await pool.acquire(demand());
    await clock.advance(10_000);
    await pool.acquire(demand());
    const third = track(pool.acquire(demand()));
    await clock.advance(49_999);
    expect(third.settled()).toBe(false);
    await clock.advance(1);
    expect(third.value()?.keyId).toBe('a');
    expect(pool.stats().queueDepth).toBe(0);
  });

  it('serves higher tiers first and each tier in arrival order', async () => {
    const { pool, clock } = setup({
      keys: [key('a', { rpm: 1 })],
      agingPerSecond: 0,
      maxWaitMs: 600_000,
      tiers: noReserves,
    });
    await pool.acquire(demand());
    const order: string[] = [];
    const ask = (name: string, tier: 'enterprise' | 'professional' | 'standard') =>
      pool.acquire(demand({ tier })).then((lease) => {
        order.push(name);
        return lease;
      });
    const waiting = [
      ask('s1', 'standard'),
      ask('p1', 'professional'),
      ask('s2', 'standard'),
      ask('e1', 'enterprise'),
      ask('p2', 'professional'),
    ];
    await flush();
    expect(pool.stats().queueDepth).toBe(5);
    await clock.advance(5 * 60_000);
    await Promise.all(waiting);
    expect(order).toEqual(['e1', 'p1', 'p2', 's1', 's2']);
  });

  it('ages waiting requests so that a long-waiting lower tier passes a fresh higher one', async () => {
    const { pool, clock } = setup({
      keys: [key('a', { rpm: 1 })],
      agingPerSecond: 2,
      maxWaitMs: 600_000,
      tiers: noReserves,
    });
    await pool.acquire(demand());
    const order: string[] = [];
    void pool.acquire(demand({ tier: 'standard' })).then(() => order.push('standard'));
    await clock.advance(50_000);
    // The standard request has waited 50 s: 10 + 100 points, above a fresh enterprise request's 100.
    void pool.acquire(demand({ tier: 'enterprise' })).then(() => order.push('enterprise'));
    await clock.advance(130_000);
    expect(order).toEqual(['standard', 'enterprise']);
  });

  it('serves a waiter held back by a reserve once the higher tier goes idle', async () => {
    const { pool, clock } = setup({
      keys: [key('a', { rpm: 10 })],
      agingPerSecond: 0,
      maxWaitMs: 600_000,
      activityWindowMs: 30_000,
    });
    for (let i = 0; i < 2; i++) await pool.acquire(demand({ tier: 'enterprise' }));
    // Held for enterprise: 8 - 2 = 6, so standard fills up to 4 and then waits.
    for (let i = 0; i < 2; i++) await pool.acquire(demand({ tier: 'standard' }));
    const waiting = track(pool.acquire(demand({ tier: 'standard' })));
    await clock.advance(29_999);
    expect(waiting.settled()).toBe(false);
    await clock.advance(1);
    await flush();
    expect(waiting.value()?.keyId).toBe('a');
  });

  it('fails with NoCapacityError carrying retryAfterMs after maxWaitMs', async () => {
    const { pool, clock } = setup({ keys: [key('a', { rpm: 1, maxConcurrent: 5 })], maxWaitMs: 1_000 });
    const held = await pool.acquire(demand());
    const waiting = track(pool.acquire(demand()));
    await clock.advance(999);
    expect(waiting.settled()).toBe(false);
    await clock.advance(1);
    const error = waiting.error();
    expect(error).toBeInstanceOf(NoCapacityError);
    expect((error as NoCapacityError).retryAfterMs).toBe(59_000);
    expect((error as NoCapacityError).provider).toBe('openai');
    expect(pool.stats().queueDepth).toBe(0);
    held.release();
  });

  it('leaves the queue at once when the signal aborts', async () => {
    const { pool } = setup({ keys: [key('a', { rpm: 1 })] });
    await pool.acquire(demand());
    const controller = new AbortController();
    const waiting = track(pool.acquire(demand({ signal: controller.signal })));
    await flush();
    expect(pool.stats().queueDepth).toBe(1);
    controller.abort();
    await flush();
    expect(waiting.error()).toBeInstanceOf(AbortedError);
    expect(pool.stats().queueDepth).toBe(0);
  });

  it('refuses an already aborted signal without queueing', async () => {
    const { pool } = setup({ keys: [key('a')] });
    const controller = new AbortController();
    controller.abort();
    await expect(pool.acquire(demand({ signal: controller.signal }))).rejects.toBeInstanceOf(AbortedError);
  });

  it('wakes a waiter as soon as a release frees a concurrency slot', async () => {
    const { pool } = setup({ keys: [key('a', { maxConcurrent: 1 })] });
    const first = await pool.acquire(demand());
    const second = track(pool.acquire(demand()));
    await flush();
    expect(second.settled()).toBe(false);
    first.release({ usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0 } });
    await flush();
    expect((second.value() as Lease).keyId).toBe('a');
  });

  it('rejects waiters with ClosedError on close and refuses later acquires', async () => {
    const { pool } = setup({ keys: [key('a', { rpm: 1 })] });
    await pool.acquire(demand());
    const waiting = track(pool.acquire(demand()));
    await flush();
    await pool.close();
    await flush();
    expect(waiting.error()).toMatchObject({ code: 'closed' });
    await expect(pool.acquire(demand())).rejects.toMatchObject({ code: 'closed' });
    await pool.close();
  });
});
