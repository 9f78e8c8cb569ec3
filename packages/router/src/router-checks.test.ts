import { type ChatRequest, createEventBus, resolveTenantPolicy, ValidationError } from '@forge1/core';
import { createRouter } from '@forge1/router';
import { describe, expect, it } from 'vitest';
import { refusal } from './test-refusal.js';

const policy = resolveTenantPolicy({ id: 'acme', tier: 'standard' });
const request: ChatRequest = { messages: [{ role: 'user', content: 'Where is my order #123?' }] };
const answer = { text: 'It ships today.', toolCalls: [], finishReason: 'stop' };

const throwing = new Proxy(
  {},
  {
    get() {
      throw new RangeError('the caller’s own error');
    },
  },
);

describe('the router refuses malformed arguments of its methods with a validation_error', () => {
  const router = createRouter({ providers: ['openai'] });

  it('names the policy field decide cannot route with', () => {
    expect(refusal(() => router.decide(request, { ...policy, id: 7 } as never))).toEqual(['policy.id']);
    expect(refusal(() => router.decide(request, { ...policy, industry: 'constructor' } as never))).toEqual([
      'policy.industry',
    ]);
    expect(refusal(() => router.decide(request, { ...policy, allowedModels: 'gpt-5' } as never))).toEqual([
      'policy.allowedModels',
    ]);
  });

  it('names the route field decide cannot read', () => {
    const context = { requestId: 'r1', tenantId: 'acme', startedAt: 0 };
    const route = { context, remainingBudgetMicros: null, estimatedInputTokens: 10 };
    expect(refusal(() => router.decide(request, policy, { ...route, estimatedInputTokens: NaN }))).toEqual([
      'route.estimatedInputTokens',
    ]);
    expect(refusal(() => router.decide(request, policy, { ...route, context: undefined } as never))).toEqual([
      'route.context',
    ]);
    expect(router.decide(request, policy, route).model).toBeTypeOf('string');
  });

  it('turns a throwing getter or Proxy of a request into a validation_error, keeping the cause', () => {
    let error: unknown;
    try {
      router.decide(throwing as never, policy);
    } catch (thrown) {
      error = thrown;
    }
    expect(ValidationError.is(error)).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(RangeError);
    expect(refusal(() => router.analyze(throwing as never))).toEqual(['']);
    expect(refusal(() => router.analyze(request, 42 as never))).toEqual(['context']);
  });

  it('names what judge, observe and attach are missing', () => {
    const decision = router.decide(request, policy);
    expect(refusal(() => router.judge({ ...answer, text: 42 } as never, decision, request))).toEqual([
      'result.text',
    ]);
    expect(refusal(() => router.judge(answer as never, decision, {} as never))).toEqual(['request.messages']);
    expect(router.judge(answer as never, decision, request)).toMatchObject({ escalate: false });
    const observed = {
      requestId: 'r1',
      tenantId: 'acme',
      level: 'trivial',
      decision,
      model: decision.model,
      cascaded: false,
      fellBack: false,
      costMicros: 3,
      attempts: [],
    };
    expect(refusal(() => router.observe(observed as never))).toEqual(['result.level']);
    expect(refusal(() => router.attach({} as never))).toEqual(['events.on']);
    expect(router.attach(createEventBus())).toBeTypeOf('function');
  });
});

describe('createRouter', () => {
  it('names a catalog or event bus whose methods are not functions', () => {
    expect(refusal(() => createRouter({ catalog: { list: () => [], costOf: 2 } as never }))).toEqual([
      'catalog',
    ]);
    expect(refusal(() => createRouter({ events: { on: true } as never }))).toEqual(['events']);
    expect(createRouter({ events: createEventBus() }).stats().requests).toBe(0);
  });
});
