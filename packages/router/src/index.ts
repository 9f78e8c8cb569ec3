export { type Analysis, type AnalysisContext, analyzeRequest } from './analyze/analyze-request.js';
export { type KeywordFamily, keywordFamilies } from './analyze/keyword-families.js';
export { defaultThresholds, type LevelThresholds } from './analyze/score-signals.js';
export { extractSignals, type JsonStrictness, type Signals } from './analyze/signals.js';
export { defaultHedgingPhrases, defaultRefusalPhrases } from './judge/hedging-phrases.js';
export { defaultMinimumWords } from './judge/judge-answer.js';
export { featureNames, toFeatures } from './learn/features.js';
export {
  createOnlineLearner,
  type LearnedChoice,
  type LearnerOptions,
  type LearnerState,
  type OnlineLearner,
} from './learn/online-learner.js';
export { createRouter, type Router } from './router.js';
export type { CascadeOptions, RouterOptions } from './router-options.js';
export {
  type ChoiceOptions,
  defaultChoiceOptions,
  failureProbability,
  type ResolvedChoiceOptions,
} from './select/expected-loss.js';
export {
  defaultExpectedOutputTokens,
  defaultPreferenceShifts,
  defaultProfiles,
  type IndustryProfile,
} from './select/profiles.js';
export type { SelectionStrategy } from './select/select-model.js';
export {
  createStatsRecorder,
  type ObservedRequest,
  type RoutingStats,
  type RoutingStatsSnapshot,
  type Share,
  type StatsRecorder,
  type StatsRecorderOptions,
} from './stats/routing-stats.js';
