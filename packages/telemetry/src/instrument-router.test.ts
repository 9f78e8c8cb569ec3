import { BudgetExceededError, type RouterV1, resolveTenantPolicy, ValidationError } from '@forge1/core';
import { createStaticRouter } from '@forge1/core/testing';
import { createNoopMeter } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createOtelHarness } from '../test/otel-harness.ts';
import { instrumentRouter } from './instrument-router.js';
import { MetricNames } from './instruments.js';

let harness = createOtelHarness();
afterEach(async () => {
  await harness.shutdown();
  harness = createOtelHarness();
});

const policy = resolveTenantPolicy({ id: 'acme', tier: 'professional' });
const request = { messages: [{ role: 'user' as const, content: 'hi' }] };
const route = {
  context: { tenantId: 'acme', requestId: 'r1', startedAt: 0 },
  remainingBudgetMicros: null,
  estimatedInputTokens: 1,
};
const decision = {
  provider: 'openai',
  model: 'gpt-4.1-nano',
  level: 'simple' as const,
  fallbacks: [],
  ladder: [],
};

/** A clock that moves `stepMs` on every read. */
const ticking = (stepMs: number) => {
  let time = 0;
  return () => (time += stepMs);
};

describe('instrumentRouter', () => {
  it('with the no-op API, decides as the router does and reads no clock', async () => {
    let reads = 0;
    const router = instrumentRouter(createStaticRouter(decision), {
      meterProvider: { getMeter: () => createNoopMeter() },
      now: () => ++reads,
    });
    const decided = router.decide(request, policy, route);
    expect(decided).not.toBeInstanceOf(Promise);
    expect(decided).toMatchObject({ model: 'gpt-4.1-nano', level: 'simple' });
    expect(reads).toBe(0);
  });

  it('records the decision latency in seconds by tier, level and outcome', async () => {
    const router = instrumentRouter(createStaticRouter(decision), {
      meterProvider: harness.meterProvider,
      now: ticking(2),
    });
    expect(router.decide(request, policy, route)).toMatchObject({ model: 'gpt-4.1-nano' });
    const [point] = await harness.metric(MetricNames.routerDecisionDuration);
    expect(point?.attributes).toEqual({
      'forge1.tier': 'professional',
      'forge1.outcome': 'ok',
      'forge1.level': 'simple',
    });
    expect(point?.value).toMatchObject({ count: 1, sum: 0.002 });
  });

  it('keeps a synchronous decide synchronous and awaits an asynchronous one', async () => {
    const inner = createStaticRouter(decision);
    const asynchronous: RouterV1 = { ...inner, decide: async (...args) => inner.decide(...args) };
    expect(instrumentRouter(inner).decide(request, policy, route)).not.toBeInstanceOf(Promise);
    const wrapped = instrumentRouter(asynchronous, { meterProvider: harness.meterProvider });
    await expect(wrapped.decide(request, policy, route)).resolves.toMatchObject({ level: 'simple' });
    expect((await harness.metric(MetricNames.routerDecisionDuration))[0]?.attributes['forge1.outcome']).toBe(
      'ok',
    );
  });

  it('records a refused decision with its error type and rethrows the error', async () => {
    const refusing: RouterV1 = {
      ...createStaticRouter(decision),
      decide: () => {
        throw new BudgetExceededError('over budget', { tenantId: 'acme', limit: 1, used: 1 });
      },
    };
    const router = instrumentRouter(refusing, { meterProvider: harness.meterProvider });
    expect(() => router.decide(request, policy, route)).toThrow(BudgetExceededError);
    expect((await harness.metric(MetricNames.routerDecisionDuration))[0]?.attributes).toEqual({
      'forge1.tier': 'professional',
      'forge1.outcome': 'error',
      'error.type': 'budget_exceeded',
    });
  });

  it('rethrows the router’s refusal of a malformed policy, recording its tier as unknown', async () => {
    const refusing: RouterV1 = {
      ...createStaticRouter(decision),
      decide: () => {
        throw new ValidationError('decide arguments', [{ path: 'policy', message: 'expected a policy' }]);
      },
    };
    const router = instrumentRouter(refusing, { meterProvider: harness.meterProvider });
    const throwing = Object.defineProperty({}, 'tier', {
      get: () => {
        throw new RangeError('from the caller');
      },
    });
    for (const bad of [undefined, throwing]) {
      expect(() => router.decide(request, bad as never, route)).toThrow(ValidationError);
    }
    expect((await harness.metric(MetricNames.routerDecisionDuration))[0]?.attributes).toEqual({
      'forge1.tier': 'unknown',
      'forge1.outcome': 'error',
      'error.type': 'validation_error',
    });
  });

  it('leaves the router’s other members reachable', () => {
    const inner = { ...createStaticRouter(decision), stats: () => ({ decisions: 3 }) };
    const router = instrumentRouter(inner);
    expect(router.stats()).toEqual({ decisions: 3 });
    expect(router.specificationVersion).toBe('v1');
    expect(router.judge).toBe(inner.judge);
  });
});
