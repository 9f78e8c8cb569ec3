import { describe, expect, it } from 'vitest';
import { defaultThresholds } from '../analyze/score-signals.js';
import { difficultyFromScore } from './difficulty.js';
import { capacityPenalty, defaultChoiceOptions, failureProbability, lambdaFor } from './expected-loss.js';
import { defaultPreferenceShifts, defaultProfiles } from './profiles.js';

describe('expected quality loss', () => {
  it('gives the reference small model exactly the difficulty as its failure probability', () => {
    for (const p of [0.01, 0.2, 0.5, 0.9]) {
      expect(failureProbability(p, defaultChoiceOptions.referenceQuality, defaultChoiceOptions)).toBeCloseTo(
        p,
        9,
      );
    }
  });

  it('lowers the failure probability as quality rises, and raises it with the difficulty', () => {
    const options = defaultChoiceOptions;
    expect(failureProbability(0.5, 0.9, options)).toBeLessThan(failureProbability(0.5, 0.7, options));
    expect(failureProbability(0.8, 0.9, options)).toBeGreaterThan(failureProbability(0.2, 0.9, options));
    // 0.3 of quality is 2.4 logits at the default scale.
    expect(failureProbability(0.5, 0.9, options)).toBeCloseTo(1 / (1 + Math.exp(2.4)), 9);
  });

  it('stays a probability at the edges of the difficulty', () => {
    for (const p of [0, 1, -1, 2]) {
      const failure = failureProbability(p, 0.7, defaultChoiceOptions);
      expect(failure).toBeGreaterThan(0);
      expect(failure).toBeLessThan(1);
    }
  });

  it('multiplies λ by 4 per tier of industry and preference shift', () => {
    const lambda = (industry: 'finance' | 'tech' | 'general', preference: 'quality' | 'cost' | 'balanced') =>
      lambdaFor(industry, preference, defaultProfiles, defaultPreferenceShifts, 0.5);
    expect(lambda('general', 'balanced')).toBe(0.5);
    expect(lambda('finance', 'quality')).toBeCloseTo(2, 9);
    expect(lambda('tech', 'cost')).toBeCloseTo(0.125, 9);
  });

  it('adds nothing for an idle provider and the full weight for a saturated one', () => {
    expect(capacityPenalty(1, 0.2)).toBe(0);
    expect(capacityPenalty(0, 0.2)).toBe(0.2);
    expect(capacityPenalty(0.5, 0.2)).toBeCloseTo(0.05, 9);
    expect(capacityPenalty(Number.NaN, 0.2)).toBe(0);
    expect(capacityPenalty(-3, 0.2)).toBe(0.2);
  });

  it('adds nothing at or above the knee, and grows to the full weight below it', () => {
    expect(capacityPenalty(0.25, 0.2, 0.25)).toBe(0);
    expect(capacityPenalty(0.6, 0.2, 0.25)).toBe(0);
    expect(capacityPenalty(0.125, 0.2, 0.25)).toBeCloseTo(0.05, 9);
    expect(capacityPenalty(0, 0.2, 0.25)).toBe(0.2);
  });
});

describe('difficulty from the analysis score', () => {
  it('passes through the anchors at the level boundaries', () => {
    expect(difficultyFromScore(0, defaultThresholds)).toBeCloseTo(0.01, 9);
    expect(difficultyFromScore(defaultThresholds.simple, defaultThresholds)).toBeCloseTo(0.15, 9);
    expect(difficultyFromScore(defaultThresholds.complex, defaultThresholds)).toBeCloseTo(0.7, 9);
    expect(difficultyFromScore(1, defaultThresholds)).toBeCloseTo(0.9, 9);
  });

  it('rises with the score', () => {
    let previous = 0;
    for (let score = 0; score <= 1; score += 0.05) {
      const p = difficultyFromScore(score, defaultThresholds);
      expect(p).toBeGreaterThan(previous);
      previous = p;
    }
  });
});
