import {
  BudgetExceededError,
  type Catalog,
  type ChatRequest,
  type ComplexityLevel,
  type ModelInfo,
  type ModelTier,
  type Preference,
  type RouteDecision,
  type RouteRung,
  type TenantPolicy,
} from '@forge1/core';
import type { Analysis } from '../analyze/analyze-request.js';
import type { LevelThresholds } from '../analyze/score-signals.js';
import { twoDecimals } from '../two-decimals.js';
import { eligibleModels, expectedCostMicros } from './eligible-models.js';
import {
  capacityPenalty,
  failureFromLogOdds,
  lambdaFor,
  logOdds,
  type ResolvedChoiceOptions,
} from './expected-loss.js';
import { baseTierIndex, type IndustryProfile, modelTiers } from './profiles.js';
import {
  affordable,
  type Candidate,
  fallbacksOf,
  pickInTier,
  ranksBefore,
  strongerRung,
  tierIndex,
} from './rungs.js';

/**
 * How the first model is picked: `expected-loss` (least expected cost + λ × expected quality loss
 * over every eligible model), `ladder` (a tier by level, then the best of that tier) or
 * `cost-efficiency` (best quality per expected cost above a per-level minimum quality).
 */
export type SelectionStrategy = 'expected-loss' | 'ladder' | 'cost-efficiency';

/** Settings of {@link selectModel}, resolved from the router's options. */
export interface SelectionSettings {
  catalog: Catalog;
  /** Providers the host configured, or null for every provider of the catalog. */
  providers: ReadonlySet<string> | null;
  /** Preferred model ids per tier, best first; tiers left out rank the catalog's models. */
  ladder: Partial<Record<ModelTier, readonly string[]>>;
  profiles: Readonly<Record<string, IndustryProfile>>;
  preferenceShifts: Readonly<Record<Preference, number>>;
  strategy: SelectionStrategy;
  choice: ResolvedChoiceOptions;
  cascade: boolean;
  maxEscalations: number;
  maxFallbacks: number;
  honourModelHint: boolean;
  /** Weakest tier allowed per level, even under budget pressure. */
  floors: Readonly<Partial<Record<ComplexityLevel, ModelTier>>>;
  expectedOutputTokens: Readonly<Record<ComplexityLevel, number>>;
  /** Least model quality per level under the cost-efficiency strategy. */
  minimumQuality: Readonly<Record<ComplexityLevel, number>>;
  thresholds: LevelThresholds;
}

/** What {@link selectModel} needs to know about one request. */
export interface SelectionInput {
  analysis: Analysis;
  request: ChatRequest;
  policy: TenantPolicy;
  remainingBudgetMicros: number | null;
  inputTokens: number;
  /** Probability that a small-tier answer is not good enough. */
  difficulty: number;
  /** Free key capacity per provider, 0 (saturated) to 1 (idle); absent: every provider idle. */
  headroom?: (provider: string) => number;
  /** Providers the gateway can call now; absent: unknown (the host's providers). */
  providers?: readonly string[];
  /** A tier chosen by a learned policy, used instead of the heuristic's. */
  learnedTier?: { tier: ModelTier; reason: string };
}

/** The decision, plus the tier of its first model. */
export interface Selection {
  decision: RouteDecision;
  tier: ModelTier;
}

// Penalty on log10 of the cost relative to the cheapest model of the tier, per preference (ladder strategy).
const costWeight: Record<Preference, number> = { quality: 0, balanced: 0.05, cost: 0.15 };

function bandPosition(analysis: Analysis, thresholds: LevelThresholds): number {
  const bounds: Record<ComplexityLevel, [number, number]> = {
    simple: [0, thresholds.simple],
    moderate: [thresholds.simple, thresholds.moderate],
    complex: [thresholds.moderate, thresholds.complex],
    critical: [thresholds.complex, 1],
  };
  const [low, high] = bounds[analysis.level];
  return high > low ? Math.min(1, Math.max(0, (analysis.score - low) / (high - low))) : 0.5;
}

/** Each distinct provider of `models` with its headroom, read once per decision. */
function headroomOf(
  models: readonly ModelInfo[],
  headroom: (provider: string) => number,
): Array<{ provider: string; free: number }> {
  const providers: Array<{ provider: string; free: number }> = [];
  for (const model of models)
    if (!providers.some((entry) => entry.provider === model.provider))
      providers.push({ provider: model.provider, free: headroom(model.provider) });
  return providers;
}

/** The candidate of least objective, the first id of equals. */
function least(candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  for (const candidate of candidates) {
    if (
      best === undefined ||
      (candidate.objective - best.objective || candidate.model.id.localeCompare(best.model.id)) < 0
    )
      best = candidate;
  }
  return best;
}

