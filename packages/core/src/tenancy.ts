import { z } from 'zod';
import type { PromptCacheOptions } from './chat.js';
import { parseWith } from './validation.js';

/** Service tiers, highest first. */
export const tiers = ['enterprise', 'professional', 'standard'] as const;
/** A service tier. */
export type Tier = (typeof tiers)[number];

/** Industry profiles; each shifts routing toward quality or cost. */
export const industries = ['finance', 'healthcare', 'tech', 'retail', 'general'] as const;
/** An industry profile. */
export type Industry = (typeof industries)[number];

/** How a tenant trades cost against quality. */
export type Preference = 'cost' | 'balanced' | 'quality';

/** What a tier grants by default. */
export interface TierSettings {
  /** Admission priority in the key pool's queue (higher first). */
  priority: number;
  /** Multiplier on the tenant's share of pool capacity. */
  rateMultiplier: number;
  /** Share of shared keys' capacity held back for this tier and higher (0..1). */
  reservedShare: number;
  /** Whether the tier may have dedicated keys. */
  dedicatedKeysAllowed: boolean;
  dailyRequests: number;
  /** Default monthly budget in micro-dollars. */
  monthlyBudgetMicros: number;
}

/** The tier defaults of the product design. */
export const defaultTierSettings: Readonly<Record<Tier, TierSettings>> = Object.freeze({
  enterprise: {
    priority: 100,
    rateMultiplier: 5,
    reservedShare: 0.8,
    dedicatedKeysAllowed: true,
    dailyRequests: 100_000,
    monthlyBudgetMicros: 5_000_000_000,
  },
  professional: {
    priority: 50,
    rateMultiplier: 2,
    reservedShare: 0.4,
    dedicatedKeysAllowed: false,
    dailyRequests: 10_000,
    monthlyBudgetMicros: 500_000_000,
  },
  standard: {
    priority: 10,
    rateMultiplier: 1,
    reservedShare: 0.1,
    dedicatedKeysAllowed: false,
    dailyRequests: 1_000,
    monthlyBudgetMicros: 50_000_000,
  },
});

/** A tenant's resolved policy: every field present, tier defaults applied. */
export interface TenantPolicy {
  id: string;
  name: string;
  tier: Tier;
  industry: Industry;
  preference: Preference;
  priority: number;
  rateMultiplier: number;
  reservedShare: number;
  dedicatedKeysAllowed: boolean;
  limits: {
    dailyRequests: number;
    /** Monthly token cap (input + output), or null for none. */
    monthlyTokens: number | null;
  };
  budget: {
    /** Monthly budget in micro-dollars, or null for unlimited. */
    monthlyMicros: number | null;
    /** Fractions of the budget at which budget.alert fires. */
    alertThresholds: number[];
    /** When the budget cannot afford the routed model: refuse, or downgrade to what it can afford. */
    onExceeded: 'refuse' | 'downgrade';
  };
  /** Model ids this tenant may use, or null for all. */
  allowedModels: string[] | null;
  /** Providers this tenant may use, or null for all. */
  allowedProviders: string[] | null;
  /**
   * Data-residency regions this tenant's requests may be served in (for example `['eu']`), or null for any.
   * Routing, fallbacks and key leasing keep to them.
   */
  regions: string[] | null;
  /** Compliance settings read by `@forge1/compliance` (redaction, audit, retention); absent means none. */
  compliance?: TenantCompliance;
  /**
   * Prompt caching for this tenant's requests: the gateway marks the system prompt and tools as
   * cacheable (Anthropic `cache_control` breakpoints) unless a request says otherwise; absent means off.
   */
  promptCache?: PromptCacheOptions;
  metadata: Record<string, string>;
}

/** What a detector does with a value it finds; `off` disables a detector a preset turned on. */
export type RedactionAction = 'mask' | 'tokenize' | 'block' | 'off';

/** A tenant's compliance settings, interpreted by `@forge1/compliance`. */
export interface TenantCompliance {
  /** Name of an industry preset (e.g. `healthcare`, `finance`); the fields below override it. */
  preset?: string;
  /** Detector name (`email`, `paymentCard`, or a custom one) to its action. */
  detectors?: Record<string, RedactionAction>;
  /** Whether requests are written to the audit trail. */
  audit?: boolean;
  /** Days usage records and audit entries are kept. */
  retentionDays?: number;
}

