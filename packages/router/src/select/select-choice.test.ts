import {
  type ChatRequest,
  createCatalog,
  createEventBus,
  ResidencyError,
  type RouteContext,
  resolveTenantPolicy,
  type TenantPolicyInput,
} from '@forge1/core';
import { createRouter } from '@forge1/router';
import { describe, expect, it } from 'vitest';
import { defaultChoiceOptions, failureProbability, lambdaFor } from './expected-loss.js';
import { defaultPreferenceShifts, defaultProfiles } from './profiles.js';

const catalog = createCatalog();
const ask = (content: string): ChatRequest => ({ messages: [{ role: 'user', content }] });
const policy = (input: Partial<TenantPolicyInput> = {}) =>
  resolveTenantPolicy({ id: 'acme', tier: 'standard', ...input });
const route = (extra: Partial<RouteContext> = {}): RouteContext => ({
  context: { tenantId: 'acme', requestId: 'r1', startedAt: 0 },
  remainingBudgetMicros: null,
  estimatedInputTokens: 20,
  ...extra,
});
const tokens = { inputTokens: 20, outputTokens: 200, cachedInputTokens: 0 };

const tiers = ['small', 'standard', 'advanced'];

describe('cheapest capable model', () => {
  it('sends "Thanks!" and a short factual lookup to the cheapest small model the tenant may use', () => {
    const router = createRouter({ providers: ['openai', 'anthropic'] });
    const small = catalog.list({ providers: ['openai', 'anthropic'], tier: 'small' });
    const cheapest = small.sort((a, b) => catalog.costOf(a.id, tokens) - catalog.costOf(b.id, tokens))[0]!;
    expect(cheapest.id).toBe('gpt-5-nano');
    for (const prompt of ['Thanks!', 'What is the capital of Australia?']) {
      expect(router.decide(ask(prompt), policy(), route()).model).toBe('gpt-5-nano');
    }
  });

  it('picks the model with the least expected cost + λ × expected failure over every eligible model', () => {
    const router = createRouter({ providers: ['openai', 'anthropic', 'google'] });
    const prompts = [
      'Thanks!',
      'Explain how OAuth scopes work.',
      'Design a multi-region failover architecture for our Postgres cluster and compare sync and async replication.',
    ];
    for (const tenant of [policy(), policy({ industry: 'finance', preference: 'quality' })]) {
      for (const prompt of prompts) {
        const request = ask(prompt);
        const decision = router.decide(request, tenant, route({ estimatedInputTokens: 2000 }));
        const output = { simple: 200, moderate: 600, complex: 1200, critical: 1500 }[decision.level];
        const models = catalog.list({ providers: ['openai', 'anthropic', 'google'] });
        const cost = (id: string) =>
          catalog.costOf(id, { inputTokens: 2000, outputTokens: output, cachedInputTokens: 0 });
        // λ is relative to the catalog's dearest model, whatever the tenant may use.
        const dearest = Math.max(...catalog.list().map((m) => cost(m.id)));
        // The router's own probability that a small model's answer is not good enough.
        const p = decision.score;
        const lambda =
          lambdaFor(
            tenant.industry,
            tenant.preference,
            defaultProfiles,
            defaultPreferenceShifts,
            defaultChoiceOptions.lambda,
          ) * defaultChoiceOptions.levelWeights[decision.level];
        const objective = (id: string) =>
          cost(id) / dearest +
          lambda * failureProbability(p, catalog.require(id).quality, defaultChoiceOptions);
        const floor =
          decision.level === 'critical' ? ['standard', 'advanced'] : ['small', 'standard', 'advanced'];
        for (const model of models.filter((m) => floor.includes(m.tier)))
          expect(objective(decision.model)).toBeLessThanOrEqual(objective(model.id) + 1e-12);
        expect(decision.reasons.join(' ')).toContain('least expected cost');
      }
    }
  });

  it('lets a larger λ choose stronger models and a smaller one cheaper models', () => {
    const request = ask('Explain how compound interest works with an example of $5,000 at 4% for 10 years.');
    const quality = (lambda: number) =>
      catalog.require(createRouter({ choice: { lambda } }).decide(request, policy(), route()).model).quality;
    expect(quality(20)).toBeGreaterThan(quality(0.05));
  });

  it('rejects bad choice options with a validation error naming the field', () => {
    expect(() => createRouter({ choice: { lambda: -1 } })).toThrow(/choice\.lambda/);
    expect(() => createRouter({ choice: { referenceQuality: 2 } })).toThrow(/choice\.referenceQuality/);
  });
});