/**
 * Picks the first model, the stronger rungs to escalate to and the fallbacks of each, within
 * the tenant's allow-lists and regions, the host's and gateway's providers and the remaining budget.
 * @throws BudgetExceededError when nothing affordable is left, or when the policy refuses;
 * ResidencyError when no capable model is in the tenant's regions.
 */
export function selectModel(input: SelectionInput, settings: SelectionSettings): Selection {
  const { analysis, request, policy } = input;
  const { catalog, choice } = settings;
  const reasons = [`level ${analysis.level} (score ${twoDecimals(analysis.score)})`];
  const tokens = {
    input: input.inputTokens,
    output: request.maxTokens ?? settings.expectedOutputTokens[analysis.level],
  };
  const all = catalog.list();
  const models = eligibleModels(catalog, policy, request, settings.providers, tokens, all, input.providers);
  if (models.length === 0) {
    throw new BudgetExceededError(`No model is available to tenant "${policy.id}" for this request`, {
      tenantId: policy.id,
    });
  }
  const remaining = input.remainingBudgetMicros;
  const lambda =
    lambdaFor(
      policy.industry,
      policy.preference,
      settings.profiles,
      settings.preferenceShifts,
      choice.lambda,
    ) * choice.levelWeights[analysis.level];
  // The catalog's dearest model, not the eligible one's, so that λ means the same for every tenant;
  // list prices are exact enough for a scale.
  let dearest = 1;
  for (const model of all) {
    const { inputPerMillionMicros, outputPerMillionMicros } = model.prices;
    const output = Math.min(tokens.output, model.maxOutputTokens);
    const micros = (tokens.input * inputPerMillionMicros + output * outputPerMillionMicros) / 1e6;
    if (micros > dearest) dearest = micros;
  }
  const headroom = input.headroom ? headroomOf(models, input.headroom) : undefined;
  // A tenant whose λ is below the base (cost-first, low-stakes industry) accepts running nearer a
  // provider's limit: the knee and the weight shrink with it, so it leaves its cheapest model only
  // when that provider is close to queueing, not whenever a higher tier's reserve narrows its share.
  const stake = choice.lambda > 0 ? Math.min(1, lambda / choice.lambda) : 1;
  const waitWeight = choice.capacityWeight * stake;
  const waitKnee = choice.capacityKnee * stake;
  const odds = logOdds(input.difficulty);
  // Every figure of a model is computed once here; the choices below compare candidates.
  const candidates: Candidate[] = models.map((model) => {
    const cost = expectedCostMicros(catalog, model, tokens);
    const free = headroom?.find((entry) => entry.provider === model.provider)?.free;
    const busy = free === undefined ? 0 : capacityPenalty(free, waitWeight, waitKnee);
    const objective = cost / dearest + lambda * failureFromLogOdds(odds, model.quality, choice) + busy;
    const position = settings.ladder[model.tier]?.indexOf(model.id) ?? -1;
    return {
      model,
      tier: tierIndex(model.tier),
      cost,
      objective,
      position: position < 0 ? Infinity : position,
      key: objective,
      busy,
    };
  });
  if (settings.strategy === 'ladder') legacyKeys(candidates, policy.preference);

  let floor = tierIndex(settings.floors[analysis.level] ?? 'small');
  const families = analysis.signals.families;
  // High-stakes words (incidents, harm, law, compliance, health, money, production) keep a request off the smallest tier even when the level says simple.
  if (floor === 0 && (families.critical > 0 || families.compliance > 0 || families.stakes > 0)) {
    floor = 1;
    reasons.push('high-stakes keywords: at least the standard tier');
  }
  const aboveFloor = candidates.filter((candidate) => candidate.tier >= floor);

  let chosen: Candidate | undefined;
  const hinted =
    request.model === undefined
      ? undefined
      : candidates.find((candidate) => candidate.model.id === request.model);
  if (settings.honourModelHint && hinted && hinted.tier >= floor) {
    chosen = hinted;
    reasons.push(`caller asked for ${hinted.model.id}`);
  } else if (input.learnedTier) {
    reasons.push(input.learnedTier.reason);
    chosen = pickInTier(candidates, Math.max(floor, tierIndex(input.learnedTier.tier)), floor);
  } else if (settings.strategy === 'cost-efficiency') {
    const profile = settings.profiles[policy.industry] ?? { shift: 0 };
    const minimum = settings.minimumQuality[analysis.level] + 0.05 * profile.shift;
    const value = (candidate: Candidate) => candidate.model.quality / Math.max(1, candidate.cost);
    for (const candidate of aboveFloor) {
      if (candidate.model.quality < minimum || !affordable(candidate, remaining)) continue;
      if (chosen === undefined || value(candidate) > value(chosen)) chosen = candidate;
    }
    if (chosen)
      reasons.push(`cost-efficiency: best quality per expected cost with quality ≥ ${twoDecimals(minimum)}`);
    else chosen = least(aboveFloor);
  } else if (settings.strategy === 'ladder') {
    chosen = pickInTier(candidates, ladderTarget(analysis, policy, settings, floor, reasons), floor);
  } else {
    chosen = least(aboveFloor);
    if (chosen) {
      reasons.push(
        `least expected cost + λ ${twoDecimals(lambda)} × quality loss (p ${twoDecimals(input.difficulty)}, ` +
          `${policy.industry}, ${policy.preference})`,
      );
    }
  }
  if (!chosen)
    throw new BudgetExceededError(`No model at or above the floor for tenant "${policy.id}"`, {
      tenantId: policy.id,
    });

  if (!affordable(chosen, remaining)) {
    const message = `Tenant "${policy.id}" cannot afford ${chosen.model.id} (expected ${chosen.cost} µ$, ${remaining} µ$ left)`;
    if (policy.budget.onExceeded === 'refuse') throw budgetError(message, policy, remaining);
    const top = chosen.tier;
    const within = aboveFloor.filter(
      (candidate) => affordable(candidate, remaining) && candidate.tier <= top,
    );
    let cheaper: Candidate | undefined;
    if (settings.strategy !== 'ladder') cheaper = least(within);
    else
      for (const candidate of within)
        if (
          cheaper === undefined ||
          candidate.tier > cheaper.tier ||
          (candidate.tier === cheaper.tier && ranksBefore(candidate, cheaper))
        )
          cheaper = candidate;
    if (!cheaper)
      throw budgetError(
        `${message}; no affordable model at or above ${modelTiers[floor]}`,
        policy,
        remaining,
      );
    reasons.push(`downgraded from ${chosen.model.id} to ${cheaper.model.id}: budget (${remaining} µ$ left)`);
    chosen = cheaper;
  }
  reasons.push(`${chosen.model.tier} tier: ${chosen.model.provider}/${chosen.model.id}`);
  const short = headroom?.filter(({ free }) => free < 0.95) ?? [];
  if (short.length > 0)
    reasons.push(
      `key headroom: ${short.map(({ provider, free }) => `${provider} ${twoDecimals(free)}`).join(', ')}`,
    );

  const spentFirst = chosen.cost;
  const ladder: RouteRung[] = [];
  if (settings.cascade) {
    let spent = spentFirst;
    let current = chosen;
    while (ladder.length < settings.maxEscalations) {
      const next = strongerRung(candidates, current, remaining, spent);
      if (!next) break;
      spent += next.cost;
      const before = spent - next.cost;
      ladder.push({
        provider: next.model.provider,
        model: next.model.id,
        fallbacks: fallbacksOf(next, candidates, remaining, before, settings.maxFallbacks),
      });
      current = next;
    }
  }
  for (const reason of analysis.reasons) reasons.push(reason);
  const decision: RouteDecision = {
    provider: chosen.model.provider,
    model: chosen.model.id,
    fallbacks: fallbacksOf(chosen, candidates, remaining, 0, settings.maxFallbacks),
    level: analysis.level,
    score: analysis.score,
    reasons,
    ladder,
    estimatedCostMicros: spentFirst,
  };
  return { decision, tier: chosen.model.tier };
}

