import {
  type ChatRequest,
  createCatalog,
  Forge1Error,
  type ModelRef,
  resolveTenantPolicy,
} from '@forge1/core';
import {
  createMemoryLearnerStore,
  createOnlineLearner,
  createRouter,
  priorWeights,
  type Router,
  readDifficultyInput,
  strongFailureWeight,
  strongHeadWeight,
} from '@forge1/router';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random.js';
import { mixtureWeight } from './tenant-weights.js';

const catalog = createCatalog();
const policy = resolveTenantPolicy({ id: 'acme', tier: 'professional' });

// Two kinds of traffic that look alike to the hand-written analysis; small models fail only the
// invoice arithmetic.
const kinds = {
  status: (n: number) => `Where is my order #${1000 + n}?`,
  hidden: (n: number) => `Compute ${12 + n} * ${7 + (n % 5)} - ${n % 9} for the invoice`,
};
type Kind = keyof typeof kinds;
const smallFails: Record<Kind, number> = { status: 0.05, hidden: 0.9 };
const request = (kind: Kind, n: number): ChatRequest => ({
  messages: [{ role: 'user', content: kinds[kind](n) }],
  maxTokens: 300,
});
const route = (requestId: string) => ({
  context: { tenantId: 'acme', requestId, startedAt: 0 },
  remainingBudgetMicros: null,
  estimatedInputTokens: 30,
});

/** Serves a stream the way the gateway reports it: each verdict, and a cascade after a failed small answer. */
function serve(router: Router, rounds: number, seed = 99) {
  const random = createSeededRandom(seed);
  for (let n = 0; n < rounds; n++) {
    const kind: Kind = n % 2 === 0 ? 'status' : 'hidden';
    const requestId = `req-${n}`;
    const decision = router.decide(request(kind, n), policy, route(requestId));
    const small = catalog.require(decision.model).tier === 'small';
    const failed = small && random.next() < smallFails[kind];
    const verdict = (model: ModelRef, score: number) =>
      router.feedback({ requestId, tenantId: 'acme', model, outcome: { type: 'judged', score } });
    verdict(decision, failed ? 0 : 1);
    const next = decision.ladder[0];
    if (failed && next) {
      router.feedback({
        requestId,
        tenantId: 'acme',
        model: decision,
        outcome: { type: 'cascade', from: decision.model, to: next.model },
      });
      verdict(next, 1);
    }
  }
}

const tierFor = (router: Router, kind: Kind) =>
  catalog.require(router.decide(request(kind, 777), policy).model).tier;
const probabilityFor = (router: Router, kind: Kind) => router.decide(request(kind, 777), policy).score;

