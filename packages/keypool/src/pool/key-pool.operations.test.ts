import { ProviderAuthError } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { demand, flush, key, setup, track } from '../../test/fixtures.js';

describe('createKeyPool operations', () => {
  it('adds a key at runtime and wakes waiters with it', async () => {
    const { pool } = setup({ keys: [key('a', { rpm: 1 })] });
    await pool.acquire(demand());
    const waiting = track(pool.acquire(demand()));
    await flush();
    await pool.add(key('b'));
    await flush();
    expect(waiting.value()?.keyId).toBe('b');
  });

  it('refuses to add a duplicate or invalid key', async () => {
    const { pool } = setup({ keys: [key('a')] });
    await expect(pool.add(key('a'))).rejects.toMatchObject({
      code: 'validation_error',
      message: /duplicate key id "a"/,
    });
    await expect(pool.add(key('z', { rpm: 0 }))).rejects.toMatchObject({
      code: 'validation_error',
      message: /rpm/,
    });
  });

  it('retires a key: no new leases, resolved once in-flight leases are released', async () => {
    const { pool } = setup({ keys: [key('a'), key('b', { rpm: 1000 })] });
    const leases = [await pool.acquire(demand()), await pool.acquire(demand())];
    const onA = leases.find((lease) => lease.keyId === 'a')!;
    const retired = track(pool.retire('a'));
    await flush();
    expect(retired.settled()).toBe(false);
    expect(pool.stats().keys.find((k) => k.keyId === 'a')?.state).toBe('draining');
    for (let i = 0; i < 5; i++) expect((await pool.acquire(demand())).keyId).toBe('b');
    onA.release();
    await flush();
    expect(retired.settled()).toBe(true);
    expect(pool.stats().keys.find((k) => k.keyId === 'a')?.state).toBe('retired');
  });

  it('rotates a secret without touching calls in flight', async () => {
    const { pool, emitted } = setup({ keys: [key('a')] });
    const before = await pool.acquire(demand());
    await pool.rotate('a', 'sk-rotated-0123456789abcdef');
    const after = await pool.acquire(demand());
    expect(before.secret.reveal()).toBe('sk-test-a-0123456789abcdef');
    expect(after.secret.reveal()).toBe('sk-rotated-0123456789abcdef');
    // The old secret is revoked upstream: its late 401 must not disable the rotated key.
    before.release({ error: new ProviderAuthError('revoked', { provider: 'openai', status: 401 }) });
    expect(emitted('key.disabled')).toEqual([]);
    expect((await pool.acquire(demand())).keyId).toBe('a');
  });

  it('rotates through a resolver and re-enables a disabled key', async () => {
    const { pool, emitted } = setup({ keys: [key('a')] });
    (await pool.acquire(demand())).release({
      error: new ProviderAuthError('bad', { provider: 'openai', status: 401 }),
    });
    expect(pool.stats().keys[0]!.state).toBe('disabled');
    await pool.rotate('a', async () => 'sk-from-vault-0123456789');
    expect(emitted('key.enabled')).toEqual([{ keyId: 'a', provider: 'openai' }]);
    expect((await pool.acquire(demand())).secret.reveal()).toBe('sk-from-vault-0123456789');
  });

  it('disables a key whose secret resolver fails, without leaking anything', async () => {
    const { pool, emitted } = setup({
      keys: [key('a', { secret: () => Promise.reject(new Error('vault down')) }), key('b')],
    });
    await pool.ready();
    expect(emitted('key.disabled')).toEqual([
      { keyId: 'a', provider: 'openai', reason: 'secret-resolver-failed' },
    ]);
    expect((await pool.acquire(demand())).keyId).toBe('b');
  });

  it('enables a key again on request', async () => {
    const { pool, emitted } = setup({ keys: [key('a')], maxWaitMs: 0 });
    (await pool.acquire(demand())).release({
      error: new ProviderAuthError('bad', { provider: 'openai', status: 401 }),
    });
    await expect(pool.acquire(demand())).rejects.toMatchObject({ code: 'no_capacity' });
    await pool.enable('a');
    expect(emitted('key.enabled')).toHaveLength(1);
    expect((await pool.acquire(demand())).keyId).toBe('a');
  });

  it('rejects operations on unknown keys', async () => {
    const { pool } = setup({ keys: [key('a')] });
    await expect(pool.retire('zz')).rejects.toMatchObject({ code: 'validation_error' });
    await expect(pool.rotate('zz', 'x')).rejects.toMatchObject({ code: 'validation_error' });
    await expect(pool.enable('zz')).rejects.toMatchObject({ code: 'validation_error' });
  });

  it('reports per-key and per-provider stats', async () => {
    const { pool, clock } = setup({
      keys: [key('a', { rpm: 10, maxConcurrent: 4 }), key('b', { rpm: 10 })],
      maxWaitMs: 120_000,
    });
    for (let i = 0; i < 20; i++) (await pool.acquire(demand({ estTokens: 10 }))).release();
    const waiting = track(pool.acquire(demand()));
    await clock.advance(2_000);
    const stats = pool.stats();
    expect(stats.keys.map((k) => [k.keyId, k.requests, k.utilisation])).toEqual([
      ['a', 10, 1],
      ['b', 10, 1],
    ]);
    expect(stats.keys[0]!.limits).toEqual({ rpm: 10, tpm: 100_000, maxConcurrent: 4 });
    expect(stats.queueDepth).toBe(1);
    expect(stats.providers).toEqual([
      {
        provider: 'openai',
        utilisation: 1,
        queueDepth: 1,
        waits: { count: 20, queued: 0, p50: 0, p95: 0 },
        cooling: 0,
        cooldowns: 0,
      },
    ]);
    await clock.advance(58_000);
    await flush();
    expect(waiting.settled()).toBe(true);
    expect(pool.stats().providers[0]!.waits).toMatchObject({ count: 21, queued: 1 });
  });

  it('signals a saturated and then an underused provider', async () => {
    const { pool, clock, emitted } = setup({
      keys: [key('a', { rpm: 10 })],
      signals: { windowMs: 60_000 },
      maxWaitMs: 0,
    });
    await clock.advance(5_000);
    for (let i = 0; i < 9; i++) (await pool.acquire(demand())).release();
    await clock.advance(55_000);
    expect(emitted('pool.saturated')).toEqual([{ provider: 'openai', utilisation: 0.9, windowMs: 60_000 }]);
    await clock.advance(60_000);
    expect(emitted('pool.underused')).toEqual([{ provider: 'openai', utilisation: 0, windowMs: 60_000 }]);
    await clock.advance(60_000);
    expect(emitted('pool.underused')).toHaveLength(1);
    await pool.close();
    expect(clock.pending()).toBe(0);
  });
});
