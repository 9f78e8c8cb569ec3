import {
  type Clock,
  createEventBus,
  Forge1Error,
  type Forge1Events,
  type GuardGrant,
  type RequestContext,
  resolveTenantPolicy,
} from '@forge1/core';
import { createFakeClock } from '@forge1/core/testing';
import { createGuard, createMemoryCounterStore, type GuardCounterStore } from '@forge1/metering';
import { createRedisCounterStore } from '@forge1/metering/redis';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

const context = { tenantId: 'acme', requestId: 'req-1' } as RequestContext;
const redisUrl = process.env.FORGE1_REDIS_URL;
if (!redisUrl)
  console.warn('FORGE1_REDIS_URL is unset: the guard settlement property test runs on memory only');
// A fixed seed in CI; a fresh one locally, printed so that a failure can be replayed.
const seed = process.env.CI ? 1301 : Math.floor(Math.random() * 2 ** 31);
console.log(`guard settlement property seed: ${seed}`);
const run = `${process.pid}${Date.now().toString(36)}`;
let client: Redis | undefined;

afterAll(async () => {
  if (!client) return;
  const keys = await client.keys(`forge1test:settle:${run}:*`);
  if (keys.length > 0) await client.del(...keys);
  client.disconnect();
});

/** Where a request ends: every step of the gateway after the check. */
type Ending =
  | 'served'
  | 'provider-error-after-tokens'
  | 'provider-error-before-tokens'
  | 'router-refused'
  | 'reserve-refused'
  | 'no-capacity'
  | 'aborted';

const endings: Ending[] = [
  'served',
  'provider-error-after-tokens',
  'provider-error-before-tokens',
  'router-refused',
  'reserve-refused',
  'no-capacity',
  'aborted',
];

const request = fc.record({
  tenant: fc.constantFrom('t1', 't2'),
  minimum: fc.nat({ max: 400 }),
  estimate: fc.nat({ max: 3_000 }),
  routed: fc.nat({ max: 2_000 }),
  cost: fc.nat({ max: 1_500 }),
  tokens: fc.nat({ max: 4_000 }),
  ending: fc.constantFrom(...endings),
});

type PlanStep = typeof request extends fc.Arbitrary<infer T> ? T : never;

interface Metered {
  spend: number;
  tokens: number;
  requests: number;
}

/**
 * Plays requests the way the gateway drives the guard, in concurrent waves: check, reserve
 * after routing, then one settle on every ending. Returns what the meter recorded.
 */
async function play(counters: GuardCounterStore, clock: Clock, plan: PlanStep[], prefix: string) {
  const guard = createGuard({ counters, clock });
  const policies = new Map(
    ['t1', 't2'].map((id) => [
      id,
      resolveTenantPolicy({
        id: `${prefix}${id}`,
        tier: 'standard',
        limits: { dailyRequests: 40, monthlyTokens: 200_000 },
        budget: { monthlyMicros: 20_000 },
      }),
    ]),
  );
  const metered = new Map<string, Metered>();
  const one = async (step: PlanStep) => {
    const policy = policies.get(step.tenant)!;
    let grant: GuardGrant;
    try {
      grant = await guard.check({
        policy,
        context,
        minimumCostMicros: step.minimum,
        estimatedTokens: step.estimate,
      });
    } catch (error) {
      expect(Forge1Error.is(error)).toBe(true);
      return;
    }
    const total = metered.get(policy.id) ?? { spend: 0, tokens: 0, requests: 0 };
    metered.set(policy.id, total);
    // What the attempts consumed and were metered for, by where the request ended.
    let costMicros = 0;
    let tokens = 0;
    let served = false;
    try {
      if (step.ending === 'router-refused') throw new Error('refused before any provider call');
      grant = await guard.reserve(grant, step.routed);
      if (step.ending === 'reserve-refused') throw new Error('refused');
      if (step.ending === 'no-capacity' || step.ending === 'provider-error-before-tokens')
        throw new Error('no tokens');
      costMicros = step.cost;
      tokens = step.tokens;
      if (step.ending === 'provider-error-after-tokens' || step.ending === 'aborted')
        throw new Error('failed late');
      served = true;
    } catch {
      // Every ending settles once with what was metered.
    }
    await guard.settle(grant, { costMicros, tokens, served });
    total.spend += costMicros;
    total.tokens += tokens;
    if (served) total.requests++;
  };
  for (let start = 0; start < plan.length; start += 6)
    await Promise.all(plan.slice(start, start + 6).map(one));
  return { guard, metered, policies };
}

