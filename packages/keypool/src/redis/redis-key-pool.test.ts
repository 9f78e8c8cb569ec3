import { createKeyPool, type KeyInput, type KeyPool, NoKeyInRegionError } from '@forge1/keypool';
import { createRedisStateStore, type RedisStateStore } from '@forge1/keypool/redis';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestRedis } from './test-redis.js';

// Key pools in one test process, each on its own Redis store (its own connection and owner id),
// stand for pools in separate processes.
const { url, runId, redis } = useTestRedis('pools:');
if (!url) console.warn('FORGE1_REDIS_URL is unset: the cross-process key pool tests are skipped');

describe.skipIf(!url)('key pools of several processes on one Redis (FORGE1_REDIS_URL)', () => {
  const opened: Array<KeyPool | RedisStateStore> = [];
  afterEach(async () => {
    for (const item of opened.splice(0)) await item.close();
  });
  let count = 0;
  const solo: KeyInput = {
    id: 'solo',
    provider: 'openai',
    secret: 'sk-solo-secret',
    rpm: 1000,
    tpm: 1_000_000,
    maxConcurrent: 1,
  };
  const processes = (
    n: number,
    keys: KeyInput[] = [solo],
    extra: { slices?: boolean; maxWaitMs?: number } = {},
  ) => {
    const prefix = `${runId}:${count++}`;
    return Array.from({ length: n }, () => {
      // Polling and lease expiry far away: only the pub/sub wake can serve the waiter in time.
      const store = createRedisStateStore({
        redis: redis(),
        prefix,
        pollMs: 20_000,
        ...(extra.slices ? { slices: { lifetimeMs: 50 } } : {}),
      });
      const pool = createKeyPool({
        keys,
        store,
        signals: false,
        maxWaitMs: extra.maxWaitMs ?? 15_000,
      });
      opened.push(pool, store);
      return pool;
    });
  };
  const demand = (tier: 'enterprise' | 'standard') => ({
    provider: 'openai',
    model: 'gpt-4o-mini',
    estTokens: 10,
    tenantId: tier,
    tier,
  });
  const settleDown = () => new Promise((resolve) => setTimeout(resolve, 150));

  it('wakes a waiting process when another releases the key', async () => {
    const [holder, waiter] = processes(2);
    const lease = await holder!.acquire(demand('standard'));
    const started = Date.now();
    const waiting = waiter!.acquire(demand('standard'));
    await settleDown();
    lease.release();
    const second = await waiting;
    expect(second.keyId).toBe('solo');
    expect(Date.now() - started).toBeLessThan(5_000);
    second.release();
  });

  it('serves the waiting enterprise process before the waiting standard one', async () => {
    const [holder, enterprise, standard] = processes(3);
    const lease = await holder!.acquire(demand('standard'));
    const order: string[] = [];
    const low = standard!.acquire(demand('standard')).then((granted) => {
      order.push('standard');
      return granted;
    });
    await settleDown();
    const high = enterprise!.acquire(demand('enterprise')).then((granted) => {
      order.push('enterprise');
      return granted;
    });
    await settleDown();
    lease.release();
    (await high).release();
    (await low).release();
    expect(order).toEqual(['enterprise', 'standard']);
  });

  it('leases only in-region keys across processes, waiting rather than crossing the boundary', async () => {
    const pools = processes(2, [
      { ...solo, id: 'eu', secret: 'sk-eu-secret', region: 'eu' },
      { ...solo, id: 'us', secret: 'sk-us-secret', region: 'us', maxConcurrent: 10 },
    ]);
    const eu = { ...demand('standard'), regions: ['eu'] };
    const held = await pools[0]!.acquire(eu);
    expect(held.keyId).toBe('eu');
    const waiting = pools[1]!.acquire(eu);
    await settleDown();
    held.release();
    const second = await waiting;
    expect(second.keyId).toBe('eu');
    second.release();
    await expect(pools[1]!.acquire({ ...eu, regions: ['ch'] })).rejects.toBeInstanceOf(NoKeyInRegionError);
  });

  it('never lends more than a limit from two pools lending from slices, and lends all of it', async () => {
    const open: KeyInput = {
      id: 'open',
      provider: 'openai',
      secret: 'sk-open-secret',
      rpm: 30,
      tpm: 1_000_000,
    };
    const pools = processes(2, [open], { slices: true, maxWaitMs: 1 });
    let granted = 0;
    for (let round = 0; round < 12; round++) {
      const answers = pools.flatMap((pool) =>
        Array.from({ length: 4 }, () =>
          pool.acquire(demand('standard')).then(
            (lease) => {
              granted++;
              return lease.release({ usage: { inputTokens: 5, outputTokens: 5, cachedInputTokens: 0 } });
            },
            () => undefined,
          ),
        ),
      );
      await Promise.all(answers);
      expect(granted).toBeLessThanOrEqual(30);
      await settleDown();
    }
    expect(granted).toBe(30);
  });
});
