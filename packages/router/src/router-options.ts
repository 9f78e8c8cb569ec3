import {
  type Catalog,
  type ComplexityLevel,
  createCatalog,
  type EventBus,
  type Industry,
  type ModelTier,
  type Preference,
  parseWith,
  ValidationError,
} from '@forge1/core';
import { z } from 'zod';
import { defaultThresholds, type LevelThresholds } from './analyze/score-signals.js';
import { defaultHedgingPhrases, defaultRefusalPhrases } from './judge/hedging-phrases.js';
import { defaultMinimumWords } from './judge/judge-answer.js';
import type { LearnerOptions } from './learn/online-learner.js';
import { learnerOptionsSchema } from './learner-options.js';
import {
  type ChoiceOptions,
  defaultChoiceOptions,
  type ResolvedChoiceOptions,
} from './select/expected-loss.js';
import {
  defaultExpectedOutputTokens,
  defaultPreferenceShifts,
  defaultProfiles,
  type IndustryProfile,
} from './select/profiles.js';
import type { SelectionStrategy } from './select/select-model.js';
import { createBuiltInVerifiers } from './verify/built-in-verifiers.js';
import type { Verifier } from './verify/verifier.js';

/** Cascade settings: when the judge escalates, and how far. */
export interface CascadeOptions {
  /** Build a ladder of stronger rungs at all. @default true */
  enabled?: boolean;
  /** Escalate answers whose confidence is below this. @default 0.6 */
  threshold?: number;
  /** Rungs above the first model. @default 2 */
  maxEscalations?: number;
  /** Phrases that mark an unsure answer. @default defaultHedgingPhrases */
  hedgingPhrases?: readonly string[];
  /** Phrases that mark a refusal. @default defaultRefusalPhrases */
  refusalPhrases?: readonly string[];
  /** Fewest words expected per level. @default defaultMinimumWords */
  minimumWords?: Partial<Record<ComplexityLevel, number>>;
  /** Run the deterministic verifiers (truncation, json-schema, fences, arithmetic, final-answer). @default true */
  builtInVerifiers?: boolean;
  /** The host's verifiers, sync or async (for example `createLlmJudge`), run after the built-in ones. */
  verifiers?: readonly Verifier[];
}

/** Options of `createRouter`. */
export interface RouterOptions {
  /** Models and prices. @default createCatalog() */
  catalog?: Catalog;
  /** Providers the host has adapters and keys for. @default every provider of the catalog */
  providers?: readonly string[];
  /** Preferred model ids per tier, best first. @default ranked from the catalog by quality and cost */
  ladder?: Partial<Record<ModelTier, readonly string[]>>;
  /** Industry shifts, merged over {@link defaultProfiles}. */
  profiles?: Partial<Record<Industry, IndustryProfile>>;
  /** Preference shifts, merged over {@link defaultPreferenceShifts}. */
  preferences?: Partial<Record<Preference, number>>;
  cascade?: CascadeOptions;
  /**
   * `expected-loss` (least expected cost + λ × expected quality loss over every eligible model),
   * `ladder` (tiers by level) or `cost-efficiency` (best quality per expected cost). @default 'expected-loss'
   */
  strategy?: SelectionStrategy;
  /** λ and the other weights of the `expected-loss` strategy. @default defaultChoiceOptions */
  choice?: ChoiceOptions;
  /** Online learning from feedback (on by default; `enabled: false` keeps the prior alone). */
  learner?: LearnerOptions;
  /** Honour `request.model` when the tenant may use it. @default true */
  honourModelHint?: boolean;
  /** Fallbacks per rung. @default 3 */
  maxFallbacks?: number;
  /** Weakest tier per level, even under budget pressure. @default { critical: 'standard' } */
  floors?: Partial<Record<ComplexityLevel, ModelTier>>;
  /** Output tokens expected when a request sets no `maxTokens`. @default defaultExpectedOutputTokens */
  expectedOutputTokens?: Partial<Record<ComplexityLevel, number>>;
  /** Least quality per level for the cost-efficiency strategy. @default { simple: 0.5, moderate: 0.7, complex: 0.82, critical: 0.88 } */
  minimumQuality?: Partial<Record<ComplexityLevel, number>>;
  /** Score boundaries between levels. @default defaultThresholds */
  thresholds?: Partial<LevelThresholds>;
  /** Recent decisions remembered for feedback and statistics. @default 10000 */
  memory?: number;
  /** The model savings are measured against. @default the highest-quality model available */
  baselineModel?: string;
  /** Attach statistics to this event bus at creation. */
  events?: EventBus;
}

