import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  BudgetExceededError,
  ContentBlockedError,
  createEventBus,
  createTenantDirectory,
  type EventBus,
  type GatewayMiddleware,
  type GuardGrant,
  type GuardV1,
  NoCapacityError,
  ProviderUnavailableError,
  QuotaExceededError,
  type UsageRecord,
} from '../index.js';
import { createStaticRouter } from '../testing/index.js';
import { createTestGateway, testMessages } from './test-gateway.js';

/** A guard that keeps its counters like the real one: holds at check and reserve, replaced at settle. */
function createCountingGuard(fail: (step: string) => boolean) {
  const holds = new Map<GuardGrant, { cost: number; tokens: number }>();
  const counters = { spent: 0, tokens: 0, requests: 0, settles: 0, strays: 0 };
  let reserves = 0;
  const guard: GuardV1 = {
    specificationVersion: 'v1',
    async check({ policy, minimumCostMicros, estimatedTokens }) {
      if (fail('check')) throw new QuotaExceededError('quota', { tenantId: policy.id });
      const grant: GuardGrant = { tenantId: policy.id, at: 0, remainingBudgetMicros: 1_000_000_000 };
      holds.set(grant, { cost: minimumCostMicros, tokens: estimatedTokens });
      counters.spent += minimumCostMicros;
      counters.tokens += estimatedTokens;
      counters.requests += 1;
      return grant;
    },
    async reserve(grant, costMicros) {
      reserves++;
      if (fail('reserve') || (fail('reroute') && reserves === 1)) {
        throw new BudgetExceededError('budget moved', { limit: 10, used: 9 });
      }
      const hold = holds.get(grant)!;
      counters.spent += costMicros - hold.cost;
      hold.cost = costMicros;
      return grant;
    },
    async settle(grant, settlement) {
      const hold = holds.get(grant);
      if (!hold) {
        counters.strays++;
        return;
      }
      holds.delete(grant);
      counters.settles++;
      counters.spent += settlement.costMicros - hold.cost;
      counters.tokens += settlement.tokens - hold.tokens;
      if (!settlement.served) counters.requests -= 1;
    },
  };
  return { guard, counters, open: () => holds.size };
}

const steps = [
  'none',
  'resolve',
  'transformRequest',
  'check',
  'decide',
  'reserve',
  'reroute',
  'acquire',
  'provider',
  'abort',
  'release',
  'meter',
  'judge',
  'events',
  'wrapAttempt',
  'transformChunk',
  'onResult',
  'reader-stops',
] as const;

async function runWithFailureAt(step: (typeof steps)[number], mode: 'chat' | 'stream') {
  const fail = (name: string) => name === step;
  const { guard, counters, open } = createCountingGuard(fail);
  const controller = new AbortController();
  const given: UsageRecord[] = [];
  let decisions = 0;
  const router = createStaticRouter(
    {
      provider: 'openai',
      model: 'gpt-4.1-nano',
      level: 'moderate',
      estimatedCostMicros: 50,
      fallbacks: [{ provider: 'anthropic', model: 'claude-haiku-4-5' }],
      ladder: [{ provider: 'anthropic', model: 'claude-haiku-4-5', fallbacks: [] }],
    },
    () => {
      if (fail('judge')) throw new Error('judge broke');
      return { escalate: true, confidence: 0.2, reasons: ['weak'] };
    },
  );
  const decide = router.decide.bind(router);
  router.decide = (...args) => {
    decisions++;
    if (fail('decide') || (fail('reroute') && decisions === 2)) throw new BudgetExceededError('refused');
    return decide(...args);
  };
  const refuseIf = (hook: string) => {
    if (fail(hook)) throw new ContentBlockedError('refused', { kinds: [hook] });
  };
  const middleware: GatewayMiddleware = {
    name: 'injector',
    transformRequest: () => refuseIf('transformRequest') ?? undefined,
    async wrapAttempt(_attempt, next) {
      const outcome = await next();
      refuseIf('wrapAttempt');
      return outcome;
    },
    transformChunk: (chunk) => refuseIf('transformChunk') ?? chunk,
    onResult: () => refuseIf('onResult') ?? undefined,
  };
  const base = createEventBus();
  const events: EventBus = fail('events')
    ? {
        ...base,
        emit: () => {
          throw new Error('bus broke');
        },
      }
    : base;
  const answer = () => {
    if (fail('provider')) return { error: new ProviderUnavailableError('down', { provider: 'openai' }) };
    if (fail('abort')) {
      controller.abort();
      return { error: new AbortedError() };
    }
    return { text: 'a short answer in a few words', inputTokens: 40 };
  };
  const directory = createTenantDirectory({ tenants: [{ id: 'acme', tier: 'enterprise' }] });
  const tenants = {
    resolve: (id: string) =>
      fail('resolve') ? Promise.reject(new Error('directory down')) : directory.resolve(id),
  };
  const { gateway, meter, keys } = createTestGateway(
    { guard, middleware: [middleware], router, events, tenants },
    { openai: answer, anthropic: answer },
  );
  meter.record = async (record) => {
    given.push(record);
    if (fail('meter')) throw new Error('journal full');
  };
  const acquire = keys.acquire.bind(keys);
  keys.acquire = async (demand) => {
    if (fail('acquire')) throw new NoCapacityError('full');
    const lease = await acquire(demand);
    if (!fail('release')) return lease;
    return {
      ...lease,
      release: () => {
        throw new Error('pool broke');
      },
    };
  };
  const input = { tenant: 'acme', messages: testMessages, signal: controller.signal };
  if (mode === 'chat') await gateway.chat(input).catch(() => undefined);
  else {
    await (async () => {
      for await (const _ of gateway.stream(input)) if (fail('reader-stops')) break;
    })().catch(() => undefined);
  }
  const metered = given.reduce((sum, r) => sum + r.costMicros, 0);
  const tokens = given.reduce((sum, r) => sum + r.inputTokens + r.outputTokens, 0);
  const served = given.some((r) => r.status === 'ok' && r.purpose === undefined);
  return { counters, open: open(), metered, tokens, served };
}

describe('guard settlement', () => {
  for (const mode of ['chat', 'stream'] as const) {
    for (const step of steps) {
      it(`settles the guard exactly once, at the metered usage, when ${mode} fails at ${step}`, async () => {
        const { counters, open, metered, tokens, served } = await runWithFailureAt(step, mode);
        expect(open).toBe(0);
        expect(counters.strays).toBe(0);
        expect(counters.spent).toBe(metered);
        expect(counters.tokens).toBe(tokens);
        expect(counters.requests).toBe(served ? 1 : 0);
      });
    }
  }
});
