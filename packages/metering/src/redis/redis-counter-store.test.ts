import { billingPeriod, Forge1Error, type RequestContext, resolveTenantPolicy } from '@forge1/core';
import { createGuard, createUsageStore } from '@forge1/metering';
import { createPostgresSink } from '@forge1/metering/postgres';
import {
  createRedisCounterStore,
  type RedisCommandClient,
  RedisUnavailableError,
} from '@forge1/metering/redis';
import { sampleUsageRecords } from '@forge1/metering/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const redisUrl = process.env.FORGE1_REDIS_URL;
const pgUrl = process.env.FORGE1_PG_URL;
if (!redisUrl)
  console.warn('FORGE1_REDIS_URL is unset: the Redis counter store integration tests are skipped');
if (!pgUrl) console.warn('FORGE1_PG_URL is unset: seeding Redis counters from PostgreSQL is skipped');
const run = `${process.pid}${Date.now().toString(36)}`;
const prefix = `forge1test:guard:${run}:`;
let client: Redis | undefined;
const redis = () => {
  client ??= new Redis(redisUrl!);
  return client;
};

afterAll(async () => {
  if (!client) return;
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
  client.disconnect();
});

describe('createRedisCounterStore without Redis', () => {
  it('rejects bad options with a ValidationError naming the field', () => {
    expect(() => createRedisCounterStore({ redis: 'http://nope' })).toThrow(/redis/);
    expect(() => createRedisCounterStore({ redis: { call: async () => 1 }, prefix: 'bad prefix' })).toThrow(
      /prefix/,
    );
  });

  it('turns a failing connection into a retryable RedisUnavailableError', async () => {
    const broken: RedisCommandClient = { status: 'reconnecting', call: async () => 1 };
    const store = createRedisCounterStore({ redis: broken });
    const error = await store.get(['a']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(Forge1Error.is(error, 'store_unavailable')).toBe(true);
    expect((error as Forge1Error).retryable).toBe(true);
  });

  it('loads its script with EVAL when Redis answers NOSCRIPT (after a restart)', async () => {
    const commands: string[] = [];
    const fake: RedisCommandClient = {
      async call(command) {
        commands.push(command);
        if (command === 'EVALSHA') throw new Error('NOSCRIPT No matching script');
        return ['7'];
      },
    };
    expect(await createRedisCounterStore({ redis: fake }).get(['a'])).toEqual([7]);
    expect(commands).toEqual(['EVALSHA', 'EVAL']);
  });
});

describe.skipIf(!redisUrl)('Redis counter store (FORGE1_REDIS_URL)', () => {
  it('expires each counter at its expiresAt and never shortens an expiry in force', async () => {
    const store = createRedisCounterStore({ redis: redis(), prefix });
    const hour = Date.now() + 3_600_000;
    await store.add([{ key: 'ttl', amount: 1, expiresAt: hour }]);
    await store.add([{ key: 'ttl', amount: 1, expiresAt: Date.now() + 60_000 }]);
    const ttl = await redis().pttl(`${prefix}ttl`);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('lets two guards (two processes) enforce one monthly budget', async () => {
    const tenant = `shared-${run}`;
    const policy = resolveTenantPolicy({ id: tenant, tier: 'standard', budget: { monthlyMicros: 1000 } });
    const context = { tenantId: tenant, requestId: 'r' } as RequestContext;
    const [first, second] = [1, 2].map(() =>
      createGuard({ counters: createRedisCounterStore({ redis: redis(), prefix }) }),
    );
    const grant = await first!.check({ policy, context, minimumCostMicros: 100, estimatedTokens: 0 });
    await first!.settle(grant, { costMicros: 950, tokens: 0, served: true });
    expect((await second!.usage(tenant)).spentMicros).toBe(950);
    await expect(
      second!.check({ policy, context, minimumCostMicros: 100, estimatedTokens: 0 }),
    ).rejects.toMatchObject({ code: 'budget_exceeded', used: 950 });
  });
});

describe.skipIf(!redisUrl || !pgUrl)(
  'Redis counters seeded from PostgreSQL (FORGE1_REDIS_URL, FORGE1_PG_URL)',
  () => {
    const schema = `forge1_redis_seed_${run}`;
    afterAll(async () => {
      const pool = new pg.Pool({ connectionString: pgUrl });
      await pool.query(`drop schema if exists ${schema} cascade`);
      await pool.end();
    });

    it('raises the Redis counters to what the usage store holds, once for all processes', async () => {
      const tenant = `seeded-${run}`;
      const now = Date.now();
      const sink = createPostgresSink({ connectionString: pgUrl!, schema });
      await sink.init();
      const records = sampleUsageRecords(30, { start: now - 30 * 60_000, stepMs: 60_000, tenants: [tenant] });
      await sink.write(records);
      const usage = createUsageStore({ database: sink.database });
      const spend = await usage.spend(tenant, billingPeriod(now));
      expect(spend).toBeGreaterThan(0);
      const guards = [1, 2].map(() =>
        createGuard({ counters: createRedisCounterStore({ redis: redis(), prefix }), usage }),
      );
      await Promise.all(guards.map((guard) => guard.seed()));
      const seen = await guards[1]!.usage(tenant);
      expect(seen.spentMicros).toBe(spend);
      const totals = await usage.totals(tenant, { from: now - 86_400_000, to: now + 1 });
      expect(seen.tokens).toBe(totals.inputTokens + totals.outputTokens);
      await sink.close();
    });
  },
);
