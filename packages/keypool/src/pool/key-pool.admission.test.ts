import { Forge1Error, Secret } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { demand, flush, key, setup, track } from '../../test/fixtures.js';

describe('createKeyPool admission', () => {
  it('lends a key with its secret as a redacted Secret', async () => {
    const { pool } = setup({ keys: [key('a')] });
    const lease = await pool.acquire(demand());
    expect(lease.keyId).toBe('a');
    expect(lease.provider).toBe('openai');
    expect(lease.secret).toBeInstanceOf(Secret);
    expect(lease.secret.reveal()).toBe('sk-test-a-0123456789abcdef');
    expect(JSON.stringify(lease)).not.toContain('sk-test');
  });

  it('lends the key with the most headroom under both budgets', async () => {
    const { pool } = setup({ keys: [key('a', { tpm: 1000 }), key('b', { tpm: 1000 })] });
    const first = await pool.acquire(demand({ estTokens: 600 }));
    const second = await pool.acquire(demand({ estTokens: 100 }));
    expect(second.keyId).not.toBe(first.keyId);
    const third = await pool.acquire(demand({ estTokens: 100 }));
    expect(third.keyId).toBe(second.keyId);
  });

  it('only lends keys whose model allow-list has the model', async () => {
    const { pool } = setup({
      keys: [key('mini', { models: ['gpt-4o-mini'] }), key('big', { models: ['gpt-4o'] })],
    });
    expect((await pool.acquire(demand({ model: 'gpt-4o' }))).keyId).toBe('big');
    expect((await pool.acquire(demand({ model: 'gpt-4o-mini' }))).keyId).toBe('mini');
    await expect(pool.acquire(demand({ model: 'o3' }))).rejects.toMatchObject({
      code: 'no_capacity',
      retryable: false,
    });
  });

  it('refuses an unknown provider and a malformed demand with typed errors', async () => {
    const { pool } = setup({ keys: [key('a')] });
    await expect(pool.acquire(demand({ provider: 'anthropic' }))).rejects.toMatchObject({
      code: 'no_capacity',
    });
    const error = await pool
      .acquire(demand({ estTokens: -1, tier: 'gold' as never }))
      .catch((e: unknown) => e);
    expect(Forge1Error.is(error, 'validation_error')).toBe(true);
    expect((error as Error).message).toMatch(/estTokens/);
    expect((error as Error).message).toMatch(/tier/);
  });

  it('serves a tenant from its dedicated key first and spills to shared keys', async () => {
    const { pool } = setup({ keys: [key('dedicated', { rpm: 2, dedicatedTo: ['acme'] }), key('shared')] });
    const acme = demand({ tenantId: 'acme' });
    expect((await pool.acquire(acme)).keyId).toBe('dedicated');
    expect((await pool.acquire(acme)).keyId).toBe('dedicated');
    expect((await pool.acquire(acme)).keyId).toBe('shared');
  });

  it('never lends a dedicated key to another tenant', async () => {
    const { pool } = setup({
      keys: [key('dedicated', { dedicatedTo: ['acme'] }), key('shared', { rpm: 1 })],
      maxWaitMs: 0,
    });
    expect((await pool.acquire(demand({ tenantId: 'other' }))).keyId).toBe('shared');
    await expect(pool.acquire(demand({ tenantId: 'other' }))).rejects.toMatchObject({ code: 'no_capacity' });
  });

  it('lends backup keys only when no active key can take the request', async () => {
    const { pool } = setup({
      keys: [key('backup', { role: 'backup', rpm: 100 }), key('active', { rpm: 2 })],
    });
    expect((await pool.acquire(demand())).keyId).toBe('active');
    expect((await pool.acquire(demand())).keyId).toBe('active');
    expect((await pool.acquire(demand())).keyId).toBe('backup');
  });

  describe('reserved shares', () => {
    it('lets a lone tier use all of a shared key', async () => {
      const { pool } = setup({ keys: [key('a', { rpm: 10 })], maxWaitMs: 0 });
      for (let i = 0; i < 10; i++) await pool.acquire(demand({ tier: 'standard' }));
      await expect(pool.acquire(demand({ tier: 'standard' }))).rejects.toMatchObject({ code: 'no_capacity' });
    });

    it('keeps what other active tiers have not used of their guarantees', async () => {
      const { pool } = setup({ keys: [key('a', { rpm: 10 })], maxWaitMs: 0 });
      const take = async (tier: 'enterprise' | 'professional' | 'standard', tries: number) => {
        let lent = 0;
        for (let i = 0; i < tries; i++) {
          lent += await pool.acquire(demand({ tier })).then(
            () => 1,
            () => 0,
          );
        }
        return lent;
      };
      expect(await take('enterprise', 1)).toBe(1);
      // Enterprise and standard active: guarantees 80 % and 10 %. Enterprise used 1 of its 8,
      // so 7 stay free: standard fills up to 3.
      expect(await take('standard', 5)).toBe(2);
      // All three active: standard 10 %, professional 40 %, enterprise what is left, 50 %.
      // Held for enterprise: 5 - 1 = 4; standard has used more than its 1: professional fills up to 6.
      expect(await take('professional', 5)).toBe(3);
      // Held for professional: 4 - 3 = 1: enterprise fills up to 9 and leaves the last one.
      expect(await take('enterprise', 5)).toBe(3);
    });

    it('stops holding a reserve once the higher tier has been idle for the activity window', async () => {
      const { pool, clock } = setup({
        keys: [key('a', { rpm: 1000 })],
        maxWaitMs: 0,
        activityWindowMs: 10_000,
      });
      await pool.acquire(demand({ tier: 'enterprise' }));
      await clock.advance(10_000);
      for (let i = 0; i < 999; i++) await pool.acquire(demand({ tier: 'standard' }));
    });

    it('never holds back dedicated keys', async () => {
      const { pool } = setup({ keys: [key('mine', { rpm: 10, dedicatedTo: ['small'] })], maxWaitMs: 0 });
      await pool.acquire(demand({ tier: 'enterprise', tenantId: 'small' }));
      for (let i = 0; i < 9; i++)
        expect((await pool.acquire(demand({ tier: 'standard', tenantId: 'small' }))).keyId).toBe('mine');
    });

    it('takes the shares from the tiers option', async () => {
      const { pool } = setup({
        keys: [key('a', { rpm: 10 })],
        maxWaitMs: 0,
        tiers: { enterprise: { reservedShare: 0.5 }, standard: { reservedShare: 0 } },
      });
      await pool.acquire(demand({ tier: 'enterprise' }));
      const results = [];
      for (let i = 0; i < 8; i++)
        results.push(await pool.acquire(demand({ tier: 'standard' })).catch(() => 'refused'));
      // Standard guaranteed nothing, enterprise 50 % of which 1 used: standard fills up to 6.
      expect(results.filter((result) => result !== 'refused')).toHaveLength(5);
    });
  });

  it('waits for a secret resolver before lending the key', async () => {
    let give: (value: string) => void = () => undefined;
    const { pool } = setup({
      keys: [key('vault', { secret: () => new Promise<string>((resolve) => (give = resolve)) })],
    });
    const lease = track(pool.acquire(demand()));
    await flush();
    expect(lease.settled()).toBe(false);
    give('sk-from-vault-0123456789');
    await flush();
    expect(lease.value()?.secret.reveal()).toBe('sk-from-vault-0123456789');
  });
});