describe('online learner', () => {
  it('moves the hidden arithmetic off the small tier after judged feedback, and keeps status checks on it', () => {
    // The tier-first strategy sends both kinds to a small model until the learner moves one.
    const router = createRouter({ strategy: 'ladder', learner: { seed: 3, lambda: 1 } });
    expect(tierFor(router, 'hidden')).toBe('small');
    serve(router, 200);
    console.info(
      `after 200 judged requests: P(hidden) ${probabilityFor(router, 'hidden')}, P(status) ${probabilityFor(router, 'status')}`,
    );
    expect(probabilityFor(router, 'hidden')).toBeGreaterThan(probabilityFor(router, 'status') + 0.3);
    expect(tierFor(router, 'hidden')).not.toBe('small');
    expect(tierFor(router, 'status')).toBe('small');
  });

  it('learns nothing when disabled: the score stays the prior', () => {
    const router = createRouter({ learner: { enabled: false } });
    const before = probabilityFor(router, 'hidden');
    serve(router, 100);
    expect(probabilityFor(router, 'hidden')).toBe(before);
    expect(router.exportState().tenants).toEqual({});
  });

  it('is deterministic and round-trips through exported JSON', () => {
    const first = createRouter({ learner: { seed: 5, epsilon: 0.2 } });
    const second = createRouter({ learner: { seed: 5, epsilon: 0.2 } });
    serve(first, 120);
    serve(second, 120);
    expect(first.exportState()).toEqual(second.exportState());
    const copy = createRouter();
    copy.importState(JSON.stringify(first.exportState()));
    expect(copy.exportState()).toEqual(first.exportState());
    expect(probabilityFor(copy, 'hidden')).toBe(probabilityFor(first, 'hidden'));
  });

  it('rejects a malformed state and malformed feedback with validation errors', () => {
    const router = createRouter();
    expect(() => router.importState({ version: 1 })).toThrow(Forge1Error);
    expect(() => router.importState('not json')).toThrow(/learner state/);
    expect(() => router.feedback({ requestId: '', outcome: { type: 'rating', score: 1 } })).toThrow(
      /requestId/,
    );
  });

  it('ignores feedback for forgotten requests and for another tenant', () => {
    const router = createRouter({ memory: 1 });
    router.decide(request('status', 1), policy, route('old'));
    router.decide(request('status', 2), policy, route('new'));
    router.feedback({ requestId: 'old', outcome: { type: 'rating', score: 0 } });
    router.feedback({ requestId: 'new', tenantId: 'other', outcome: { type: 'rating', score: 0 } });
    expect(router.exportState().tenants).toEqual({});
  });

  it('learns one label per request, from the stronger verdict after a failed small answer cascades', () => {
    const router = createRouter({ strategy: 'ladder' });
    const decision = router.decide(request('hidden', 1), policy, route('r1'));
    expect(catalog.require(decision.model).tier).toBe('small');
    const before = router.decide(request('hidden', 1), policy).score;
    const stronger = decision.ladder[0]!;
    router.feedback({ requestId: 'r1', model: decision, outcome: { type: 'judged', score: 0 } });
    router.feedback({
      requestId: 'r1',
      outcome: { type: 'cascade', from: decision.model, to: stronger.model },
    });
    expect(router.exportState().tenants).toEqual({});
    router.feedback({ requestId: 'r1', model: stronger, outcome: { type: 'judged', score: 1 } });
    router.feedback({ requestId: 'r1', model: stronger, outcome: { type: 'rating', score: 5 } });
    expect(router.exportState().tenants.acme?.observations).toBe(1);
    expect(router.decide(request('hidden', 1), policy).score).toBeGreaterThan(before);
  });

  it('teaches the strong head from every strong answer, once per request', () => {
    const router = createRouter();
    const hard: ChatRequest = {
      messages: [{ role: 'user', content: 'Design a multi-region failover plan for our payment ledger.' }],
    };
    const decision = router.decide(hard, policy, route('r3'));
    expect(catalog.require(decision.model).tier).not.toBe('small');
    router.feedback({ requestId: 'r3', model: decision, outcome: { type: 'judged', score: 1 } });
    router.feedback({ requestId: 'r3', model: decision, outcome: { type: 'rating', score: 5 } });
    const tenant = router.exportState().tenants.acme;
    expect(tenant?.strong?.observations).toBe(1);
    expect(tenant?.observations).toBe(0);
  });

  it('learns that escalating would not help when a strong model fails too', () => {
    const router = createRouter();
    const hard: ChatRequest = {
      messages: [{ role: 'user', content: 'Design a multi-region failover plan for our payment ledger.' }],
    };
    const before = router.decide(hard, policy).score;
    const decision = router.decide(hard, policy, route('r2'));
    expect(catalog.require(decision.model).tier).not.toBe('small');
    router.feedback({ requestId: 'r2', model: decision, outcome: { type: 'judged', score: 0 } });
    expect(router.decide(hard, policy).score).toBeLessThan(before);
  });

  it('explores the small tier on a seeded share of a fed tenant, never for a critical request', () => {
    const router = createRouter({ learner: { epsilon: 0.5, seed: 8 } });
    serve(router, 4);
    const explain: ChatRequest = {
      messages: [{ role: 'user', content: 'Explain the trade-offs of event sourcing in detail.' }],
    };
    const critical: ChatRequest = {
      messages: [
        { role: 'user', content: 'Urgent: we detected a breach, customer card numbers leaked right now.' },
      ],
    };
    const tiers = Array.from(
      { length: 40 },
      () => catalog.require(router.decide(explain, policy).model).tier,
    );
    expect(tiers.filter((tier) => tier === 'small').length).toBeGreaterThan(5);
    expect(tiers.filter((tier) => tier !== 'small').length).toBeGreaterThan(5);
    for (let i = 0; i < 40; i++)
      expect(catalog.require(router.decide(critical, policy).model).tier).not.toBe('small');
  });
});

