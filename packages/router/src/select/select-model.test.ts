import {
  BudgetExceededError,
  type ChatRequest,
  createCatalog,
  Forge1Error,
  type RouteContext,
  resolveTenantPolicy,
  type TenantPolicyInput,
} from '@forge1/core';
import { createRouter } from '@forge1/router';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const catalog = createCatalog();
const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content }],
  ...extra,
});
const policy = (input: Partial<TenantPolicyInput> = {}) =>
  resolveTenantPolicy({ id: 'acme', tier: 'professional', ...input });
const route = (remainingBudgetMicros: number | null, estimatedInputTokens = 2000): RouteContext => ({
  context: { tenantId: 'acme', requestId: 'r1', startedAt: 0 },
  remainingBudgetMicros,
  estimatedInputTokens,
});
const tierOf = (model: string) => catalog.require(model).tier;
const simple = ask('Where is my order #4411?');
const complex = ask(
  'Design a multi-region failover architecture for our Postgres cluster and compare the trade-offs of sync and async replication.',
  { maxTokens: 1000 },
);

describe('model selection', () => {
  it('sends simple requests to a small model and complex ones to an advanced model', () => {
    const router = createRouter();
    expect(tierOf(router.decide(simple, policy()).model)).toBe('small');
    expect(tierOf(router.decide(complex, policy()).model)).toBe('advanced');
  });

  it('gives a ladder of stronger rungs, limited by maxEscalations, each with fallbacks', () => {
    const decision = createRouter({ cascade: { maxEscalations: 2 } }).decide(simple, policy());
    expect(decision.ladder.map((rung) => tierOf(rung.model))).toEqual(['standard', 'advanced']);
    for (const rung of decision.ladder) expect(rung.fallbacks.length).toBeGreaterThan(0);
    expect(createRouter({ cascade: { maxEscalations: 1 } }).decide(simple, policy()).ladder).toHaveLength(1);
    expect(createRouter({ cascade: { enabled: false } }).decide(simple, policy()).ladder).toEqual([]);
  });

  it('orders fallbacks on other providers, same tier, closest quality first', () => {
    const decision = createRouter().decide(complex, policy());
    const chosen = catalog.require(decision.model);
    const gaps = decision.fallbacks.map((ref) => {
      const model = catalog.require(ref.model);
      expect(model.provider).not.toBe(chosen.provider);
      expect(model.tier).toBe(chosen.tier);
      return Math.abs(model.quality - chosen.quality);
    });
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
    expect(new Set(decision.fallbacks.map((ref) => ref.provider)).size).toBe(decision.fallbacks.length);
  });

  it('shifts finance toward quality and tech toward cost', () => {
    const router = createRouter();
    const moderate = ask('Explain how compound interest works with an example of $5,000 at 4% for 10 years.');
    const rank = { small: 0, standard: 1, advanced: 2 };
    const finance =
      rank[tierOf(router.decide(moderate, policy({ industry: 'finance', preference: 'quality' })).model)];
    const tech =
      rank[tierOf(router.decide(moderate, policy({ industry: 'tech', preference: 'cost' })).model)];
    expect(finance).toBeGreaterThan(tech);
  });

  it('honours allowed models, allowed providers and the host providers', () => {
    const allowed = createRouter().decide(
      complex,
      policy({ allowedModels: ['gpt-4.1-mini', 'gpt-4o-mini'] }),
    );
    expect(['gpt-4.1-mini', 'gpt-4o-mini']).toContain(allowed.model);
    const providers = createRouter().decide(complex, policy({ allowedProviders: ['google'] }));
    expect(
      [
        providers.model,
        ...providers.fallbacks.map((f) => f.model),
        ...providers.ladder.map((r) => r.model),
      ].every((m) => catalog.require(m).provider === 'google'),
    ).toBe(true);
    const host = createRouter({ providers: ['openai'] }).decide(complex, policy());
    expect(host.provider).toBe('openai');
    expect(host.fallbacks).toEqual([]);
  });

  it('honours a model hint when the tenant may use it, and only then', () => {
    expect(createRouter().decide({ ...simple, model: 'claude-sonnet-4-6' }, policy()).model).toBe(
      'claude-sonnet-4-6',
    );
    expect(
      createRouter().decide(
        { ...simple, model: 'claude-sonnet-4-6' },
        policy({ allowedProviders: ['openai'] }),
      ).model,
    ).not.toBe('claude-sonnet-4-6');
    expect(
      createRouter({ honourModelHint: false }).decide({ ...simple, model: 'claude-sonnet-4-6' }, policy())
        .model,
    ).not.toBe('claude-sonnet-4-6');
  });

  it('picks the best quality per expected cost above the level minimum under the cost-efficiency strategy', () => {
    const decision = createRouter({ strategy: 'cost-efficiency' }).decide(complex, policy());
    const chosen = catalog.require(decision.model);
    expect(chosen.quality).toBeGreaterThanOrEqual(0.82);
    expect(decision.reasons.join(' ')).toContain('cost-efficiency');
    const tokens = { inputTokens: 2000, outputTokens: 1000, cachedInputTokens: 0 };
    const value = (id: string) => catalog.require(id).quality / catalog.costOf(id, tokens);
    for (const model of catalog.list().filter((m) => m.quality >= 0.82)) {
      expect(value(decision.model)).toBeGreaterThanOrEqual(value(model.id));
    }
  });

  it('explains every decision with reasons', () => {
    const decision = createRouter().decide(complex, policy());
    expect(decision.reasons[0]).toMatch(/^level complex/);
    expect(decision.reasons.some((reason) => reason.includes('analyse / design'))).toBe(true);
  });

  it('rejects bad options with a validation error naming the field', () => {
    expect(() => createRouter({ cascade: { threshold: 2 } })).toThrow(/cascade\.threshold/);
    expect(() => createRouter({ ladder: { small: ['no-such-model'] } })).toThrow(Forge1Error);
    expect(() => createRouter({ thresholds: { simple: 0.9 } })).toThrow(/thresholds/);
  });
});