// The store shares the guard's clock: the Redis store turns expiry instants into TTLs with it.
const stores: Array<[string, (clock: Clock) => GuardCounterStore | undefined]> = [
  ['memory', (clock) => createMemoryCounterStore({ clock })],
  [
    'redis',
    (clock) => {
      if (!redisUrl) return undefined;
      client ??= new Redis(redisUrl);
      return createRedisCounterStore({
        redis: client,
        prefix: `forge1test:settle:${run}:`,
        clock,
        commandTimeoutMs: 5_000,
      });
    },
  ],
];

describe.each(stores)('guard counters on %s after randomised failures', (name, makeStore) => {
  it.skipIf(name === 'redis' && !redisUrl)(
    'equal the metered spend, tokens and served requests',
    async () => {
      let round = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 30 }), async (plan) => {
          const clock = createFakeClock(Date.UTC(2026, 5, 10));
          const counters = makeStore(clock)!;
          const { guard, metered, policies } = await play(counters, clock, plan, `r${round++}-`);
          for (const policy of policies.values()) {
            const usage = await guard.usage(policy.id);
            const expected = metered.get(policy.id) ?? { spend: 0, tokens: 0, requests: 0 };
            expect(usage).toMatchObject({
              spentMicros: expected.spend,
              settledMicros: expected.spend,
              tokens: expected.tokens,
              requestsToday: expected.requests,
            });
          }
        }),
        { numRuns: name === 'redis' ? 40 : 200, seed },
      );
    },
  );
});

describe('budget alerts', () => {
  it('fire on settled spend, never on what requests in flight hold', async () => {
    const events = createEventBus();
    const alerts: Array<Forge1Events['budget.alert']> = [];
    events.on('budget.alert', (alert) => alerts.push(alert));
    const guard = createGuard({ clock: createFakeClock(Date.UTC(2026, 5, 10)), events });
    const policy = resolveTenantPolicy({
      id: 'acme',
      tier: 'standard',
      budget: { monthlyMicros: 1000, alertThresholds: [1] },
    });
    const check = () => guard.check({ policy, context, minimumCostMicros: 0, estimatedTokens: 0 });
    const big = await guard.reserve(await check(), 800);
    const small = await guard.reserve(await check(), 200);
    // Holds plus settled reach the whole budget, but only 200 was spent.
    await guard.settle(small, { costMicros: 200, tokens: 0, served: true });
    expect(alerts).toEqual([]);
    await guard.settle(big, { costMicros: 100, tokens: 0, served: true });
    expect(alerts).toEqual([]);
    expect(await guard.usage('acme')).toMatchObject({ spentMicros: 300, settledMicros: 300 });
    await guard.settle(await check(), { costMicros: 700, tokens: 0, served: true });
    expect(alerts).toEqual([
      { tenantId: 'acme', period: '2026-06', threshold: 1, spentMicros: 1000, budgetMicros: 1000 },
    ]);
  });
});

describe('guard input', () => {
  it('refuses null, NaN and negative amounts with a ValidationError instead of corrupting counters', async () => {
    const guard = createGuard({ clock: createFakeClock() });
    const policy = resolveTenantPolicy({ id: 'acme', tier: 'standard', budget: { monthlyMicros: 1000 } });
    const bad = [
      () => guard.check(null as never),
      () => guard.check({ policy, context, minimumCostMicros: Number.NaN, estimatedTokens: 0 }),
      () => guard.check({ policy, context, minimumCostMicros: 1, estimatedTokens: -1 }),
      () => guard.settle(null as never, { costMicros: 0, tokens: 0, served: true }),
    ];
    for (const call of bad) await expect(call()).rejects.toMatchObject({ code: 'validation_error' });
    const grant = await guard.check({ policy, context, minimumCostMicros: 10, estimatedTokens: 0 });
    await expect(
      guard.settle(grant, { costMicros: Number.POSITIVE_INFINITY, tokens: 0, served: true }),
    ).rejects.toMatchObject({
      code: 'validation_error',
    });
    await expect(guard.reserve(grant, Number.NaN)).rejects.toMatchObject({ code: 'validation_error' });
    await guard.settle(grant, { costMicros: 5, tokens: 0, served: true });
    expect((await guard.usage('acme')).spentMicros).toBe(5);
  });
});