/** The ladder strategy's tier: the level's base tier moved by the industry and preference shifts. */
function ladderTarget(
  analysis: Analysis,
  policy: TenantPolicy,
  settings: SelectionSettings,
  floor: number,
  reasons: string[],
): number {
  const profile = settings.profiles[policy.industry] ?? { shift: 0 };
  const shift = profile.shift + settings.preferenceShifts[policy.preference];
  const offset = (bandPosition(analysis, settings.thresholds) - 0.5) * 0.8;
  const position =
    baseTierIndex[analysis.level] + (analysis.level === 'critical' ? Math.max(0, offset) : offset) + shift;
  if (shift !== 0)
    reasons.push(
      `${policy.industry} industry, ${policy.preference} preference: shift ${shift > 0 ? '+' : ''}${shift}`,
    );
  return Math.max(floor, Math.min(2, Math.round(position)));
}

/** The ladder strategy's order inside a tier: quality with a small penalty on relative cost. */
function legacyKeys(candidates: Candidate[], preference: Preference): void {
  const cheapest = [Infinity, Infinity, Infinity];
  for (const { tier, cost } of candidates) cheapest[tier] = Math.min(cheapest[tier]!, Math.max(1, cost));
  for (const candidate of candidates) {
    const relative = Math.max(1, candidate.cost) / cheapest[candidate.tier]!;
    candidate.key = -(candidate.model.quality - costWeight[preference] * Math.log10(relative));
  }
}

function budgetError(message: string, policy: TenantPolicy, remaining: number | null): BudgetExceededError {
  const limit = policy.budget.monthlyMicros;
  return new BudgetExceededError(message, {
    tenantId: policy.id,
    ...(limit === null
      ? {}
      : { limit, ...(remaining === null ? {} : { used: Math.max(0, limit - remaining) }) }),
  });
}
