import { ProviderAuthError, RateLimitedError } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { demand, flush, key, setup } from '../../test/fixtures.js';

describe('createKeyPool headroom', () => {
  it('is 1 for a provider whose keys are idle', () => {
    const { pool } = setup({ keys: [key('a'), key('b')] });
    expect(pool.headroom('openai')).toBe(1);
  });

  it('is 0 for a provider without keys', () => {
    const { pool } = setup({ keys: [key('a')] });
    expect(pool.headroom('anthropic')).toBe(0);
  });

  it('falls with the request budget used in the window', async () => {
    const { pool } = setup({ keys: [key('a', { rpm: 10 })] });
    for (let i = 0; i < 4; i++) await pool.acquire(demand({ estTokens: 1 }));
    expect(pool.headroom('openai')).toBeCloseTo(0.6);
  });

  it('follows the token budget when it binds harder than requests', async () => {
    const { pool } = setup({ keys: [key('a', { rpm: 100, tpm: 1000 })] });
    await pool.acquire(demand({ estTokens: 750 }));
    expect(pool.headroom('openai')).toBeCloseTo(0.25);
  });

  it('recovers once the window has passed', async () => {
    const { pool, clock } = setup({ keys: [key('a', { rpm: 2 })] });
    await pool.acquire(demand());
    await pool.acquire(demand());
    expect(pool.headroom('openai')).toBe(0);
    await clock.advance(61_000);
    expect(pool.headroom('openai')).toBe(1);
  });

  it.each([
    ['cooling', new RateLimitedError('slow down', { provider: 'openai', retryAfterMs: 30_000 })],
    ['disabled', new ProviderAuthError('revoked', { provider: 'openai', status: 401 })],
  ])('counts a %s key as 0', async (_state, error) => {
    const { pool } = setup({ keys: [key('a'), key('b')] });
    const lease = await pool.acquire(demand({ estTokens: 0 }));
    lease.release({ error });
    await flush();
    expect(pool.headroom('openai')).toBeCloseTo(0.5, 1);
  });

  it('counts a key at its concurrency limit as 0', async () => {
    const { pool } = setup({ keys: [key('a', { maxConcurrent: 1, rpm: 1000 }), key('b', { rpm: 1000 })] });
    const lease = await pool.acquire(demand({ estTokens: 0 }));
    const busy = lease.keyId;
    expect(pool.headroom('openai')).toBeCloseTo(busy === 'a' ? 0.5 : 1, 2);
  });

  it('is lowered by requests queued for the provider', async () => {
    const { pool } = setup({
      keys: [
        key('narrow', { models: ['gpt-4o'], rpm: 1 }),
        key('wide', { models: ['gpt-4o-mini'], rpm: 100 }),
      ],
    });
    await pool.acquire(demand({ model: 'gpt-4o' }));
    const before = pool.headroom('openai');
    void pool.acquire(demand({ model: 'gpt-4o' })).catch(() => undefined);
    await flush();
    expect(pool.stats().queueDepth).toBe(1);
    expect(pool.headroom('openai')).toBeCloseTo(before - 1 / 101);
  });

  it('measures only the keys of the given regions', async () => {
    const { pool } = setup({
      keys: [key('eu', { region: 'eu', rpm: 1 }), key('us', { region: 'us' }), key('global')],
    });
    await pool.acquire(demand({ regions: ['eu'] }));
    expect(pool.headroom('openai', ['eu'])).toBe(0);
    expect(pool.headroom('openai', ['us'])).toBe(1);
    expect(pool.headroom('openai', ['ch'])).toBe(0);
  });

  it("counts for a tier only what the other active tiers' reserves leave it", async () => {
    const { pool } = setup({ keys: [key('a', { rpm: 10 })], maxWaitMs: 0 });
    await pool.acquire(demand({ tier: 'enterprise', estTokens: 1 }));
    await pool.acquire(demand({ tier: 'standard', estTokens: 1 }));
    // Enterprise and standard active: 80 % and 10 % guaranteed; 2 of 10 used, 7 held for enterprise.
    expect(pool.headroom('openai')).toBeCloseTo(0.8);
    expect(pool.headroom('openai', undefined, 'enterprise')).toBeCloseTo(0.8);
    expect(pool.headroom('openai', undefined, 'standard')).toBeCloseTo(0.1);
    await pool.acquire(demand({ tier: 'standard', estTokens: 1 }));
    expect(pool.headroom('openai', undefined, 'standard')).toBe(0);
    await expect(pool.acquire(demand({ tier: 'standard', estTokens: 1 }))).rejects.toMatchObject({
      code: 'no_capacity',
    });
    // A tier not seen yet counts as active when it asks: with all three, enterprise holds 50 %, 4 unused.
    expect(pool.headroom('openai', undefined, 'professional')).toBeCloseTo(0.3);
  });

  it("leaves the reserves out on dedicated keys, and other tenants' dedicated keys out", async () => {
    const { pool } = setup({
      keys: [key('mine', { rpm: 10, dedicatedTo: ['acme'] }), key('shared', { rpm: 10 })],
    });
    await pool.acquire(demand({ tier: 'enterprise', tenantId: 'bank', estTokens: 1 }));
    await pool.acquire(demand({ tier: 'standard', tenantId: 'acme', estTokens: 1 }));
    // acme: its own key (9 of 10 free, no reserves) and the shared key (held for enterprise: 7).
    expect(pool.headroom('openai', undefined, 'standard', 'acme')).toBeCloseTo((9 + 2) / 20);
    // bank: the shared key alone, 9 free, standard's unused 1 held back.
    expect(pool.headroom('openai', undefined, 'enterprise', 'bank')).toBeCloseTo(0.8);
  });
});