const tier = z.enum(['small', 'standard', 'advanced']);
const levelRecord = <T extends z.ZodType>(value: T) =>
  z.object({ simple: value, moderate: value, complex: value, critical: value }).partial().strict();
const unit = z.number().min(0).max(1);

const optionsSchema = z
  .object({
    catalog: z
      .custom<Catalog>(
        (value) =>
          typeof (value as Catalog | undefined)?.list === 'function' &&
          typeof (value as Catalog).costOf === 'function' &&
          typeof (value as Catalog).get === 'function' &&
          typeof (value as Catalog).require === 'function',
        'expected a Catalog',
      )
      .optional(),
    providers: z.array(z.string().min(1)).min(1).optional(),
    ladder: z
      .object({ small: z.array(z.string()), standard: z.array(z.string()), advanced: z.array(z.string()) })
      .partial()
      .strict()
      .optional(),
    profiles: z
      .partialRecord(
        z.enum(['finance', 'healthcare', 'tech', 'retail', 'general']),
        z.object({ shift: z.number().min(-2).max(2) }).strict(),
      )
      .optional(),
    preferences: z
      .object({ cost: z.number(), balanced: z.number(), quality: z.number() })
      .partial()
      .strict()
      .optional(),
    cascade: z
      .object({
        enabled: z.boolean(),
        threshold: unit,
        maxEscalations: z.number().int().min(0).max(5),
        hedgingPhrases: z.array(z.string().min(1)),
        refusalPhrases: z.array(z.string().min(1)),
        minimumWords: levelRecord(z.number().int().nonnegative()),
        builtInVerifiers: z.boolean(),
        verifiers: z.array(
          z.custom<Verifier>(
            (value) =>
              typeof value === 'object' &&
              value !== null &&
              typeof (value as Verifier).name === 'string' &&
              typeof (value as Verifier).verify === 'function',
            'expected a verifier ({ name, verify })',
          ),
        ),
      })
      .partial()
      .strict()
      .optional(),
    strategy: z.enum(['expected-loss', 'ladder', 'cost-efficiency']).optional(),
    choice: z
      .object({
        lambda: z.number().nonnegative(),
        levelWeights: levelRecord(z.number().nonnegative()),
        abilityScale: z.number().nonnegative().max(50),
        referenceQuality: unit,
        capacityWeight: z.number().nonnegative(),
        capacityKnee: z.number().positive().max(1),
      })
      .partial()
      .strict()
      .optional(),
    learner: learnerOptionsSchema.optional(),
    honourModelHint: z.boolean().optional(),
    maxFallbacks: z.number().int().min(0).max(10).optional(),
    floors: levelRecord(tier).optional(),
    expectedOutputTokens: levelRecord(z.number().int().positive()).optional(),
    minimumQuality: levelRecord(unit).optional(),
    thresholds: z.object({ simple: unit, moderate: unit, complex: unit }).partial().strict().optional(),
    memory: z.number().int().positive().optional(),
    baselineModel: z.string().min(1).optional(),
    events: z
      .custom<EventBus>(
        (value) => typeof (value as EventBus | undefined)?.on === 'function',
        'expected an EventBus',
      )
      .optional(),
  })
  .strict();

