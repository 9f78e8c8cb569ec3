import type { ModelInfo, ModelRef, ModelTier } from '@forge1/core';
import { modelTiers } from './profiles.js';

/** An eligible model and what one decision computed for it, once. */
export interface Candidate {
  model: ModelInfo;
  /** Index of its tier in `modelTiers`. */
  tier: number;
  /** Expected cost of the request, in micro-dollars. */
  cost: number;
  /** Relative cost + λ × expected quality loss + the capacity penalty: lower is preferred. */
  objective: number;
  /** Position in the configured ladder of its tier; Infinity when the ladder does not name it. */
  position: number;
  /** Order inside the tier after the ladder's: lower first. */
  key: number;
  /** Capacity penalty of its provider (0 when the key pool reports no headroom). */
  busy: number;
}

export const tierIndex = (tier: ModelTier) => modelTiers.indexOf(tier);

export const ref = (model: ModelInfo): ModelRef => ({ provider: model.provider, model: model.id });

/** True when `a` ranks before `b` in their tier: a configured ladder first, then by key, then by id. */
export function ranksBefore(a: Candidate, b: Candidate): boolean {
  return (a.position - b.position || a.key - b.key || a.model.id.localeCompare(b.model.id)) < 0;
}

/** True when the budget left after `spent` covers the candidate (`remaining` null: no budget). */
export const affordable = (candidate: Candidate, remaining: number | null, spent = 0): boolean =>
  remaining === null || spent + candidate.cost <= remaining;

// Tiers tried from a target tier: the target, then upwards, then downwards.
const searchOrder = [0, 1, 2, -1, -2];

/** The preferred model of the target tier, else the nearest tier that has one (upwards first). */
export function pickInTier(
  candidates: readonly Candidate[],
  target: number,
  floor: number,
): Candidate | undefined {
  for (const offset of searchOrder) {
    const index = target + offset;
    if (index < floor || index > 2) continue;
    let best: Candidate | undefined;
    for (const candidate of candidates)
      if (candidate.tier === index && (best === undefined || ranksBefore(candidate, best))) best = candidate;
    if (best) return best;
  }
  return undefined;
}

/**
 * The next rung up, affordable after `spent`: the preferred model of the next tier that is better
 * than `current`, or a clearly better model of its own tier (the best, the first of equals).
 */
export function strongerRung(
  candidates: readonly Candidate[],
  current: Candidate,
  remaining: number | null,
  spent: number,
): Candidate | undefined {
  const quality = current.model.quality;
  for (let index = current.tier + 1; index <= 2; index++) {
    let found: Candidate | undefined;
    for (const candidate of candidates) {
      if (candidate.tier !== index || candidate.model.quality <= quality) continue;
      if (!affordable(candidate, remaining, spent)) continue;
      if (found === undefined || ranksBefore(candidate, found)) found = candidate;
    }
    if (found) return found;
  }
  let best: Candidate | undefined;
  for (const candidate of candidates) {
    if (candidate.tier !== current.tier || candidate.model.quality < quality + 0.02) continue;
    if (!affordable(candidate, remaining, spent)) continue;
    if (best === undefined || candidate.model.quality > best.model.quality) best = candidate;
  }
  return best;
}

/** Fallback order: quality gap plus capacity penalty, then output price, then id. */
function fallbackBefore(a: { other: ModelInfo; key: number }, b: { other: ModelInfo; key: number }): boolean {
  return (
    (a.key - b.key ||
      a.other.prices.outputPerMillionMicros - b.other.prices.outputPerMillionMicros ||
      a.other.id.localeCompare(b.other.id)) < 0
  );
}

/**
 * Equivalent models on other providers, one per provider, affordable after `spent`: same tier,
 * ordered by quality gap plus the provider's capacity penalty, then by price, then by id.
 */
export function fallbacksOf(
  chosen: Candidate,
  candidates: readonly Candidate[],
  remaining: number | null,
  spent: number,
  limit: number,
): ModelRef[] {
  const { model } = chosen;
  // Insertion into a short ordered list: no comparator closure and no sort per rung, and the
  // entries after the new one move up by hand (splice cost more than the rest of the function).
  const keyed: Array<{ other: ModelInfo; key: number }> = [];
  for (const candidate of candidates) {
    const other = candidate.model;
    if (candidate.tier !== chosen.tier || other.provider === model.provider) continue;
    if (!affordable(candidate, remaining, spent)) continue;
    const entry = { other, key: Math.abs(other.quality - model.quality) + candidate.busy };
    let at = keyed.length;
    keyed.push(entry);
    while (at > 0 && fallbackBefore(entry, keyed[at - 1]!)) {
      keyed[at] = keyed[at - 1]!;
      at--;
    }
    keyed[at] = entry;
  }
  const result: ModelRef[] = [];
  const seen = [model.provider];
  for (const { other } of keyed) {
    if (result.length >= limit) break;
    if (seen.includes(other.provider)) continue;
    seen.push(other.provider);
    result.push(ref(other));
  }
  return result;
}
