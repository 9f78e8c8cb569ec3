import {
  BudgetExceededError,
  type Catalog,
  type ChatRequest,
  type ComplexityLevel,
  type ModelInfo,
  type ModelRef,
  type ModelTier,
  type Preference,
  type RouteDecision,
  type RouteRung,
  type TenantPolicy,
} from '@forge1/core';
import type { Analysis } from '../analyze/analyze-request.js';
import type { LevelThresholds } from '../analyze/score-signals.js';
import { eligibleModels, expectedCostMicros } from './eligible-models.js';
import { baseTierIndex, type IndustryProfile, modelTiers } from './profiles.js';

/** How the first model is picked: the tier ladder, or the best quality per expected cost. */
export type SelectionStrategy = 'ladder' | 'cost-efficiency';

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
  /** A tier chosen by a learned policy, used instead of the heuristic's. */
  learnedTier?: { tier: ModelTier; reason: string };
}

/** The decision, plus the tier of its first model. */
export interface Selection {
  decision: RouteDecision;
  tier: ModelTier;
}

const tierIndex = (tier: ModelTier) => modelTiers.indexOf(tier);
// Penalty on log10 of the cost relative to the cheapest model of the tier, per preference.
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

/**
 * Picks the first model, the stronger rungs to escalate to and the fallbacks of each, within
 * the tenant's allow-lists, the host's providers and the remaining budget.
 * @throws BudgetExceededError when nothing affordable is left, or when the policy refuses.
 */
