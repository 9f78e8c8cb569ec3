// The public, checked versions of the router's pure helpers (most of them the difficulty model's
// plumbing, which the repository's training scripts use too). The package index exports these
// under the helpers' own names; the router itself calls the unchecked ones on values it built.
import {
  asInputError,
  type ChatRequest,
  expectFunction,
  expectNumber,
  expectObject,
  expectString,
  readUntrusted,
  ValidationError,
} from '@forge1/core';
import {
  type Analysis,
  type AnalysisContext,
  analyzeRequest as analyzeRequestUnchecked,
} from './analyze/analyze-request.js';
import {
  defaultHashSeed,
  hashedDimensions,
  type NgramHasher,
  type NgramSketch,
  type TextProfile,
} from './analyze/ngram-hasher.js';
import { defaultThresholds, type LevelThresholds } from './analyze/score-signals.js';
import { extractSignals as extractSignalsUnchecked, type Signals } from './analyze/signals.js';
import {
  type DifficultyInput,
  denseFeatures as denseFeaturesUnchecked,
  readDifficultyInput as readDifficultyInputUnchecked,
} from './model/difficulty-features.js';
import {
  type DifficultyWeights,
  difficultyLogit as difficultyLogitUnchecked,
  type FeatureVector,
  scoreLogit as scoreLogitUnchecked,
  sigmoid as sigmoidUnchecked,
  slotScale as slotScaleUnchecked,
  zeroWeights as zeroWeightsUnchecked,
} from './model/difficulty-model.js';
import { decodePrior as decodePriorUnchecked, type PriorAsset } from './model/prior.js';
import {
  failureProbability as failureProbabilityUnchecked,
  type ResolvedChoiceOptions,
} from './select/expected-loss.js';
import { bracketsBalance as bracketsBalanceUnchecked, type CodeSyntax } from './verify/fence-verifier.js';

/** Throws unless `value` is a number other than NaN (±Infinity are meaningful to these functions). */
function expectNotNaN(value: unknown, fn: string, path: string): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ValidationError(`${fn} arguments`, [{ path, message: 'expected a number' }]);
  }
}

const notNaN = (value: number, fn: string): number => {
  if (Number.isNaN(value)) {
    throw new ValidationError(`${fn} arguments`, [{ path: '', message: 'gave NaN' }]);
  }
  return value;
};

/** A snapshot of a chat request, checked to be an object with an array of messages. */
function readRequest(request: unknown, fn: string): ChatRequest {
  const snapshot = readUntrusted(request, `${fn} request`);
  expectObject(snapshot, fn, 'request');
  if (!Array.isArray(snapshot.messages)) {
    throw new ValidationError(`${fn} arguments`, [
      { path: 'request.messages', message: 'expected an array' },
    ]);
  }
  return snapshot as unknown as ChatRequest;
}

/**
 * Scores a request's complexity from its last user message and context.
 * @throws ValidationError when the request is not a chat request, the thresholds not finite numbers in order, or the role not a string.
 * @example
 * ```ts
 * const analysis = analyzeRequest({ messages: [{ role: 'user', content: 'Where is my order #123?' }] });
 * analysis.level; // 'simple'
 * ```
 */
export function analyzeRequest(
  request: ChatRequest,
  context: AnalysisContext = {},
  thresholds: LevelThresholds = defaultThresholds,
): Analysis {
  expectObject(context, 'analyzeRequest', 'context');
  expectObject(thresholds, 'analyzeRequest', 'thresholds');
  try {
    const bounds = readUntrusted(thresholds, 'analyzeRequest thresholds');
    // Finite boundaries in order: a missing or infinite one would put NaN into the confidence.
    let previous = Number.NEGATIVE_INFINITY;
    for (const level of ['simple', 'moderate', 'complex'] as const) {
      expectNumber(bounds[level], 'analyzeRequest', `thresholds.${level}`);
      if (bounds[level] < previous) {
        throw new ValidationError('analyzeRequest arguments', [
          { path: `thresholds.${level}`, message: 'must not be below the previous level' },
        ]);
      }
      previous = bounds[level];
    }
    const read = readUntrusted(context, 'analyzeRequest context');
    if (read.role !== undefined) expectString(read.role, 'analyzeRequest', 'context.role');
    return analyzeRequestUnchecked(readRequest(request, 'analyzeRequest'), read, bounds);
  } catch (thrown) {
    throw asInputError(thrown, 'analyzeRequest');
  }
}

