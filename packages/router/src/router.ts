import {
  type ChatRequest,
  type ChatResult,
  contentPartSchema,
  estimateTokens,
  type JudgeContext,
  type ModelTier,
  parseWith,
  type RouteContext,
  type RouteDecision,
  type RouteFeedback,
  type RouterV1,
  type TenantPolicy,
  type Verdict,
} from '@forge1/core';
import { z } from 'zod';
import { type Analysis, type AnalysisContext, analyzeRequest } from './analyze/analyze-request.js';
import { judgeAnswer } from './judge/judge-answer.js';
import { createOnlineLearner, type LearnerState, strongFailureWeight } from './learn/online-learner.js';
import { readRouteFeedback } from './learn/route-feedback.js';
import { createLru } from './lru.js';
import { denseSize, readDifficultyInput } from './model/difficulty-features.js';
import { type FeatureVector, priorWeight, scoreLogit } from './model/difficulty-model.js';
import { priorWeights } from './model/prior.js';
import { checkedRouter } from './router-checks.js';
import { type ResolvedRouterOptions, type RouterOptions, resolveRouterOptions } from './router-options.js';
import { eligibleModels, expectedCostMicros } from './select/eligible-models.js';
import { createLeaseWaits } from './select/lease-waits.js';
import { modelTiers } from './select/profiles.js';
import { selectModel } from './select/select-model.js';
import { createStatsRecorder, type ObservedRequest, type RoutingStats } from './stats/routing-stats.js';
import { twoDecimals } from './two-decimals.js';

/** The Forge1 router: core's `RouterV1` plus analysis, statistics and learning. */
export interface Router extends RouterV1 {
  /** Analyses a request without choosing a model. */
  analyze(request: ChatRequest, context?: AnalysisContext): Analysis;
  /**
   * Chooses the model, the ladder and the fallbacks.
   * @throws BudgetExceededError when the budget cannot afford the request and the policy refuses
   * (or nothing affordable remains); ValidationError on a malformed request.
   */
  decide(request: ChatRequest, policy: TenantPolicy, route?: RouteContext): RouteDecision;
  /**
   * Judges an answer for the cascade: heuristics and verifiers, each named in the reasons. A plain
   * verdict when every verifier answers synchronously (the built-in ones do), a promise otherwise.
   */
  judge(
    result: ChatResult,
    decision: RouteDecision,
    request: ChatRequest,
    judgeContext?: JudgeContext,
  ): Verdict | Promise<Verdict>;
  /** Learns from an outcome of a recent request (no-op when the learner is off or the request is forgotten). */
  feedback(feedback: RouteFeedback): void;
  /** Records a finished request (a `GatewayResult`) in the statistics. */
  observe(result: ObservedRequest): void;
  /** Feeds the statistics from a gateway's events; returns a function that stops listening. */
  attach(events: import('@forge1/core').EventBus): () => void;
  /** Routing statistics overall and per tenant. */
  stats(): RoutingStats;
  /** The learner's state, as JSON-ready data. */
  exportState(): LearnerState;
  /** @throws ValidationError on a malformed state. */
  importState(state: unknown): void;
}

interface Remembered {
  tenantId: string;
  features: FeatureVector;
  /** The base logit the decision's probability was taken with. */
  offset: number;
  tier: ModelTier;
  /** The ladder has a stronger rung to cascade to. */
  escalates: boolean;
  /** The small answer failed; the stronger answer's verdict will say whether escalating helped. */
  pending: boolean;
  /** This request taught the learner already. */
  learned: boolean;
  /** The strong head learnt from this request (once, from the first strong answer's verdict). */
  strongLearned: boolean;
}

const requestSchema = z.object({
  messages: z
    .array(z.object({ role: z.string(), content: z.union([z.string(), z.array(contentPartSchema)]) }))
    .min(1),
});

/**
 * The first `count` values in a plain array: a typed array that large lives outside the heap, and
 * making one per remembered request cost more than the rest of a short request's decision.
 */
function plainCopy(values: ArrayLike<number>, count: number): number[] {
  const copy = new Array<number>(count);
  for (let index = 0; index < count; index++) copy[index] = values[index]!;
  return copy;
}

/** The shape `requestSchema` checks, tested without allocating; zod runs only to name what is wrong. */
function isWellFormed(request: unknown): boolean {
  if (typeof request !== 'object' || request === null) return false;
  const { messages } = request as { messages?: unknown };
  if (!Array.isArray(messages) || messages.length === 0) return false;
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) return false;
    const { role, content } = message as { role?: unknown; content?: unknown };
    // Content parts (images, files) take the schema's path, which checks each part.
    if (typeof role !== 'string' || typeof content !== 'string') return false;
  }
  return true;
}

