import { randomBytes } from 'node:crypto';
import { createGuard } from '@forge1/metering';
import { createRedisCounterStore } from '@forge1/metering/redis';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnWorker } from './workers/spawn-worker.js';

// Four processes spend one tenant's monthly budget through the metering guard on the Redis
// counter store (e2e/workers/budget-worker.ts). The guard reserves each request's minimum cost
// before the call and settles the real cost after it, so the budget can be overspent only by
// what the requests in flight at the last moment cost beyond their minimum: at most one
// request per process here.
const url = process.env.FORGE1_REDIS_URL;
if (!url) console.warn('FORGE1_REDIS_URL is unset: the shared-budget test is skipped');
const prefix = `forge1test:budget:${randomBytes(4).toString('hex')}:`;

describe.skipIf(!url)('a budget shared by four processes (FORGE1_REDIS_URL)', () => {
  let redis: Redis | undefined;
  afterAll(async () => {
    if (!redis) return;
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('is never overspent by more than one in-flight request per process', async () => {
    redis = new Redis(url!);
    const tenantId = `budget-${randomBytes(3).toString('hex')}`;
    const budgetMicros = 300_000;
    const maximumCostMicros = 3_000;
    const config = {
      redisUrl: url,
      prefix,
      tenantId,
      budgetMicros,
      minimumCostMicros: 200,
      maximumCostMicros,
    };
    const workers = [1, 2, 3, 4].map((seed) => spawnWorker('budget-worker.ts', { ...config, seed }));
    await Promise.all(workers.map((worker) => worker.next('ready')));
    for (const worker of workers) worker.send('go');
    const done = await Promise.all(workers.map((worker) => worker.next('done')));
    const guard = createGuard({ counters: createRedisCounterStore({ redis, prefix }) });
    const { spentMicros } = await guard.usage(tenantId);
    const reported = done.reduce((sum, event) => sum + (event.spentMicros as number), 0);
    console.info(
      `4 processes spent ${spentMicros} of a ${budgetMicros} budget in ${done.map((event) => event.requests).join('+')} requests`,
    );
    expect(done.map((event) => event.refusal)).toEqual(Array(4).fill('budget_exceeded'));
    expect(done.every((event) => (event.requests as number) > 0)).toBe(true);
    expect(spentMicros).toBe(reported);
    expect(spentMicros).toBeGreaterThan(budgetMicros - maximumCostMicros);
    expect(spentMicros).toBeLessThanOrEqual(budgetMicros + 4 * maximumCostMicros);
  }, 30_000);
});
