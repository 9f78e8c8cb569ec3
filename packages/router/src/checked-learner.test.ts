import {
  createMemoryLearnerStore,
  createOnlineLearner,
  createRouter,
  denseSize,
  priorWeights,
} from '@forge1/router';
import { describe, expect, it } from 'vitest';
import { refusal, rejection } from './test-refusal.js';

const features = { dense: new Float64Array(denseSize), slots: [3, 5, 8] };

describe('the public online learner', () => {
  it('names the option or prior field it refuses at creation', () => {
    expect(refusal(() => createOnlineLearner({ prior: priorWeights() }, { learningRate: 0 }))).toEqual([
      'learningRate',
    ]);
    expect(refusal(() => createOnlineLearner({ prior: priorWeights() }, { epsilon: Number.NaN }))).toEqual([
      'epsilon',
    ]);
    expect(refusal(() => createOnlineLearner({ prior: priorWeights() }, { stor: {} } as never))).toEqual([
      '',
    ]);
    expect(refusal(() => createOnlineLearner({ prior: { ...priorWeights(), bias: Infinity } }))).toEqual([
      'model.prior.bias',
    ]);
    expect(refusal(() => createOnlineLearner({ prior: { ...priorWeights(), dense: [1] } }))).toEqual([
      'model.prior.dense',
    ]);
  });

  it('accepts every documented option, calibrationRate included, alone and through createRouter', () => {
    expect(createOnlineLearner({ prior: priorWeights() }, { calibrationRate: 0.2 }).enabled).toBe(true);
    expect(createRouter({ learner: { calibrationRate: 0.2 } }).exportState().version).toBe(3);
  });

  it('refuses features that would give NaN, and a label that is not a number', () => {
    const learner = createOnlineLearner({ prior: priorWeights() });
    expect(refusal(() => learner.probability('acme', { dense: [1, 2], slots: [] }))).toEqual([
      'features.dense',
    ]);
    expect(refusal(() => learner.probability('acme', { ...features, slots: [-1] }))).toEqual([
      'features.slots.0',
    ]);
    expect(refusal(() => learner.probability('acme', { ...features, count: 9 }))).toEqual(['features.count']);
    expect(refusal(() => learner.update('acme', features, Number.NaN))).toEqual(['better']);
    expect(refusal(() => learner.update('acme', features, 1, -1))).toEqual(['weight']);
    expect(refusal(() => learner.updateStrong('acme', features, Number.NaN))).toEqual(['failed']);
    expect(refusal(() => learner.updateStrong('acme', features, 1, -1))).toEqual(['weight']);
    expect(refusal(() => learner.observations(7 as never))).toEqual(['tenantId']);
    learner.update('acme', features, 1);
    expect(learner.observations('acme')).toBe(1);
    expect(learner.probability('acme', features)).toBeGreaterThan(0);
  });

  it('rejects sync of a tenant id that is not a string instead of throwing', async () => {
    const learner = createOnlineLearner({ prior: priorWeights() });
    await expect(rejection(learner.sync(Symbol() as never))).resolves.toEqual(['tenantId']);
  });
});

describe('the memory learner store', () => {
  it('refuses increments that are not a Map of finite numbers, adding nothing of them', () => {
    const store = createMemoryLearnerStore();
    expect(refusal(() => store.add('acme', { n: 1 } as never))).toEqual(['increments']);
    expect(
      refusal(() =>
        store.add(
          'acme',
          new Map([
            ['n', 1],
            ['b', Number.NaN],
          ]),
        ),
      ),
    ).toEqual(['increments']);
    expect(store.read('acme')).toBeUndefined();
    store.add('acme', new Map([['n', 2]]));
    expect(store.read('acme')).toEqual(new Map([['n', 2]]));
  });
});