/**
 * Creates the router.
 * @throws ValidationError on bad options (the field is named).
 * @example
 * ```ts
 * const router = createRouter({ providers: ['openai', 'anthropic'], cascade: { threshold: 0.6 } });
 * const gateway = createGateway({ router, tenants, keys, providers });
 * router.attach(gateway.events);
 * ```
 */
export function createRouter(options: RouterOptions = {}): Router {
  const settings: ResolvedRouterOptions = resolveRouterOptions(options);
  const { catalog } = settings;
  const prior = priorWeights();
  const learner = createOnlineLearner({ prior, priorWeight }, settings.learner);
  const memory = createLru<string, Remembered>(settings.memory);
  const recorder = createStatsRecorder({
    catalog,
    providers: settings.providers,
    pendingLimit: settings.memory,
    ...(settings.baselineModel ? { baselineModel: settings.baselineModel } : {}),
  });
  const leaseWaits = createLeaseWaits();
  if (settings.events) {
    recorder.attach(settings.events);
    leaseWaits.attach(settings.events);
  }
  /** The key pool's headroom, lowered where this tenant's requests recently waited for keys. */
  const headroomFor = (tenantId: string, route: RouteContext | undefined) => {
    const pool = route?.headroom;
    return (provider: string) =>
      Math.min(pool ? pool(provider) : 1, 1 - leaseWaits.pressure(tenantId, provider));
  };
  const selection = {
    catalog,
    providers: settings.providers,
    ladder: settings.ladder,
    profiles: settings.profiles,
    preferenceShifts: settings.preferenceShifts,
    strategy: settings.strategy,
    choice: settings.choice,
    cascade: settings.cascade.enabled,
    maxEscalations: settings.cascade.maxEscalations,
    maxFallbacks: settings.maxFallbacks,
    honourModelHint: settings.honourModelHint,
    floors: settings.floors,
    expectedOutputTokens: settings.expectedOutputTokens,
    minimumQuality: settings.minimumQuality,
    thresholds: settings.thresholds,
  };
  const judgeSettings = {
    threshold: settings.cascade.threshold,
    hedgingPhrases: settings.cascade.hedgingPhrases,
    refusalPhrases: settings.cascade.refusalPhrases,
    minimumWords: settings.cascade.minimumWords,
    verifiers: settings.cascade.verifiers,
  };

  // The dense features of the current decision; copied when the decision is remembered.
  const dense = new Float64Array(denseSize);
  const analyze = (request: ChatRequest, context?: AnalysisContext) => {
    if (!isWellFormed(request)) parseWith(requestSchema, request, 'chat request');
    return analyzeRequest(request, context, settings.thresholds);
  };

  /** Expected cost of each tier's cheapest eligible model, relative to the dearest tier. */
  function relativeCosts(
    request: ChatRequest,
    policy: TenantPolicy,
    analysis: Analysis,
    inputTokens: number,
  ) {
    const tokens = {
      input: inputTokens,
      output: request.maxTokens ?? settings.expectedOutputTokens[analysis.level],
    };
    const models = eligibleModels(catalog, policy, request, settings.providers, tokens);
    const cheapest = {} as Record<ModelTier, number>;
    for (const tier of modelTiers) {
      const costs = models
        .filter((model) => model.tier === tier)
        .map((model) => expectedCostMicros(catalog, model, tokens));
      cheapest[tier] = costs.length > 0 ? Math.min(...costs) : Infinity;
    }
    const top = Math.max(1, ...Object.values(cheapest).filter(Number.isFinite));
    for (const tier of modelTiers) cheapest[tier] /= top;
    return cheapest;
  }

  /**
   * The tier the learner asks for: the small tier while exploring (ε) or when a warm tenant's
   * expected loss λ·p costs less than the step up saves; a step up from small when it does not.
   */
  function learnedTier(
    tenantId: string,
    probability: number,
    analysis: Analysis,
    costs: () => Record<ModelTier, number>,
  ): { tier: ModelTier; reason: string } | undefined {
    const seen = learner.observations(tenantId);
    // Only tenants whose feedback flows are explored: elsewhere a try would teach nothing.
    if (seen > 0 && analysis.level !== 'critical' && learner.explore())
      return { tier: 'small', reason: 'exploring the small tier to learn (ε)' };
    // Other strategies read the probability itself; the tier-first ladder needs a tier.
    if (settings.strategy !== 'ladder' || seen < settings.learnerMinimum) return undefined;
    const relative = costs();
    const saving = relative.standard - relative.small;
    if (!Number.isFinite(saving)) return undefined;
    const loss = settings.learnerLambda * probability;
    if (loss < saving)
      return { tier: 'small', reason: `learned: λ·p ${twoDecimals(loss)} < saving ${twoDecimals(saving)}` };
    if (analysis.level === 'simple')
      return {
        tier: 'standard',
        reason: `learned: λ·p ${twoDecimals(loss)} ≥ saving ${twoDecimals(saving)}`,
      };
    return undefined;
  }

  return checkedRouter({
    specificationVersion: 'v1',
    analyze,
    decide(request, policy, route) {
      if (!isWellFormed(request)) parseWith(requestSchema, request, 'chat request');
      const input = readDifficultyInput(request, { thresholds: settings.thresholds, dense });
      const { analysis } = input;
      const inputTokens = route?.estimatedInputTokens ?? estimateTokens(request).input;
      const features = { dense: input.dense, slots: input.sketch.slots, count: input.sketch.count };
      // The prior's part is centred on its training mean: it reorders, the hand-written score calibrates.
      const offset = scoreLogit(analysis.score, settings.thresholds) - priorWeight * prior.bias;
      const probability = learner.probability(policy.id, features, offset);
      const learned = learner.enabled
        ? learnedTier(policy.id, probability, analysis, () =>
            relativeCosts(request, policy, analysis, inputTokens),
          )
        : undefined;
      const { decision, tier } = selectModel(
        {
          analysis,
          request,
          policy,
          remainingBudgetMicros: route?.remainingBudgetMicros ?? null,
          inputTokens,
          difficulty: probability,
          headroom: headroomFor(policy.id, route),
          ...(route?.providers ? { providers: route.providers } : {}),
          ...(learned ? { learnedTier: learned } : {}),
        },
        selection,
      );
      if (learner.enabled && route?.context.requestId) {
        const kept = {
          dense: plainCopy(input.dense, denseSize),
          slots: plainCopy(features.slots, features.count),
        };
        memory.set(route.context.requestId, {
          tenantId: policy.id,
          features: kept,
          offset,
          tier,
          escalates: decision.ladder.length > 0,
          pending: false,
          learned: false,
          strongLearned: false,
        });
      }
      const seen = learner.observations(policy.id);
      decision.reasons.push(
        `P(a stronger model answers better) ${twoDecimals(probability)} (prior${seen > 0 ? ` + ${seen} feedback` : ''})`,
      );
      decision.score = Math.round(probability * 1000) / 1000;
      return decision;
    },
    judge: (result, decision, request, judgeContext) =>
      judgeAnswer(result, decision, request, judgeSettings, judgeContext),
    feedback(input) {
      const feedback = readRouteFeedback(input);
      const remembered = memory.get(feedback.requestId);
      if (!remembered || (feedback.tenantId !== undefined && feedback.tenantId !== remembered.tenantId))
        return;
      const { outcome } = feedback;
      const learn = (better: number, weight = 1) => {
        if (remembered.learned) return;
        remembered.learned = true;
        learner.update(remembered.tenantId, remembered.features, better, weight, remembered.offset);
      };
      if (outcome.type === 'cascade') {
        if ((catalog.get(outcome.from)?.tier ?? remembered.tier) === 'small') remembered.pending = true;
        remembered.tier = catalog.get(outcome.to)?.tier ?? remembered.tier;
        return;
      }
      const served = (feedback.model && catalog.get(feedback.model.model)?.tier) || remembered.tier;
      // Scores above 1 are read as a 1-to-5 rating.
      const quality = outcome.score > 1 ? (outcome.score - 1) / 4 : outcome.score;
      const good = quality >= 0.5;
      if (served === 'small') {
        // A failed small answer waits for the stronger answer's verdict when the ladder has one.
        if (good) learn(0);
        else if (remembered.escalates) remembered.pending = true;
        else learn(1 - quality);
        return;
      }
      // Every strong answer's verdict teaches the strong head where the strong model fails.
      if (!remembered.strongLearned) {
        remembered.strongLearned = true;
        learner.updateStrong(remembered.tenantId, remembered.features, good ? 0 : 1, 1, remembered.offset);
      }
      if (remembered.pending) learn(quality);
      // A failed strong answer says escalating would not have helped, but only the strong answers
      // that fail give such a label (the good ones say nothing of the small model's), so it weighs
      // little: at full weight it would teach that every request served strong is easy.
      else if (!good) learn(0, strongFailureWeight);
    },
    observe: (result) => recorder.observe(result),
    attach(events) {
      const stops = [recorder.attach(events), leaseWaits.attach(events)];
      return () => {
        for (const stop of stops) stop();
      };
    },
    stats: () => recorder.snapshot(),
    exportState: () => learner.exportState(),
    importState: (state) => learner.importState(state),
  });
}
