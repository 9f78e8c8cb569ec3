export type { Analysis, AnalysisContext } from './analyze/analyze-request.js';
export { type KeywordFamily, keywordFamilies } from './analyze/keyword-families.js';
export {
  defaultHashSeed,
  hashedDimensions,
  NgramHasher,
  type NgramSketch,
  type TextProfile,
} from './analyze/ngram-hasher.js';
export { defaultThresholds, type LevelThresholds } from './analyze/score-signals.js';
export type { JsonStrictness, Signals } from './analyze/signals.js';
export {
  analyzeRequest,
  bracketsBalance,
  decodePrior,
  denseFeatures,
  difficultyLogit,
  extractSignals,
  failureProbability,
  readDifficultyInput,
  scoreLogit,
  sigmoid,
  slotScale,
  zeroWeights,
} from './checked-exports.js';
export { createMemoryLearnerStore, createOnlineLearner } from './checked-learner.js';
export { createStatsRecorder } from './checked-stats.js';
export {
  createArithmeticVerifier,
  createBuiltInVerifiers,
  createFenceVerifier,
  createFinalAnswerVerifier,
  createJsonSchemaVerifier,
  createLlmJudge,
  createSecondGuessingVerifier,
  createTruncationVerifier,
} from './checked-verifiers.js';
export { defaultHedgingPhrases, defaultRefusalPhrases } from './judge/hedging-phrases.js';
export { defaultMinimumWords } from './judge/judge-answer.js';
export type { LearnerStore, WeightIncrements } from './learn/learner-store.js';
export {
  type LearnerOptions,
  type LearnerState,
  type LearnerTenantState,
  type OnlineLearner,
  strongFailureWeight,
  strongHeadWeight,
} from './learn/online-learner.js';
export {
  type DifficultyInput,
  denseFeatureNames,
  denseSize,
} from './model/difficulty-features.js';
export {
  type DifficultyWeights,
  type FeatureVector,
  priorWeight,
} from './model/difficulty-model.js';
export { type PriorAsset, priorWeights } from './model/prior.js';
export { createRouter, type Router } from './router.js';
export type { CascadeOptions, RouterOptions } from './router-options.js';
export {
  type ChoiceOptions,
  defaultChoiceOptions,
  type ResolvedChoiceOptions,
} from './select/expected-loss.js';
export {
  defaultExpectedOutputTokens,
  defaultPreferenceShifts,
  defaultProfiles,
  type IndustryProfile,
} from './select/profiles.js';
export type { SelectionStrategy } from './select/select-model.js';
export type {
  ObservedRequest,
  RoutingStats,
  RoutingStatsSnapshot,
  Share,
  StatsRecorder,
  StatsRecorderOptions,
} from './stats/routing-stats.js';
export type { CodeSyntax } from './verify/fence-verifier.js';
export type { FinalAnswerOptions } from './verify/final-answer-verifier.js';
export type { JsonSchemaOptions } from './verify/json-schema-verifier.js';
export type { LlmJudgeOptions } from './verify/llm-judge.js';
export {
  defaultSecondGuessingPhrases,
  type SecondGuessingOptions,
} from './verify/second-guessing-verifier.js';
export type { Verifier, VerifierFinding, VerifierInput } from './verify/verifier.js';
