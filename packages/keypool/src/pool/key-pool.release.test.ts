import { ContextLengthError, ProviderAuthError, RateLimitedError } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { demand, flush, key, setup, track } from '../../test/fixtures.js';

const usage = (tokens: number) => ({ inputTokens: tokens, outputTokens: 0, cachedInputTokens: 0 });
const rateLimited = (retryAfterMs?: number) =>
  new RateLimitedError('slow down', {
    provider: 'openai',
    kind: 'requests',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('createKeyPool release', () => {
  it('replaces the reserved estimate with the actual usage', async () => {
    const { pool } = setup({ keys: [key('a', { tpm: 1000 })], maxWaitMs: 0 });
    const big = await pool.acquire(demand({ estTokens: 900 }));
    await expect(pool.acquire(demand({ estTokens: 500 }))).rejects.toMatchObject({ code: 'no_capacity' });
    big.release({ usage: usage(200) });
    expect((await pool.acquire(demand({ estTokens: 800 }))).keyId).toBe('a');
  });

  it('ignores a second release', async () => {
    const { pool } = setup({ keys: [key('a', { maxConcurrent: 1 })] });
    const lease = await pool.acquire(demand());
    lease.release();
    const next = await pool.acquire(demand());
    lease.release();
    expect(pool.stats().keys[0]!.inFlight).toBe(1);
    next.release();
  });

  it('gives a lease back, then refuses a malformed outcome with a validation_error', async () => {
    const { pool } = setup({ keys: [key('a', { tpm: 1000, maxConcurrent: 1 })], maxWaitMs: 0 });
    const throwing = {
      get usage(): never {
        throw new RangeError('from the caller');
      },
    };
    const outcomes = [
      42,
      throwing,
      { usage: { inputTokens: Number.NaN, outputTokens: 0 } },
      { usage: { inputTokens: 10, outputTokens: -1 } },
      { rateLimit: { remainingTokens: Number.POSITIVE_INFINITY } },
    ];
    for (const outcome of outcomes) {
      const lease = await pool.acquire(demand({ estTokens: 100 }));
      expect(() => lease.release(outcome as never)).toThrow(
        expect.objectContaining({ code: 'validation_error' }),
      );
      expect(pool.stats().keys[0]!.inFlight).toBe(0);
    }
    // No NaN reached the key's window: a request that fits the limit is still served.
    const after = await pool.acquire(demand({ estTokens: 100 }));
    expect(after.keyId).toBe('a');
    after.release({ usage: usage(100) });
  });

  it('cools a rate-limited key down for retryAfterMs and moves to another key', async () => {
    const { pool, clock, emitted } = setup({ keys: [key('a'), key('b')] });
    const lease = await pool.acquire(demand());
    const first = lease.keyId;
    lease.release({ error: rateLimited(20_000) });
    await flush();
    const [event] = emitted('key.cooldown');
    expect(event).toMatchObject({ keyId: first, provider: 'openai', untilMs: clock.now() + 20_000 });
    for (let i = 0; i < 5; i++) expect((await pool.acquire(demand())).keyId).not.toBe(first);
    expect(pool.stats().keys.find((k) => k.keyId === first)).toMatchObject({
      state: 'cooling',
      rateLimited: 1,
    });
  });

  it('backs off exponentially when the error has no retry-after', async () => {
    const { pool, clock, emitted } = setup({
      keys: [key('a', { rpm: 1000 })],
      random: () => 0.5,
      cooldown: { baseMs: 1_000, maxMs: 60_000 },
    });
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const lease = await pool.acquire(demand());
      const now = clock.now();
      lease.release({ error: rateLimited() });
      await flush();
      waits.push(emitted('key.cooldown')[i]!.untilMs - now);
      await clock.advance(waits[i]!);
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('disables a key on an auth error and moves the load to the others', async () => {
    const { pool, emitted } = setup({ keys: [key('a'), key('b')] });
    const lease = await pool.acquire(demand());
    const bad = lease.keyId;
    lease.release({ error: new ProviderAuthError('invalid key', { provider: 'openai', status: 401 }) });
    expect(emitted('key.disabled')).toEqual([{ keyId: bad, provider: 'openai', reason: 'auth' }]);
    for (let i = 0; i < 10; i++) expect((await pool.acquire(demand())).keyId).not.toBe(bad);
    expect(pool.stats().keys.find((k) => k.keyId === bad)?.state).toBe('disabled');
  });

  it('counts other errors without cooling or disabling the key', async () => {
    const { pool, emitted } = setup({ keys: [key('a')] });
    (await pool.acquire(demand())).release({
      error: new ContextLengthError('too long', { provider: 'openai' }),
    });
    expect(emitted('key.cooldown')).toEqual([]);
    expect(pool.stats().keys[0]).toMatchObject({ state: 'active', errors: 1 });
  });

  it('tightens limits learned from response headers, never loosens them', async () => {
    const { pool, emitted } = setup({ keys: [key('a', { rpm: 100, tpm: 100_000 })], maxWaitMs: 0 });
    (await pool.acquire(demand())).release({
      usage: usage(10),
      rateLimit: { limitRequests: 3, limitTokens: 500_000 },
    });
    expect(emitted('key.learned')).toHaveLength(1);
    expect(pool.stats().keys[0]!.limits).toEqual({ rpm: 3, tpm: 100_000 });
    await pool.acquire(demand());
    await pool.acquire(demand());
    await expect(pool.acquire(demand())).rejects.toMatchObject({ code: 'no_capacity' });
  });

  it('counts what the provider says remains against the key', async () => {
    const { pool } = setup({ keys: [key('a', { rpm: 100 })], maxWaitMs: 0 });
    (await pool.acquire(demand())).release({ usage: usage(10), rateLimit: { remainingRequests: 1 } });
    await pool.acquire(demand());
    await expect(pool.acquire(demand())).rejects.toMatchObject({ code: 'no_capacity' });
  });

  it('wakes waiters when a cooldown ends', async () => {
    const { pool, clock } = setup({ keys: [key('a')] });
    (await pool.acquire(demand())).release({ error: rateLimited(5_000) });
    const waiting = track(pool.acquire(demand()));
    await clock.advance(4_999);
    expect(waiting.settled()).toBe(false);
    await clock.advance(1);
    expect(waiting.value()?.keyId).toBe('a');
  });
});