describe('capacity-aware choice', () => {
  const complex = ask(
    'Design a multi-region failover architecture for our Postgres cluster and compare the trade-offs of sync and async replication.',
  );
  const bank = policy({ industry: 'finance', preference: 'quality' });
  const router = createRouter({ providers: ['openai', 'google'] });

  it('prefers an equivalent model on a provider with free keys over queueing for a saturated one', () => {
    const idle = router.decide(complex, bank, route({ headroom: () => 1 }));
    expect(idle.provider).toBe('openai');
    const saturated = router.decide(complex, bank, route({ headroom: (p) => (p === 'openai' ? 0 : 1) }));
    expect(saturated.provider).toBe('google');
    // Not a weaker model than the idle choice: the free provider's equivalent or better.
    expect(tiers.indexOf(catalog.require(saturated.model).tier)).toBeGreaterThanOrEqual(
      tiers.indexOf(catalog.require(idle.model).tier),
    );
    expect(saturated.reasons.join(' ')).toContain('least expected cost');
  });

  it('still queues for a clearly better model when the free provider has only a weak one', () => {
    const strong = createRouter({ providers: ['openai', 'qwen'] });
    const decision = strong.decide(complex, bank, route({ headroom: (p) => (p === 'openai' ? 0.3 : 1) }));
    expect(decision.provider).toBe('openai');
  });

  it('weighs a wait by the tenant stake that scales λ: a cost-first tenant stays on the cheapest model', () => {
    const thanks = ask('Thanks, that helps!');
    const three = createRouter({ providers: ['openai', 'google'] });
    const startup = policy({ industry: 'tech', preference: 'cost' });
    // A standard tenant beside an enterprise one sees little of a shared key: short of the knee, not saturated.
    const tight = route({ headroom: (p) => (p === 'openai' ? 0.1 : 1) });
    expect(three.decide(thanks, startup, route({ headroom: () => 1 })).model).toBe('gpt-5-nano');
    expect(three.decide(thanks, startup, tight).model).toBe('gpt-5-nano');
    // The same headroom still moves a quality-first bank off the tight provider.
    expect(
      three.decide(complex, bank, route({ headroom: (p) => (p === 'openai' ? 0.05 : 1) })).provider,
    ).toBe('google');
  });

  it('orders fallbacks by headroom among equivalent models', () => {
    const three = createRouter({ providers: ['openai', 'anthropic', 'google'] });
    const calm = three.decide(complex, bank, route({ headroom: () => 1 }));
    const busyFirst = calm.fallbacks[0]!.provider;
    const other = calm.fallbacks[1]!.provider;
    const shifted = three.decide(complex, bank, route({ headroom: (p) => (p === busyFirst ? 0 : 1) }));
    expect(shifted.fallbacks.map((f) => f.provider).indexOf(other)).toBeLessThan(
      shifted.fallbacks.map((f) => f.provider).indexOf(busyFirst),
    );
  });
});