/**
 * Measures a request: keyword families, length, questions, code, configuration, logs, stack
 * traces, maths, requested output, JSON strictness, tools, conversation length and role.
 * @throws ValidationError when the request is not a chat request.
 */
export function extractSignals(
  request: ChatRequest,
  role?: string,
  ngrams?: { hasher: NgramHasher; sketch?: NgramSketch },
): Signals {
  if (role !== undefined) expectString(role, 'extractSignals', 'role');
  if (ngrams !== undefined) expectObject(ngrams, 'extractSignals', 'ngrams');
  try {
    if (ngrams !== undefined) expectFunction(ngrams.hasher?.sketch, 'extractSignals', 'ngrams.hasher');
    return extractSignalsUnchecked(readRequest(request, 'extractSignals'), role, ngrams);
  } catch (thrown) {
    throw asInputError(thrown, 'extractSignals');
  }
}

/**
 * Reads what the difficulty model needs from a request: its analysis, dense features and n-gram sketch.
 * @throws ValidationError when the request is not a chat request or the options not an object.
 * @example
 * ```ts
 * const input = readDifficultyInput({ messages: [{ role: 'user', content: 'Prove that √2 is irrational.' }] });
 * input.sketch.count; // distinct hashed n-grams
 * ```
 */
export function readDifficultyInput(
  request: ChatRequest,
  options: NonNullable<Parameters<typeof readDifficultyInputUnchecked>[1]> = {},
): DifficultyInput {
  expectObject(options, 'readDifficultyInput', 'options');
  try {
    const snapshot = readUntrusted(options, 'readDifficultyInput options');
    if (snapshot.role !== undefined) expectString(snapshot.role, 'readDifficultyInput', 'options.role');
    if (snapshot.hasher !== undefined)
      expectFunction(snapshot.hasher?.sketch, 'readDifficultyInput', 'options.hasher');
    return readDifficultyInputUnchecked(readRequest(request, 'readDifficultyInput'), snapshot);
  } catch (thrown) {
    throw asInputError(thrown, 'readDifficultyInput');
  }
}

/**
 * The dense features of an analysed request.
 * @throws ValidationError when an argument is not of its documented kind.
 */
export function denseFeatures(
  analysis: Analysis,
  profile: TextProfile,
  request: ChatRequest,
  into?: Float64Array,
): Float64Array {
  expectObject(analysis, 'denseFeatures', 'analysis');
  expectObject(profile, 'denseFeatures', 'profile');
  if (into !== undefined && !(into instanceof Float64Array)) expectObject(undefined, 'denseFeatures', 'into');
  try {
    expectObject(analysis.signals, 'denseFeatures', 'analysis.signals');
    const features = denseFeaturesUnchecked(analysis, profile, readRequest(request, 'denseFeatures'), into);
    for (const value of features) notNaN(value, 'denseFeatures');
    return features;
  } catch (thrown) {
    throw asInputError(thrown, 'denseFeatures');
  }
}

/**
 * The model's logit for a feature vector.
 * @throws ValidationError when the weights or features are not of their documented kind.
 */
export function difficultyLogit(weights: DifficultyWeights, features: FeatureVector): number {
  expectObject(weights, 'difficultyLogit', 'weights');
  expectObject(features, 'difficultyLogit', 'features');
  try {
    expectNumber(weights.bias, 'difficultyLogit', 'weights.bias');
    return notNaN(difficultyLogitUnchecked(weights, features), 'difficultyLogit');
  } catch (thrown) {
    throw asInputError(thrown, 'difficultyLogit');
  }
}

