import { hashedDimensions } from '../analyze/ngram-hasher.js';
import { defaultThresholds, type LevelThresholds } from '../analyze/score-signals.js';
import { difficultyFromScore } from '../select/difficulty.js';
import { denseSize } from './difficulty-features.js';

/** Weights of a linear difficulty model: logit = bias + dense · w + (Σ hashed[slot]) / √count. */
export interface DifficultyWeights {
  bias: number;
  dense: ArrayLike<number>;
  /** One weight per hashed slot (`hashedDimensions` of them). */
  hashed: ArrayLike<number>;
}

/** The features a linear model reads: dense values and the distinct hashed slots. */
export interface FeatureVector {
  dense: ArrayLike<number>;
  slots: ArrayLike<number>;
  /** Slots used from `slots` (its length when absent). */
  count?: number;
}

/** Scale of each hashed slot's value: the n-grams of a text have unit length together. */
export const slotScale = (count: number): number => (count > 0 ? 1 / Math.sqrt(count) : 0);

/** The model's logit for a feature vector. */
export function difficultyLogit(weights: DifficultyWeights, features: FeatureVector): number {
  let sum = weights.bias;
  for (let index = 0; index < denseSize; index++) sum += weights.dense[index]! * features.dense[index]!;
  const count = features.count ?? features.slots.length;
  let hashed = 0;
  for (let index = 0; index < count; index++) hashed += weights.hashed[features.slots[index]!]!;
  return sum + hashed * slotScale(count);
}

/** Logistic function. */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Empty weights: every logit is the bias. */
export function zeroWeights(bias = 0): { bias: number; dense: Float64Array; hashed: Float32Array } {
  return { bias, dense: new Float64Array(denseSize), hashed: new Float32Array(hashedDimensions) };
}

/** How much the prior's reordering weighs against the level's base probability (measured on the routing data). */
export const priorWeight = 2;

// Base probability per level above simple: wide enough apart that levels still lead, close enough
// that the prior reorders requests of neighbouring levels.
const levelBase = { moderate: 0.3, complex: 0.4, critical: 0.55 } as const;
const logit = (p: number) => Math.log(p / (1 - p));

/**
 * The base logit the learned parts correct. Simple requests keep the hand-written score read as a
 * probability by the selection's calibration (greetings and look-ups, which the public benchmarks
 * lack, stay near 0.01); above that each level has one base probability, and the prior orders the
 * requests inside it (measured: the hand-written score orders benchmark tasks no better than their
 * length).
 */
export function scoreLogit(score: number, thresholds: LevelThresholds = defaultThresholds): number {
  if (score < thresholds.simple) return logit(difficultyFromScore(score, thresholds));
  if (score < thresholds.moderate) return logit(levelBase.moderate);
  return logit(score < thresholds.complex ? levelBase.complex : levelBase.critical);
}