describe('budgets', () => {
  const monthly = 1_000_000;
  const nearlySpent = monthly / 100; // 99 % used

  it('downgrades a tenant at 99 % of budget to the best model it can afford', () => {
    // A high λ makes the unconstrained choice an expensive advanced model.
    const router = createRouter({ choice: { lambda: 12 } });
    const tenant = policy({ budget: { monthlyMicros: monthly, onExceeded: 'downgrade' } });
    const unconstrained = router.decide(complex, tenant, route(null));
    expect(unconstrained.estimatedCostMicros).toBeGreaterThan(nearlySpent);
    const decision = router.decide(complex, tenant, route(nearlySpent));
    expect(decision.estimatedCostMicros).toBeLessThanOrEqual(nearlySpent);
    expect(decision.reasons.join(' ')).toContain('downgraded');
    const affordable = catalog
      .list()
      .filter(
        (m) =>
          catalog.costOf(m.id, { inputTokens: 2000, outputTokens: 1000, cachedInputTokens: 0 }) <=
          nearlySpent,
      );
    const best = Math.max(
      ...affordable.filter((m) => m.tier === tierOf(decision.model)).map((m) => m.quality),
    );
    expect(tierOf(decision.model)).toBe('advanced');
    expect(catalog.require(decision.model).quality).toBeGreaterThanOrEqual(best - 0.1);
  });

  it('refuses a tenant at 99 % of budget whose policy says refuse', () => {
    const tenant = policy({ budget: { monthlyMicros: monthly, onExceeded: 'refuse' } });
    let error: unknown;
    try {
      createRouter({ choice: { lambda: 12 } }).decide(complex, tenant, route(nearlySpent));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(Forge1Error.is(error, 'budget_exceeded')).toBe(true);
    expect((error as BudgetExceededError).used).toBe(monthly - nearlySpent);
  });

  it('refuses when not even the cheapest allowed model fits', () => {
    const tenant = policy({ budget: { monthlyMicros: monthly, onExceeded: 'downgrade' } });
    expect(() => createRouter().decide(complex, tenant, route(5))).toThrow(BudgetExceededError);
  });

  it('never plans a first model, escalation or fallback whose cost exceeds the remaining budget', () => {
    const router = createRouter({ cascade: { maxEscalations: 3 } });
    const tenant = policy({ budget: { monthlyMicros: monthly, onExceeded: 'downgrade' } });
    const worst = (model: string, input: number, output: number) =>
      catalog.costOf(model, { inputTokens: input, outputTokens: output, cachedInputTokens: 0 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 1, max: 8000 }),
        fc.integer({ min: 1, max: 4000 }),
        fc.constantFrom(simple, complex, ask('Explain OAuth scopes.')),
        (remaining, input, maxTokens, request) => {
          let decision: ReturnType<typeof router.decide>;
          try {
            decision = router.decide({ ...request, maxTokens }, tenant, route(remaining, input));
          } catch (error) {
            return error instanceof BudgetExceededError;
          }
          let spent = worst(decision.model, input, maxTokens);
          if (spent > remaining) return false;
          for (const fallback of decision.fallbacks)
            if (worst(fallback.model, input, maxTokens) > remaining) return false;
          for (const rung of decision.ladder) {
            for (const fallback of rung.fallbacks)
              if (spent + worst(fallback.model, input, maxTokens) > remaining) return false;
            spent += worst(rung.model, input, maxTokens);
            if (spent > remaining) return false;
          }
          return true;
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});
