import { randomBytes } from 'node:crypto';
import {
  AbortedError,
  BudgetExceededError,
  ContentBlockedError,
  createGateway,
  createTenantDirectory,
  type GatewayMiddleware,
  NoCapacityError,
  ProviderUnavailableError,
  type UsageRecord,
} from '@forge1/core';
import { createScriptedAdapter, createStaticKeyPool, createStaticRouter } from '@forge1/core/testing';
import { createGuard, createMemoryCounterStore, type GuardCounterStore } from '@forge1/metering';
import { createRedisCounterStore } from '@forge1/metering/redis';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

// The real metering guard behind the gateway: whatever step a request fails at, the guard's
// counters end equal to the usage handed to the meter (issue 13.1), on memory and Redis counters.
const url = process.env.FORGE1_REDIS_URL;
if (!url) console.warn('FORGE1_REDIS_URL is unset: the Redis half of the guard settlement test is skipped');
const prefix = `forge1test:settle:${randomBytes(4).toString('hex')}:`;

const steps = ['none', 'decide', 'acquire', 'provider', 'abort', 'meter', 'wrapAttempt', 'onResult'] as const;

async function runEveryStep(counters: GuardCounterStore, tenantId: string) {
  const guard = createGuard({ counters });
  const given: UsageRecord[] = [];
  let step: (typeof steps)[number] = 'none';
  let controller = new AbortController();
  const answer = () => {
    if (step === 'provider') return { error: new ProviderUnavailableError('down', { provider: 'openai' }) };
    if (step === 'abort') {
      controller.abort();
      return { error: new AbortedError() };
    }
    return { text: 'a short answer in a few words', inputTokens: 60 };
  };
  const router = createStaticRouter({
    provider: 'openai',
    model: 'gpt-4.1-nano',
    level: 'moderate',
    estimatedCostMicros: 40,
    fallbacks: [{ provider: 'anthropic', model: 'claude-haiku-4-5' }],
    ladder: [],
  });
  const decide = router.decide.bind(router);
  router.decide = (...args) => {
    if (step === 'decide') throw new BudgetExceededError('refused after the check');
    return decide(...args);
  };
  const keys = createStaticKeyPool();
  const acquire = keys.acquire.bind(keys);
  keys.acquire = (demand) =>
    step === 'acquire' ? Promise.reject(new NoCapacityError('full')) : acquire(demand);
  const refuse = (at: string) => {
    if (step === at) throw new ContentBlockedError('refused', { kinds: [at] });
  };
  const middleware: GatewayMiddleware = {
    name: 'injector',
    async wrapAttempt(_attempt, next) {
      const outcome = await next();
      refuse('wrapAttempt');
      return outcome;
    },
    onResult: () => refuse('onResult') ?? undefined,
  };
  const gateway = createGateway({
    tenants: createTenantDirectory({
      tenants: [{ id: tenantId, tier: 'standard', budget: { monthlyMicros: 50_000_000 } }],
    }),
    router,
    keys,
    providers: {
      openai: createScriptedAdapter('openai', answer),
      anthropic: createScriptedAdapter('anthropic', answer),
    },
    meter: {
      specificationVersion: 'v1',
      async record(record) {
        given.push(record);
        if (step === 'meter') throw new Error('journal full');
      },
      async flush() {},
      async close() {},
    },
    guard,
    middleware: [middleware],
  });
  let served = 0;
  for (const mode of ['chat', 'stream'] as const) {
    for (step of steps) {
      controller = new AbortController();
      const input = {
        tenant: tenantId,
        messages: [{ role: 'user' as const, content: 'Hi there' }],
        signal: controller.signal,
      };
      const before = given.length;
      if (mode === 'chat') await gateway.chat(input).catch(() => undefined);
      else {
        await (async () => {
          for await (const _ of gateway.stream(input)) void _;
        })().catch(() => undefined);
      }
      if (given.slice(before).some((record) => record.status === 'ok')) served++;
    }
  }
  return { usage: await guard.usage(tenantId), given, served };
}

function expectSettled(result: Awaited<ReturnType<typeof runEveryStep>>) {
  const { usage, given, served } = result;
  expect(usage.spentMicros).toBe(given.reduce((sum, r) => sum + r.costMicros, 0));
  expect(usage.settledMicros).toBe(usage.spentMicros);
  expect(usage.tokens).toBe(given.reduce((sum, r) => sum + r.inputTokens + r.outputTokens, 0));
  expect(usage.requestsToday).toBe(served);
}

describe('the metering guard behind the gateway', () => {
  it('ends with counters equal to the metered usage on memory counters, whatever step fails', async () => {
    expectSettled(await runEveryStep(createMemoryCounterStore(), 'settle-memory'));
  });

  describe.skipIf(!url)('on Redis counters (FORGE1_REDIS_URL)', () => {
    const redis = new Redis(url ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
    afterAll(async () => {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it('ends with counters equal to the metered usage, whatever step fails', async () => {
      const counters = createRedisCounterStore({ redis, prefix });
      expectSettled(await runEveryStep(counters, `settle-${randomBytes(3).toString('hex')}`));
    });
  });
});
