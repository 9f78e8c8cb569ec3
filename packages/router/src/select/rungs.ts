import type { ModelInfo, ModelRef, ModelTier } from '@forge1/core';
import { modelTiers } from './profiles.js';

/** A rank function: lower is preferred. */
export type Rank = (model: ModelInfo) => number;

export const tierIndex = (tier: ModelTier) => modelTiers.indexOf(tier);

export const ref = (model: ModelInfo): ModelRef => ({ provider: model.provider, model: model.id });

/**
 * Ranks the models of each tier: a configured ladder first, then by `key` (lower first), then by
 * id. Keys are computed once per model rather than per comparison.
 */
export function rankWithinTier(
  models: readonly ModelInfo[],
  ladder: Partial<Record<ModelTier, readonly string[]>>,
  key: (model: ModelInfo) => number,
): Rank {
  const ranks = new Map<string, number>();
  for (const tier of modelTiers) {
    const configured = ladder[tier] ?? [];
    const keyed = models
      .filter((model) => model.tier === tier)
      .map((model) => {
        const position = configured.indexOf(model.id);
        return { model, position: position < 0 ? Infinity : position, key: key(model) };
      })
      .sort((a, b) => a.position - b.position || a.key - b.key || a.model.id.localeCompare(b.model.id));
    keyed.forEach((entry, index) => {
      ranks.set(entry.model.id, index);
    });
  }
  return (model) => ranks.get(model.id) ?? Infinity;
}

/** The preferred model of the target tier, else the nearest tier that has one (upwards first). */
export function pickInTier(models: readonly ModelInfo[], rank: Rank, target: number, floor: number) {
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
export function strongerRung(
  models: readonly ModelInfo[],
  rank: Rank,
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

/**
 * Equivalent models on other providers, one per provider: same tier, ordered by quality gap plus
 * the provider's `busy` penalty (0 when the key pool reports no headroom), then by price.
 */
export function fallbacksOf(
  model: ModelInfo,
  models: readonly ModelInfo[],
  affordable: (model: ModelInfo) => boolean,
  limit: number,
  busy: (provider: string) => number = () => 0,
): ModelRef[] {
  const seen = new Set([model.provider]);
  const result: ModelRef[] = [];
  const candidates = models
    .filter((other) => other.tier === model.tier && other.provider !== model.provider && affordable(other))
    .map((other) => ({ other, key: Math.abs(other.quality - model.quality) + busy(other.provider) }))
    .sort(
      (a, b) =>
        a.key - b.key ||
        a.other.prices.outputPerMillionMicros - b.other.prices.outputPerMillionMicros ||
        a.other.id.localeCompare(b.other.id),
    );
  for (const { other } of candidates) {
    if (result.length >= limit) break;
    if (seen.has(other.provider)) continue;
    seen.add(other.provider);
    result.push(ref(other));
  }
  return result;
}
