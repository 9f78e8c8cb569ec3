import type { ComplexityLevel, Industry, Preference } from '@forge1/core';
import type { IndustryProfile } from './profiles.js';

/** How the first model trades expected cost against expected quality loss. */
export interface ChoiceOptions {
  /**
   * Weight of one expected failure against the dearest eligible model's cost (λ at a general,
   * balanced tenant); industry and preference shifts multiply it by 4 per tier of shift.
   * @default 1
   */
  lambda?: number;
  /**
   * λ multiplier per level: a failed answer costs more when something is at stake now.
   * @default { simple: 1, moderate: 1, complex: 1, critical: 4 }
   */
  levelWeights?: Partial<Record<ComplexityLevel, number>>;
  /** Logits of ability per unit of catalog quality. @default 8 */
  abilityScale?: number;
  /** Catalog quality of the small-tier model the difficulty refers to. @default 0.6 */
  referenceQuality?: number;
  /** Objective added for a saturated provider (headroom 0). @default 0.2 */
  capacityWeight?: number;
  /**
   * Headroom at and above which a provider adds nothing: requests do not queue while a key has
   * room, so only the last stretch before saturation counts, as `(1 − headroom / knee)²`. A
   * standard tenant beside an active enterprise tenant sees at most about 0.2 of a shared key
   * (the rest is held for the higher tier), and is not pushed off it for that alone. A tenant whose
   * λ is below the base one (cost-first, or an industry that leans to cost) has the knee and
   * `capacityWeight` scaled down by the same ratio: it runs nearer a provider's limit before paying
   * for a dearer model elsewhere.
   * @default 0.25
   */
  capacityKnee?: number;
}

/** {@link ChoiceOptions} with every default applied. */
export interface ResolvedChoiceOptions extends Required<Omit<ChoiceOptions, 'levelWeights'>> {
  levelWeights: Readonly<Record<ComplexityLevel, number>>;
}

/**
 * Defaults of {@link ChoiceOptions}.
 * @default { lambda: 1, levelWeights: { simple: 1, moderate: 1, complex: 1, critical: 4 }, abilityScale: 8, referenceQuality: 0.6, capacityWeight: 0.2, capacityKnee: 0.25 }
 */
export const defaultChoiceOptions: Readonly<ResolvedChoiceOptions> = Object.freeze({
  lambda: 1,
  levelWeights: Object.freeze({ simple: 1, moderate: 1, complex: 1, critical: 4 }),
  abilityScale: 8,
  referenceQuality: 0.6,
  capacityWeight: 0.2,
  capacityKnee: 0.25,
});

const clampProbability = (p: number) => Math.min(1 - 1e-6, Math.max(1e-6, p));

/** Log-odds of a probability, clamped away from 0 and 1. */
export function logOdds(probability: number): number {
  const p = clampProbability(probability);
  return Math.log(p / (1 - p));
}

/**
 * Probability that a model's answer is not good enough, given the probability `difficulty` that
 * a small-tier (reference) model's is not: a one-parameter item-response model, where a model
 * of higher catalog quality is `abilityScale × Δquality` logits less likely to fail.
 */
export function failureProbability(
  difficulty: number,
  quality: number,
  options: ResolvedChoiceOptions,
): number {
  return failureFromLogOdds(logOdds(difficulty), quality, options);
}

/** {@link failureProbability} from the difficulty's {@link logOdds}, read once per decision. */
export function failureFromLogOdds(odds: number, quality: number, options: ResolvedChoiceOptions): number {
  const logit = odds - options.abilityScale * (quality - options.referenceQuality);
  return 1 / (1 + Math.exp(-logit));
}

/** λ for a tenant: the base weight times 4 to the power of its industry and preference shifts. */
export function lambdaFor(
  industry: Industry,
  preference: Preference,
  profiles: Readonly<Record<string, IndustryProfile>>,
  preferenceShifts: Readonly<Record<Preference, number>>,
  base: number,
): number {
  const shift = (profiles[industry]?.shift ?? 0) + preferenceShifts[preference];
  return base * 4 ** shift;
}

/**
 * Objective a provider short of key headroom adds: `capacityWeight × (1 − headroom / knee)²` below
 * `knee`, nothing above it. An equivalent model elsewhere then wins before requests queue, and a
 * provider with room is not penalised for the traffic it carries.
 */
export function capacityPenalty(headroom: number, weight: number, knee = 1): number {
  const free = Number.isFinite(headroom) ? Math.min(1, Math.max(0, headroom)) : 1;
  if (free >= knee) return 0;
  return weight * (1 - free / knee) ** 2;
}
