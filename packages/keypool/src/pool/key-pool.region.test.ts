import { ProviderAuthError, RateLimitedError } from '@forge1/core';
import { NoKeyInRegionError } from '@forge1/keypool';
import { describe, expect, it } from 'vitest';
import { demand, flush, key, setup, track } from '../../test/fixtures.js';

describe('createKeyPool data residency', () => {
  const keys = () => [
    key('us-1', { region: 'us' }),
    key('eu-1', { region: 'eu', rpm: 1 }),
    key('eu-2', { region: 'eu', rpm: 1 }),
    key('global'),
  ];

  it('leases only keys whose region is in the demand regions', async () => {
    const { pool } = setup({ keys: keys() });
    const leased = [
      (await pool.acquire(demand({ regions: ['eu'] }))).keyId,
      (await pool.acquire(demand({ regions: ['eu'] }))).keyId,
    ];
    expect(leased.sort()).toEqual(['eu-1', 'eu-2']);
  });

  it('serves a demand without regions from any key, regional ones included', async () => {
    const { pool } = setup({ keys: [key('eu-1', { region: 'eu' })] });
    expect((await pool.acquire(demand())).keyId).toBe('eu-1');
  });

  it('never serves a region-restricted demand from a key without a region', async () => {
    const { pool } = setup({ keys: [key('global')] });
    const error = await pool.acquire(demand({ regions: ['eu'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoKeyInRegionError);
  });

  it('refuses with an error that names the regions when no in-region key exists', async () => {
    const { pool } = setup({ keys: keys() });
    const error = await pool.acquire(demand({ regions: ['ch', 'jp'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoKeyInRegionError);
    expect(error).toMatchObject({ code: 'no_capacity', retryable: false, regions: ['ch', 'jp'] });
    expect((error as Error).message).toContain('ch, jp');
  });

  it('waits for a busy in-region key rather than lending an idle out-of-region one', async () => {
    const { pool, clock } = setup({ keys: keys(), maxWaitMs: 120_000 });
    await pool.acquire(demand({ regions: ['eu'] }));
    await pool.acquire(demand({ regions: ['eu'] }));
    const waiting = track(pool.acquire(demand({ regions: ['eu'] })));
    await flush();
    expect(waiting.settled()).toBe(false);
    await clock.advance(60_001);
    await flush();
    expect(waiting.value()?.keyId).toMatch(/^eu-/);
  });

  it('waits for a cooling in-region key rather than lending an out-of-region one', async () => {
    const { pool, clock } = setup({ keys: [key('eu-1', { region: 'eu' }), key('us-1', { region: 'us' })] });
    const lease = await pool.acquire(demand({ regions: ['eu'] }));
    lease.release({ error: new RateLimitedError('slow down', { provider: 'openai', retryAfterMs: 5_000 }) });
    await flush();
    const waiting = track(pool.acquire(demand({ regions: ['eu'] })));
    await flush();
    expect(waiting.settled()).toBe(false);
    await clock.advance(5_001);
    await flush();
    expect(waiting.value()?.keyId).toBe('eu-1');
  });

  it('refuses rather than lending out of region when every in-region key is disabled', async () => {
    const { pool } = setup({ keys: [key('eu-1', { region: 'eu' }), key('us-1', { region: 'us' })] });
    const lease = await pool.acquire(demand({ regions: ['eu'] }));
    lease.release({ error: new ProviderAuthError('revoked', { provider: 'openai', status: 401 }) });
    await flush();
    const error = await pool.acquire(demand({ regions: ['eu'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoKeyInRegionError);
    expect((await pool.acquire(demand())).keyId).toBe('us-1');
  });
});
