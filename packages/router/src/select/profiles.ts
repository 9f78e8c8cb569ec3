import type { ComplexityLevel, Industry, ModelTier, Preference } from '@forge1/core';

/** How an industry shifts routing: positive toward quality, negative toward cost, in tiers. */
export interface IndustryProfile {
  /** Tiers to add to the level's base tier (fractions move only requests near a boundary). */
  shift: number;
}

/**
 * Default industry profiles: finance and healthcare toward quality, tech and retail toward cost.
 * @default { finance: 0.5, healthcare: 0.5, tech: -0.5, retail: -0.25, general: 0 }
 */
export const defaultProfiles: Readonly<Record<Industry, IndustryProfile>> = Object.freeze({
  finance: { shift: 0.5 },
  healthcare: { shift: 0.5 },
  tech: { shift: -0.5 },
  retail: { shift: -0.25 },
  general: { shift: 0 },
});

/**
 * Tier shift of each tenant preference.
 * @default { cost: -0.5, balanced: 0, quality: 0.5 }
 */
export const defaultPreferenceShifts: Readonly<Record<Preference, number>> = Object.freeze({
  cost: -0.5,
  balanced: 0,
  quality: 0.5,
});

/** Model tiers, weakest first. */
export const modelTiers: readonly ModelTier[] = ['small', 'standard', 'advanced'];

/** The tier each level starts from before shifts. */
export const baseTierIndex: Readonly<Record<ComplexityLevel, number>> = Object.freeze({
  simple: 0,
  moderate: 1,
  complex: 2,
  critical: 2,
});

/**
 * Output tokens expected when a request sets no `maxTokens`, per level.
 * @default { simple: 200, moderate: 600, complex: 1200, critical: 1500 }
 */
export const defaultExpectedOutputTokens: Readonly<Record<ComplexityLevel, number>> = Object.freeze({
  simple: 200,
  moderate: 600,
  complex: 1200,
  critical: 1500,
});