/**
 * Turns an asset into weights.
 * @throws ValidationError when the asset is not a prior asset or was made for other features.
 */
export function decodePrior(asset: PriorAsset): DifficultyWeights {
  expectObject(asset, 'decodePrior', 'asset');
  try {
    expectString(asset.hashed, 'decodePrior', 'asset.hashed');
    expectNumber(asset.bias, 'decodePrior', 'asset.bias');
    expectNumber(asset.hashedScale, 'decodePrior', 'asset.hashedScale');
    expectObject(asset.dense, 'decodePrior', 'asset.dense');
    if (asset.dimensions !== hashedDimensions || asset.seed !== defaultHashSeed) {
      throw new ValidationError('decodePrior arguments', [
        { path: 'asset', message: 'built for another hashed feature space; run npm run train:router' },
      ]);
    }
    return decodePriorUnchecked(asset);
  } catch (thrown) {
    throw asInputError(thrown, 'decodePrior');
  }
}

/**
 * Logistic function.
 * @throws ValidationError when `x` is not a number or is NaN.
 */
export function sigmoid(x: number): number {
  expectNotNaN(x, 'sigmoid', 'x');
  return sigmoidUnchecked(x);
}

/**
 * Scale of each hashed slot's value: the n-grams of a text have unit length together.
 * @throws ValidationError when `count` is not a number or is NaN.
 */
export function slotScale(count: number): number {
  expectNotNaN(count, 'slotScale', 'count');
  return slotScaleUnchecked(count);
}

/**
 * The base logit the learned parts correct.
 * @throws ValidationError when `score` is not a number or the thresholds not an object of numbers.
 */
export function scoreLogit(score: number, thresholds: LevelThresholds = defaultThresholds): number {
  expectNotNaN(score, 'scoreLogit', 'score');
  expectObject(thresholds, 'scoreLogit', 'thresholds');
  try {
    return notNaN(
      scoreLogitUnchecked(score, readUntrusted(thresholds, 'scoreLogit thresholds')),
      'scoreLogit',
    );
  } catch (thrown) {
    throw asInputError(thrown, 'scoreLogit');
  }
}

/**
 * Probability that a model's answer is not good enough, given the probability `difficulty` that
 * a small-tier (reference) model's is not.
 * @throws ValidationError when an argument is not a number or the options not an object of numbers.
 */
export function failureProbability(
  difficulty: number,
  quality: number,
  options: ResolvedChoiceOptions,
): number {
  expectNotNaN(difficulty, 'failureProbability', 'difficulty');
  expectNotNaN(quality, 'failureProbability', 'quality');
  expectObject(options, 'failureProbability', 'options');
  try {
    expectNumber(options.abilityScale, 'failureProbability', 'options.abilityScale');
    expectNumber(options.referenceQuality, 'failureProbability', 'options.referenceQuality');
    return notNaN(failureProbabilityUnchecked(difficulty, quality, options), 'failureProbability');
  } catch (thrown) {
    throw asInputError(thrown, 'failureProbability');
  }
}

/**
 * Whether brackets balance outside strings and comments: a cheap parse check for code in any
 * C-like or scripting language.
 * @throws ValidationError when `code` is not a string or `syntax` not an object.
 */
export function bracketsBalance(code: string, syntax: CodeSyntax): boolean {
  expectString(code, 'bracketsBalance', 'code');
  expectObject(syntax, 'bracketsBalance', 'syntax');
  try {
    return bracketsBalanceUnchecked(code, readUntrusted(syntax, 'bracketsBalance syntax'));
  } catch (thrown) {
    throw asInputError(thrown, 'bracketsBalance');
  }
}

/**
 * Empty weights: every logit is the bias.
 * @throws ValidationError when `bias` is not a finite number.
 */
export function zeroWeights(bias = 0): { bias: number; dense: Float64Array; hashed: Float32Array } {
  expectNumber(bias, 'zeroWeights', 'bias');
  return zeroWeightsUnchecked(bias);
}