describe('learner', () => {
  const features = (text: string) => {
    const input = readDifficultyInput({ messages: [{ role: 'user', content: text }] });
    return { dense: Float64Array.from(input.dense), slots: input.sketch.slots.slice(0, input.sketch.count) };
  };

  it('starts every tenant at the prior and moves only the tenant that gave feedback', () => {
    const learner = createOnlineLearner({ prior: priorWeights() });
    const x = features('Compute 12 * 7 for the invoice');
    const start = learner.probability('a', x);
    expect(learner.probability('b', x)).toBe(start);
    for (let i = 0; i < 10; i++) learner.update('a', x, 1);
    expect(learner.probability('a', x)).toBeGreaterThan(start);
    expect(learner.probability('b', x)).toBe(start);
  });

  it('shares what it learns with another learner through a shared store after a sync', async () => {
    const store = createMemoryLearnerStore();
    const first = createOnlineLearner({ prior: priorWeights() }, { store });
    const second = createOnlineLearner({ prior: priorWeights() }, { store });
    const x = features('Compute 12 * 7 for the invoice');
    const start = second.probability('a', x);
    for (let i = 0; i < 10; i++) first.update('a', x, 1);
    for (let i = 0; i < 10; i++) second.update('a', x, 1);
    await first.sync('a');
    await second.sync('a');
    expect(second.observations('a')).toBe(20);
    expect(first.probability('a', x)).toBeCloseTo(second.probability('a', x), 12);
    expect(second.probability('a', x)).toBeGreaterThan(start);
  });

  it('learns a tenant calibration: a tenant whose hard requests the prior ranks low is reordered', () => {
    const learner = createOnlineLearner({ prior: priorWeights(), priorWeight: 2 });
    const easy = features('Write a detailed essay on the history of the Roman Empire and its fall.');
    const hard = features('Compute 12 * 7');
    // The tenant's labels contradict the prior's order; the calibration and n-grams move it.
    for (let i = 0; i < 60; i++) {
      learner.update('a', easy, 0);
      learner.update('a', hard, 1);
    }
    expect(learner.probability('a', hard)).toBeGreaterThan(learner.probability('a', easy) + 0.3);
    const state = learner.exportState();
    expect(state.version).toBe(3);
    expect(state.tenants.a?.squares.hashed).not.toEqual({});
  });

  it('fades a correction that predicts the tenant worse than the prior back to the prior', () => {
    expect(mixtureWeight(0, 0)).toBe(0.5);
    expect(mixtureWeight(10, 0)).toBeGreaterThan(0.99);
    expect(mixtureWeight(0, 10)).toBeLessThan(0.01);
    // A far too large step makes the correction swing past every alternating label.
    const learner = createOnlineLearner({ prior: priorWeights() }, { learningRate: 10, epsilon: 0 });
    const x = features('Compute 12 * 7 for the invoice');
    const prior = learner.probability('b', x);
    for (let i = 0; i < 40; i++) learner.update('a', x, i % 2);
    const loss = learner.exportState().tenants.a?.loss;
    expect(loss!.learned).toBeGreaterThan(loss!.prior + 10);
    expect(Math.abs(learner.probability('a', x) - prior)).toBeLessThan(0.01);
  });

  it('keeps the two losses through export and import', () => {
    const learner = createOnlineLearner({ prior: priorWeights() });
    const x = features('Compute 12 * 7 for the invoice');
    for (let i = 0; i < 5; i++) learner.update('a', x, 1);
    const state = learner.exportState();
    expect(state.tenants.a?.loss?.prior).toBeGreaterThan(0);
    const copy = createOnlineLearner({ prior: priorWeights() });
    copy.importState(JSON.stringify(state));
    expect(copy.exportState().tenants.a?.loss).toEqual(state.tenants.a?.loss);
    expect(copy.probability('a', x)).toBe(learner.probability('a', x));
    expect(() =>
      copy.importState({ ...state, tenants: { a: { ...state.tenants.a, loss: { prior: -1, learned: 0 } } } }),
    ).toThrow(Forge1Error);
  });

  it('lowers the probability where the strong model fails more than the prior expects, and only there', () => {
    expect(strongHeadWeight).toBeGreaterThan(0);
    const learner = createOnlineLearner({ prior: priorWeights() }, { epsilon: 0 });
    const x = features('Design a multi-region failover plan for our payment ledger.');
    const start = learner.probability('a', x);
    for (let i = 0; i < 20; i++) learner.updateStrong('a', x, 1);
    expect(learner.probability('a', x)).toBeLessThan(start - 0.05);
    expect(learner.observations('a')).toBe(0);
    expect(learner.probability('b', x)).toBe(start);
    // A strong model that never fails leaves the first head's probability as it is.
    for (let i = 0; i < 20; i++) learner.updateStrong('c', x, 0);
    expect(learner.probability('c', x)).toBe(start);
    const state = learner.exportState();
    expect(state.tenants.a?.strong?.observations).toBe(20);
    const copy = createOnlineLearner({ prior: priorWeights() });
    copy.importState(JSON.stringify(state));
    expect(copy.probability('a', x)).toBe(learner.probability('a', x));
    expect(() => learner.updateStrong('a', x, Number.NaN)).toThrow(Forge1Error);
  });

  it('stores every weight it learns, n-grams included, for both heads (a synced learner equals one that learned alone)', async () => {
    const store = createMemoryLearnerStore();
    const shared = createOnlineLearner({ prior: priorWeights() }, { store });
    const reader = createOnlineLearner({ prior: priorWeights() }, { store });
    const alone = createOnlineLearner({ prior: priorWeights() });
    const x = features('Compute 12 * 7 for the invoice and explain each step');
    for (let i = 0; i < 5; i++) {
      shared.update('a', x, 1);
      alone.update('a', x, 1);
      shared.updateStrong('a', x, 1);
      alone.updateStrong('a', x, 1);
    }
    await reader.sync('a');
    const synced = reader.exportState().tenants.a;
    const learned = alone.exportState().tenants.a;
    expect(Object.keys(learned?.hashed ?? {}).length).toBeGreaterThan(0);
    expect(synced?.hashed).toEqual(learned?.hashed);
    expect(synced?.squares.hashed).toEqual(learned?.squares.hashed);
    expect(synced?.strong?.hashed).toEqual(learned?.strong?.hashed);
    expect(reader.probability('a', x)).toBeCloseTo(alone.probability('a', x), 12);
  });

  it('shares the strong head through a shared store', async () => {
    const store = createMemoryLearnerStore();
    const first = createOnlineLearner({ prior: priorWeights() }, { store });
    const second = createOnlineLearner({ prior: priorWeights() }, { store });
    const x = features('Design a multi-region failover plan for our payment ledger.');
    for (let i = 0; i < 10; i++) first.updateStrong('a', x, 1);
    await first.sync('a');
    await second.sync('a');
    expect(second.exportState().tenants.a?.strong?.observations).toBe(10);
    expect(second.probability('a', x)).toBeCloseTo(first.probability('a', x), 12);
    expect(second.probability('a', x)).toBeLessThan(second.probability('b', x));
  });

  it('imports a version 2 state without calibration and AdaGrad sums', () => {
    const learner = createOnlineLearner({ prior: priorWeights() });
    const x = features('Compute 12 * 7 for the invoice');
    const dense = Array.from({ length: x.dense.length }, () => 0);
    learner.importState({
      version: 2,
      random: 5,
      tenants: { a: { observations: 3, bias: 1, dense, hashed: {} } },
    });
    expect(learner.observations('a')).toBe(3);
    expect(learner.probability('a', x)).toBeGreaterThan(learner.probability('b', x));
    learner.update('a', x, 0);
    expect(learner.exportState().tenants.a?.offsetWeight).not.toBe(0);
  });

  it('weighs a failed strong answer little: an unbiased label needs the small answer', () => {
    expect(strongFailureWeight).toBeGreaterThan(0);
    expect(strongFailureWeight).toBeLessThan(0.5);
    const full = createOnlineLearner({ prior: priorWeights() });
    const light = createOnlineLearner({ prior: priorWeights() });
    const x = features('Design a multi-region failover plan for our payment ledger.');
    full.update('a', x, 0);
    light.update('a', x, 0, strongFailureWeight);
    const start = full.probability('b', x);
    expect(full.probability('a', x)).toBeLessThan(light.probability('a', x));
    expect(light.probability('a', x)).toBeLessThan(start);
  });

  it('reports a failing store and keeps learning locally', () => {
    const errors: unknown[] = [];
    const learner = createOnlineLearner(
      { prior: priorWeights() },
      {
        store: {
          add: () => Promise.reject(new Error('down')),
          read: () => Promise.reject(new Error('down')),
        },
        onStoreError: (error) => errors.push(error),
      },
    );
    const x = features('Compute 12 * 7 for the invoice');
    learner.update('a', x, 1);
    expect(learner.observations('a')).toBe(1);
    return new Promise<void>((done) =>
      setImmediate(() => {
        expect(errors.length).toBeGreaterThan(0);
        done();
      }),
    );
  });
});