const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'expected 1-64 letters, digits, "_", ".", ":" or "-"');

/** Schema of a tenant policy input: what {@link resolveTenantPolicy} accepts. */
export const policyInputSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1).max(200).optional(),
    tier: z.enum(tiers),
    industry: z.enum(industries).default('general'),
    preference: z.enum(['cost', 'balanced', 'quality']).default('balanced'),
    priority: z.number().int().min(0).max(1000).optional(),
    rateMultiplier: z.number().positive().max(100).optional(),
    reservedShare: z.number().min(0).max(1).optional(),
    dedicatedKeysAllowed: z.boolean().optional(),
    limits: z
      .object({
        dailyRequests: z.number().int().positive().optional(),
        monthlyTokens: z.number().int().positive().nullable().optional(),
      })
      .strict()
      .default({}),
    budget: z
      .object({
        monthlyMicros: z.number().int().nonnegative().nullable().optional(),
        alertThresholds: z
          .array(z.number().gt(0).max(1))
          .max(10)
          .refine((list) => list.every((v, i) => i === 0 || v > list[i - 1]!), 'thresholds must increase')
          .optional(),
        onExceeded: z.enum(['refuse', 'downgrade']).optional(),
      })
      .strict()
      .default({}),
    allowedModels: z.array(z.string().min(1)).min(1).nullable().default(null),
    allowedProviders: z.array(z.string().min(1)).min(1).nullable().default(null),
    regions: z.array(z.string().min(1)).min(1).nullable().default(null),
    promptCache: z
      .object({ ttl: z.enum(['5m', '1h']).optional() })
      .strict()
      .optional(),
    compliance: z
      .object({
        preset: z.string().min(1).max(64).optional(),
        detectors: z
          .record(
            z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'expected a detector name'),
            z.enum(['mask', 'tokenize', 'block', 'off']),
          )
          .optional(),
        audit: z.boolean().optional(),
        retentionDays: z.number().int().positive().max(36_500).optional(),
      })
      .strict()
      .optional(),
    metadata: z.record(z.string(), z.string()).default({}),
  })
  .strict();

/** What a host gives to create a tenant: `id` and `tier` are required, the rest defaults from the tier. */
export type TenantPolicyInput = z.input<typeof policyInputSchema>;

/**
 * Validates a tenant policy input and fills it in from the tier settings.
 * @throws ValidationError with one issue per bad field.
 */
export function resolveTenantPolicy(
  input: unknown,
  tierSettings: Readonly<Record<Tier, TierSettings>> = defaultTierSettings,
): TenantPolicy {
  const parsed = parseWith(policyInputSchema, input, 'tenant policy');
  const tier = tierSettings[parsed.tier];
  const dedicatedKeysAllowed = parsed.dedicatedKeysAllowed ?? tier.dedicatedKeysAllowed;
  return {
    id: parsed.id,
    name: parsed.name ?? parsed.id,
    tier: parsed.tier,
    industry: parsed.industry,
    preference: parsed.preference,
    priority: parsed.priority ?? tier.priority,
    rateMultiplier: parsed.rateMultiplier ?? tier.rateMultiplier,
    reservedShare: parsed.reservedShare ?? tier.reservedShare,
    dedicatedKeysAllowed,
    limits: {
      dailyRequests: parsed.limits.dailyRequests ?? tier.dailyRequests,
      monthlyTokens: parsed.limits.monthlyTokens ?? null,
    },
    budget: {
      monthlyMicros:
        parsed.budget.monthlyMicros === undefined ? tier.monthlyBudgetMicros : parsed.budget.monthlyMicros,
      alertThresholds: parsed.budget.alertThresholds ?? [0.5, 0.8, 1],
      onExceeded: parsed.budget.onExceeded ?? 'refuse',
    },
    allowedModels: parsed.allowedModels,
    allowedProviders: parsed.allowedProviders,
    regions: parsed.regions,
    ...(parsed.compliance === undefined ? {} : { compliance: parsed.compliance as TenantCompliance }),
    ...(parsed.promptCache === undefined ? {} : { promptCache: parsed.promptCache }),
    metadata: parsed.metadata,
  };
}