/** Options with every default applied. */
export interface ResolvedRouterOptions {
  catalog: Catalog;
  providers: ReadonlySet<string> | null;
  ladder: Partial<Record<ModelTier, readonly string[]>>;
  profiles: Record<Industry, IndustryProfile>;
  preferenceShifts: Record<Preference, number>;
  cascade: {
    enabled: boolean;
    threshold: number;
    maxEscalations: number;
    hedgingPhrases: string[];
    refusalPhrases: string[];
    minimumWords: Record<ComplexityLevel, number>;
    verifiers: Verifier[];
  };
  strategy: SelectionStrategy;
  choice: ResolvedChoiceOptions;
  learner: LearnerOptions;
  /** λ of the learner's tier choice. */
  learnerLambda: number;
  /** Feedback a tenant needs before the learner moves its tier. */
  learnerMinimum: number;
  honourModelHint: boolean;
  maxFallbacks: number;
  floors: Partial<Record<ComplexityLevel, ModelTier>>;
  expectedOutputTokens: Record<ComplexityLevel, number>;
  minimumQuality: Record<ComplexityLevel, number>;
  thresholds: LevelThresholds;
  memory: number;
  baselineModel: string | undefined;
  events: EventBus | undefined;
}

/**
 * Validates router options and applies defaults.
 * @throws ValidationError naming each bad field.
 */
export function resolveRouterOptions(options: RouterOptions = {}): ResolvedRouterOptions {
  const parsed = parseWith(optionsSchema, options, 'router options');
  const thresholds = { ...defaultThresholds, ...parsed.thresholds };
  if (!(thresholds.simple < thresholds.moderate && thresholds.moderate < thresholds.complex)) {
    throw new ValidationError('router options', [
      { path: 'thresholds', message: 'must increase: simple < moderate < complex' },
    ]);
  }
  const catalog = parsed.catalog ?? createCatalog();
  for (const id of [
    ...Object.values(parsed.ladder ?? {}).flat(),
    ...(parsed.baselineModel ? [parsed.baselineModel] : []),
  ]) {
    catalog.require(id);
  }
  const cascade = parsed.cascade ?? {};
  return {
    catalog,
    providers: parsed.providers ? new Set(parsed.providers) : null,
    ladder: parsed.ladder ?? {},
    profiles: { ...defaultProfiles, ...parsed.profiles },
    preferenceShifts: { ...defaultPreferenceShifts, ...parsed.preferences },
    cascade: {
      enabled: cascade.enabled ?? true,
      threshold: cascade.threshold ?? 0.6,
      maxEscalations: cascade.maxEscalations ?? 2,
      hedgingPhrases: (cascade.hedgingPhrases ?? defaultHedgingPhrases).map((phrase) => phrase.toLowerCase()),
      refusalPhrases: (cascade.refusalPhrases ?? defaultRefusalPhrases).map((phrase) => phrase.toLowerCase()),
      minimumWords: { ...defaultMinimumWords, ...cascade.minimumWords },
      verifiers: [
        ...(cascade.builtInVerifiers === false ? [] : createBuiltInVerifiers()),
        ...(cascade.verifiers ?? []),
      ],
    },
    strategy: parsed.strategy ?? 'expected-loss',
    choice: {
      ...defaultChoiceOptions,
      ...parsed.choice,
      levelWeights: { ...defaultChoiceOptions.levelWeights, ...parsed.choice?.levelWeights },
    },
    learner: (parsed.learner ?? {}) as LearnerOptions,
    learnerLambda: parsed.learner?.lambda ?? 4,
    learnerMinimum: parsed.learner?.minimumObservations ?? 20,
    honourModelHint: parsed.honourModelHint ?? true,
    maxFallbacks: parsed.maxFallbacks ?? 3,
    floors: parsed.floors ?? { critical: 'standard' },
    expectedOutputTokens: { ...defaultExpectedOutputTokens, ...parsed.expectedOutputTokens },
    minimumQuality: { simple: 0.5, moderate: 0.7, complex: 0.82, critical: 0.88, ...parsed.minimumQuality },
    thresholds,
    memory: parsed.memory ?? 10_000,
    baselineModel: parsed.baselineModel,
    events: parsed.events,
  };
}
