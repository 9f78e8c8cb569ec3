import {
  type ChatRequest,
  createCatalog,
  Forge1Error,
  type ModelTier,
  resolveTenantPolicy,
} from '@forge1/core';
import { createOnlineLearner, createRouter, type Router } from '@forge1/router';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random.js';

const catalog = createCatalog();
const policy = resolveTenantPolicy({ id: 'acme', tier: 'professional' });
const lambda = 4;

// Three categories of traffic; small models fail on the hidden one (short arithmetic) although it looks simple.
const categories = {
  status: (n: number) => `Where is my order #${1000 + n}?`,
  hidden: (n: number) => `Compute ${12 + n} * ${7 + (n % 5)} - ${n % 9} for the invoice`,
  explain: (n: number) =>
    `Explain how our loyalty points expire after ${(n % 12) + 1} months, with an example.`,
};
type Category = keyof typeof categories;
const failure: Record<Category, Record<ModelTier, number>> = {
  status: { small: 0.05, standard: 0.03, advanced: 0.02 },
  hidden: { small: 0.9, standard: 0.05, advanced: 0.02 },
  explain: { small: 0.4, standard: 0.05, advanced: 0.02 },
};
const names = Object.keys(categories) as Category[];
const request = (category: Category, n: number): ChatRequest => ({
  messages: [{ role: 'user', content: categories[category](n) }],
  maxTokens: 300,
});
const strongest = Math.max(
  ...catalog
    .list()
    .map((m) => catalog.costOf(m.id, { inputTokens: 30, outputTokens: 300, cachedInputTokens: 0 })),
);

/** Mean of relative cost + λ × failure probability over an evaluation set, with the true failure rates. */
function objective(router: Router) {
  let total = 0;
  let count = 0;
  for (const category of names) {
    for (let n = 500; n < 540; n++) {
      const decision = router.decide(request(category, n), policy);
      const model = catalog.require(decision.model);
      const cost =
        catalog.costOf(model.id, { inputTokens: 30, outputTokens: 300, cachedInputTokens: 0 }) / strongest;
      total += cost + lambda * failure[category][model.tier];
      count++;
    }
  }
  return total / count;
}

function train(router: Router, rounds: number) {
  const random = createSeededRandom(99);
  for (let n = 0; n < rounds; n++) {
    const category = names[n % names.length]!;
    const requestId = `req-${n}`;
    const decision = router.decide(request(category, n), policy, {
      context: { tenantId: 'acme', requestId, startedAt: 0 },
      remainingBudgetMicros: null,
      estimatedInputTokens: 30,
    });
    const tier = catalog.require(decision.model).tier;
    const failed = random.next() < failure[category][tier];
    const next = decision.ladder[0]?.model ?? decision.model;
    router.feedback(
      failed
        ? { requestId, tenantId: 'acme', outcome: { type: 'cascade', from: decision.model, to: next } }
        : { requestId, tenantId: 'acme', outcome: { type: 'judged', score: 1 } },
    );
  }
}

// The learner is measured against the tier-first heuristic, which sends the hidden category to a small model.
const tierFirst = { strategy: 'ladder' } as const;

const tierFor = (router: Router, category: Category) =>
  catalog.require(router.decide(request(category, 777), policy).model).tier;

describe('online learner', () => {
  it('moves the hidden category up and lowers cost + λ × error against the static heuristic', () => {
    const heuristic = createRouter(tierFirst);
    const learning = createRouter({ ...tierFirst, learner: { enabled: true, lambda, seed: 3 } });
    expect(tierFor(learning, 'hidden')).toBe('small');
    train(learning, 600);
    expect(tierFor(heuristic, 'hidden')).toBe('small');
    expect(tierFor(learning, 'hidden')).not.toBe('small');
    expect(tierFor(learning, 'status')).toBe('small');
    const before = objective(heuristic);
    const after = objective(learning);
    console.info(`cost + ${lambda} × error: heuristic ${before.toFixed(3)}, learned ${after.toFixed(3)}`);
    expect(after).toBeLessThan(before);
  });

  it('is off by default: feedback leaves decisions to the heuristic', () => {
    const router = createRouter(tierFirst);
    train(router, 300);
    expect(tierFor(router, 'hidden')).toBe('small');
  });

  it('is deterministic and round-trips through exported JSON', () => {
    const first = createRouter({ learner: { enabled: true, seed: 5 } });
    const second = createRouter({ learner: { enabled: true, seed: 5 } });
    train(first, 200);
    train(second, 200);
    expect(first.exportState()).toEqual(second.exportState());
    const copy = createRouter({ learner: { enabled: true } });
    copy.importState(JSON.stringify(first.exportState()));
    expect(copy.exportState()).toEqual(first.exportState());
    expect(tierFor(copy, 'hidden')).toBe(tierFor(first, 'hidden'));
  });

  it('rejects a malformed state and malformed feedback with validation errors', () => {
    const router = createRouter({ learner: { enabled: true } });
    expect(() => router.importState({ version: 2 })).toThrow(Forge1Error);
    expect(() => router.importState('not json')).toThrow(/learner state/);
    expect(() => router.feedback({ requestId: '', outcome: { type: 'rating', score: 1 } })).toThrow(
      /requestId/,
    );
  });

  it('ignores feedback for forgotten requests and for another tenant', () => {
    const router = createRouter({ learner: { enabled: true }, memory: 1 });
    const context = (requestId: string) => ({
      context: { tenantId: 'acme', requestId, startedAt: 0 },
      remainingBudgetMicros: null,
      estimatedInputTokens: 30,
    });
    router.decide(request('status', 1), policy, context('old'));
    router.decide(request('status', 2), policy, context('new'));
    router.feedback({ requestId: 'old', outcome: { type: 'rating', score: 0 } });
    router.feedback({ requestId: 'new', tenantId: 'other', outcome: { type: 'rating', score: 0 } });
    expect(router.exportState().tenants).toEqual({});
  });

  it('explores only at or above the floor when epsilon is set', () => {
    const learner = createOnlineLearner({ enabled: true, epsilon: 1, minimumObservations: 0, seed: 1 });
    learner.update('t', [1], 'small', 0);
    for (let i = 0; i < 20; i++) {
      expect(
        learner.choose('t', [1, 0.1], { small: 0.01, standard: 0.1, advanced: 1 }, 'standard')?.tier,
      ).not.toBe('small');
    }
  });
});