export function selectModel(input: SelectionInput, settings: SelectionSettings): Selection {
  const { analysis, request, policy } = input;
  const { catalog } = settings;
  const reasons = [`level ${analysis.level} (score ${analysis.score.toFixed(2)})`];
  const tokens = {
    input: input.inputTokens,
    output: request.maxTokens ?? settings.expectedOutputTokens[analysis.level],
  };
  const models = eligibleModels(catalog, policy, request, settings.providers, tokens);
  if (models.length === 0) {
    throw new BudgetExceededError(`No model is available to tenant "${policy.id}" for this request`, {
      tenantId: policy.id,
    });
  }
  const costs = new Map(models.map((model) => [model.id, expectedCostMicros(catalog, model, tokens)]));
  const cost = (model: ModelInfo) => costs.get(model.id)!;
  const remaining = input.remainingBudgetMicros;
  const affordable = (model: ModelInfo, spent = 0) => remaining === null || spent + cost(model) <= remaining;

  const rank = rankWithinTier(models, cost, settings.ladder, policy.preference);
  let floor = tierIndex(settings.floors[analysis.level] ?? 'small');
  const families = analysis.signals.families;
  // High-stakes words (incidents, harm, law, compliance, health, money, production) keep a request off the smallest tier even when the level says simple.
  if (floor === 0 && (families.critical > 0 || families.compliance > 0 || families.stakes > 0)) {
    floor = 1;
    reasons.push('high-stakes keywords: at least the standard tier');
  }

  let target: number;
  let chosen: ModelInfo | undefined;
  const hinted = request.model === undefined ? undefined : models.find((model) => model.id === request.model);
  if (settings.honourModelHint && hinted && tierIndex(hinted.tier) >= floor) {
    chosen = hinted;
    target = tierIndex(hinted.tier);
    reasons.push(`caller asked for ${hinted.id}`);
  } else if (input.learnedTier) {
    target = Math.max(floor, tierIndex(input.learnedTier.tier));
    reasons.push(input.learnedTier.reason);
  } else {
    const profile = settings.profiles[policy.industry] ?? { shift: 0 };
    const shift = profile.shift + settings.preferenceShifts[policy.preference];
    const offset = (bandPosition(analysis, settings.thresholds) - 0.5) * 0.8;
    const position =
      baseTierIndex[analysis.level] + (analysis.level === 'critical' ? Math.max(0, offset) : offset) + shift;
    target = Math.max(floor, Math.min(2, Math.round(position)));
    if (shift !== 0)
      reasons.push(
        `${policy.industry} industry, ${policy.preference} preference: shift ${shift > 0 ? '+' : ''}${shift}`,
      );
  }

  if (!chosen && settings.strategy === 'cost-efficiency') {
    const profile = settings.profiles[policy.industry] ?? { shift: 0 };
    const least = settings.minimumQuality[analysis.level] + 0.05 * profile.shift;
    const good = models.filter(
      (model) => model.quality >= least && tierIndex(model.tier) >= floor && affordable(model),
    );
    chosen = good.sort((a, b) => b.quality / Math.max(1, cost(b)) - a.quality / Math.max(1, cost(a)))[0];
    if (chosen) {
      target = tierIndex(chosen.tier);
      reasons.push(`cost-efficiency: best quality per expected cost with quality ≥ ${least.toFixed(2)}`);
    }
  }
  chosen ??= pickInTier(models, rank, target, floor);
  if (!chosen)
    throw new BudgetExceededError(`No model at or above the floor for tenant "${policy.id}"`, {
      tenantId: policy.id,
    });

  if (!affordable(chosen)) {
    const message = `Tenant "${policy.id}" cannot afford ${chosen.id} (expected ${cost(chosen)} µ$, ${remaining} µ$ left)`;
    if (policy.budget.onExceeded === 'refuse') throw budgetError(message, policy, remaining);
    const cheaper = [...models]
      .filter(
        (model) =>
          affordable(model) &&
          tierIndex(model.tier) >= floor &&
          tierIndex(model.tier) <= tierIndex(chosen!.tier),
      )
      .sort((a, b) => tierIndex(b.tier) - tierIndex(a.tier) || rank(a) - rank(b))[0];
    if (!cheaper)
      throw budgetError(
        `${message}; no affordable model at or above ${modelTiers[floor]}`,
        policy,
        remaining,
      );
    reasons.push(`downgraded from ${chosen.id} to ${cheaper.id}: budget (${remaining} µ$ left)`);
    chosen = cheaper;
  }
  reasons.push(`${chosen.tier} tier: ${chosen.provider}/${chosen.id}`);

  const spentFirst = cost(chosen);
  const ladder: RouteRung[] = [];
  if (settings.cascade) {
    let spent = spentFirst;
    let current = chosen;
    while (ladder.length < settings.maxEscalations) {
      const next = strongerRung(models, rank, current, (model) => affordable(model, spent));
      if (!next) break;
      spent += cost(next);
      ladder.push({
        ...ref(next),
        fallbacks: fallbacksOf(
          next,
          models,
          (model) => affordable(model, spent - cost(next)),
          settings.maxFallbacks,
        ),
      });
      current = next;
    }
  }
  const decision: RouteDecision = {
    ...ref(chosen),
    fallbacks: fallbacksOf(chosen, models, (model) => affordable(model), settings.maxFallbacks),
    level: analysis.level,
    score: analysis.score,
    reasons: [...reasons, ...analysis.reasons],
    ladder,
    estimatedCostMicros: spentFirst,
  };
  return { decision, tier: chosen.tier };
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

const ref = (model: ModelInfo): ModelRef => ({ provider: model.provider, model: model.id });

/** A rank function: lower is preferred. Configured ladders first, then utility by preference. */
function rankWithinTier(
  models: readonly ModelInfo[],
  cost: (model: ModelInfo) => number,
  ladder: Partial<Record<ModelTier, readonly string[]>>,
  preference: Preference,
): (model: ModelInfo) => number {
  const ranks = new Map<string, number>();
  for (const tier of modelTiers) {
    const inTier = models.filter((model) => model.tier === tier);
    const cheapest = Math.max(1, Math.min(...inTier.map(cost)));
    const utility = (model: ModelInfo) =>
      model.quality - costWeight[preference] * Math.log10(Math.max(1, cost(model)) / cheapest);
    const configured = ladder[tier] ?? [];
    // Position in the configured ladder and utility, computed once per model rather than per comparison.
    const keys = new Map(
      inTier.map((model) => {
        const position = configured.indexOf(model.id);
        return [model.id, { position: position < 0 ? Infinity : position, utility: utility(model) }];
      }),
    );
    const sorted = [...inTier].sort((a, b) => {
      const ka = keys.get(a.id)!;
      const kb = keys.get(b.id)!;
      if (ka.position !== kb.position) return ka.position - kb.position;
      return kb.utility - ka.utility || a.id.localeCompare(b.id);
    });
    sorted.forEach((model, index) => {
      ranks.set(model.id, index);
    });
  }
  return (model) => ranks.get(model.id) ?? Infinity;
}

/** The preferred model of the target tier, else the nearest tier that has one (upwards first). */
function pickInTier(
  models: readonly ModelInfo[],
  rank: (model: ModelInfo) => number,
  target: number,
  floor: number,
) {
  const order = [target, target + 1, target + 2, target - 1, target - 2].filter(
    (index) => index >= floor && index <= 2,
  );
  for (const index of order) {
    const best = models
      .filter((model) => tierIndex(model.tier) === index)
      .sort((a, b) => rank(a) - rank(b))[0];
    if (best) return best;
  }
  return undefined;
}

/** The next rung up: the preferred model of the next tier, or a clearly better model of the top tier. */
function strongerRung(
  models: readonly ModelInfo[],
  rank: (model: ModelInfo) => number,
  current: ModelInfo,
  affordable: (model: ModelInfo) => boolean,
): ModelInfo | undefined {
  for (let index = tierIndex(current.tier) + 1; index <= 2; index++) {
    const found = models
      .filter(
        (model) => tierIndex(model.tier) === index && model.quality > current.quality && affordable(model),
      )
      .sort((a, b) => rank(a) - rank(b))[0];
    if (found) return found;
  }
  return models
    .filter(
      (model) => model.tier === current.tier && model.quality >= current.quality + 0.02 && affordable(model),
    )
    .sort((a, b) => b.quality - a.quality)[0];
}

/** Equivalent models on other providers: same tier, closest quality, then cheapest; one per provider. */
export function fallbacksOf(
  model: ModelInfo,
  models: readonly ModelInfo[],
  affordable: (model: ModelInfo) => boolean,
  limit: number,
): ModelRef[] {
  const seen = new Set([model.provider]);
  const result: ModelRef[] = [];
  const candidates = models
    .filter((other) => other.tier === model.tier && other.provider !== model.provider && affordable(other))
    .sort(
      (a, b) =>
        Math.abs(a.quality - model.quality) - Math.abs(b.quality - model.quality) ||
        a.prices.outputPerMillionMicros - b.prices.outputPerMillionMicros ||
        a.id.localeCompare(b.id),
    );
  for (const candidate of candidates) {
    if (result.length >= limit) break;
    if (seen.has(candidate.provider)) continue;
    seen.add(candidate.provider);
    result.push(ref(candidate));
  }
  return result;
}