describe('data residency in routing', () => {
  const regional = createCatalog({
    models: [
      { ...catalog.require('gpt-5-nano'), regions: ['us', 'eu'] },
      { ...catalog.require('gpt-5-mini'), regions: ['us', 'eu'] },
      { ...catalog.require('gpt-5'), regions: ['us', 'eu'] },
      { ...catalog.require('gemini-2.5-flash'), regions: ['eu'] },
      { ...catalog.require('gemini-2.5-pro'), regions: ['eu'] },
      ...['claude-haiku-4-5', 'claude-sonnet-4-6', 'claude-opus-4-6'].map((id) => ({
        ...catalog.require(id),
        regions: ['us'],
      })),
    ],
  });
  const router = createRouter({ catalog: regional, providers: ['openai', 'anthropic', 'google'] });

  it('plans the first model, every rung and every fallback in the tenant regions only', () => {
    const tenant = policy({
      regions: ['eu'],
      allowedModels: regional
        .list()
        .filter((m) => m.regions)
        .map((m) => m.id),
    });
    for (const prompt of [
      'Thanks!',
      'Explain OAuth scopes.',
      'Design a failover plan for our Postgres cluster.',
    ]) {
      const decision = router.decide(
        ask(prompt),
        tenant,
        route({ headroom: (p) => (p === 'openai' ? 0 : 1) }),
      );
      const planned = [
        decision,
        ...decision.fallbacks,
        ...decision.ladder,
        ...decision.ladder.flatMap((r) => r.fallbacks),
      ];
      expect(planned.length).toBeGreaterThan(1);
      for (const ref of planned) expect(regional.require(ref.model).regions).toContain('eu');
    }
  });

  it('refuses with a residency error naming the regions when no model is served there', () => {
    const tenant = policy({ regions: ['apac'], allowedProviders: ['anthropic'] });
    expect(() => router.decide(ask('Thanks!'), tenant, route())).toThrow(ResidencyError);
    expect(() => router.decide(ask('Thanks!'), tenant, route())).toThrow(/apac/);
  });
});

describe('providers the gateway can call', () => {
  it('plans no model, rung or fallback on a provider outside route.providers', () => {
    const router = createRouter();
    for (const prompt of [
      'Thanks!',
      'Explain OAuth scopes.',
      'Design a failover plan for our Postgres cluster.',
    ]) {
      const decision = router.decide(ask(prompt), policy(), route({ providers: ['google', 'anthropic'] }));
      const planned = [
        decision,
        ...decision.fallbacks,
        ...decision.ladder,
        ...decision.ladder.flatMap((rung) => rung.fallbacks),
      ];
      for (const ref of planned) expect(['google', 'anthropic']).toContain(ref.provider);
      expect(decision.fallbacks.length).toBeGreaterThan(0);
    }
  });

  it('keeps to the host providers as well when both are given', () => {
    const router = createRouter({ providers: ['openai', 'google'] });
    const decision = router.decide(ask('Thanks!'), policy(), route({ providers: ['google', 'anthropic'] }));
    expect(decision.provider).toBe('google');
    expect(decision.fallbacks).toEqual([]);
  });
});

describe('lease waits in the choice', () => {
  it('moves a tenant whose requests waited for a provider to an equivalent model elsewhere, and only that tenant', () => {
    const events = createEventBus();
    const router = createRouter({ providers: ['openai', 'google'], events });
    const bank = policy({ id: 'bank', industry: 'finance', preference: 'quality' });
    const other = policy({ id: 'other', industry: 'finance', preference: 'quality' });
    const complex = ask(
      'Design a multi-region failover architecture for our Postgres cluster and compare sync and async replication.',
    );
    expect(router.decide(complex, bank, route()).provider).toBe('openai');
    events.emit('attempt.start', {
      requestId: 'r0',
      tenantId: 'bank',
      attempt: 1,
      provider: 'openai',
      model: 'gpt-5',
      keyId: 'k1',
      queueWaitMs: 4000,
      cascaded: false,
      fallback: false,
      purpose: 'answer',
    });
    const moved = router.decide(complex, bank, route());
    expect(moved.provider).toBe('google');
    expect(moved.reasons.join(' ')).toContain('key headroom: openai 0.00');
    expect(router.decide(complex, other, route()).provider).toBe('openai');
  });
});
