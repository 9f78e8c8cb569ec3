import { type ChatRequest, resolveTenantPolicy } from '@forge1/core';
import {
  createRouter,
  decodePrior,
  denseFeatureNames,
  denseSize,
  difficultyLogit,
  hashedDimensions,
  priorWeight,
  priorWeights,
  readDifficultyInput,
  scoreLogit,
  sigmoid,
  zeroWeights,
} from '@forge1/router';
import { describe, expect, it } from 'vitest';
import { priorAsset } from './prior-asset.js';

describe('difficulty prior', () => {
  it('decodes the shipped asset once into weights of the feature space', () => {
    const weights = priorWeights();
    expect(priorWeights()).toBe(weights);
    expect(weights.dense).toHaveLength(denseSize);
    expect(weights.hashed).toHaveLength(hashedDimensions);
    expect(priorAsset.trainedOn).not.toContain('routerbench');
    expect(priorAsset.trainedOn).not.toContain('alpaca_eval_gpt4turbo');
    expect(Object.keys(priorAsset.dense).sort()).toEqual([...denseFeatureNames].sort());
  });

  it('refuses an asset built for another hashed space', () => {
    expect(() => decodePrior({ ...priorAsset, dimensions: 1024 })).toThrow(/another hashed feature space/);
  });

  it('scores zero weights at the bias and the prior as a probability', () => {
    const input = readDifficultyInput({
      messages: [{ role: 'user', content: 'Prove that there are infinitely many primes.' }],
    });
    const features = { dense: input.dense, slots: input.sketch.slots, count: input.sketch.count };
    expect(difficultyLogit(zeroWeights(0.5), features)).toBe(0.5);
    const p = sigmoid(difficultyLogit(priorWeights(), features));
    expect(p > 0 && p < 1).toBe(true);
  });

  it('is the cold-start score of decide: the hand-written score calibrated, reordered by the prior', () => {
    const router = createRouter();
    const policy = resolveTenantPolicy({ id: 'new', tier: 'standard' });
    const request: ChatRequest = {
      messages: [{ role: 'user', content: 'Prove that there are infinitely many primes.' }],
    };
    const input = readDifficultyInput(request);
    const prior = priorWeights();
    const features = { dense: input.dense, slots: input.sketch.slots, count: input.sketch.count };
    const expected = sigmoid(
      scoreLogit(input.analysis.score) + priorWeight * (difficultyLogit(prior, features) - prior.bias),
    );
    expect(router.decide(request, policy).score).toBeCloseTo(expected, 3);
  });
});
