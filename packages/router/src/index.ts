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
export { defaultHedgingPhrases, defaultRefusalPhrases } from './judge/hedging-phrases.js';
export { defaultMinimumWords } from './judge/judge-answer.js';
export type { LearnerStore, WeightIncrements } from './learn/learner-store.js';
export {
  type LearnerOptions,
  type LearnerState,
  type LearnerTenantState,
  type OnlineLearner,
  strongFailureWeight,
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
export { createArithmeticVerifier } from './verify/arithmetic-verifier.js';
export { createBuiltInVerifiers } from './verify/built-in-verifiers.js';
export { type CodeSyntax, createFenceVerifier } from './verify/fence-verifier.js';
export { createFinalAnswerVerifier, type FinalAnswerOptions } from './verify/final-answer-verifier.js';
export { createJsonSchemaVerifier, type JsonSchemaOptions } from './verify/json-schema-verifier.js';
export { createLlmJudge, type LlmJudgeOptions } from './verify/llm-judge.js';
export {
  createSecondGuessingVerifier,
  defaultSecondGuessingPhrases,
  type SecondGuessingOptions,
} from './verify/second-guessing-verifier.js';
export { createTruncationVerifier } from './verify/truncation-verifier.js';
export type { Verifier, VerifierFinding, VerifierInput } from './verify/verifier.js';
