import { type Clock, defaultModels, type EventBus, parseWith, Secret, type Tier, tiers } from '@forge1/core';
import { z } from 'zod';
import type { StateStoreV1 } from '../store/state-store.js';

/** A key's secret: the value itself, or a resolver (e.g. a vault look-up) called when the key is added or rotated. */
export type KeySecretSource = string | Secret | (() => string | Secret | Promise<string | Secret>);

/** One provider API key as a host declares it. */
export interface KeyInput {
  /** Unique id, used in stats, events and errors (never the secret). */
  id: string;
  /** Provider name as in the catalog (`openai`, `anthropic`, `google`, …). */
  provider: string;
  secret: KeySecretSource;
  /** Models this key may serve; all of the provider's when omitted. */
  models?: string[];
  /** Requests per window (per minute by default). */
  rpm: number;
  /** Tokens (input + output) per window. */
  tpm: number;
  /** Requests per rolling day. */
  rpd?: number;
  /** Most calls in flight at once. */
  maxConcurrent?: number;
  /** Backup keys serve only when no active key can. @default 'active' */
  role?: 'active' | 'backup';
  /** Tenants this key is dedicated to: it serves only them, and serves them first. */
  dedicatedTo?: string[];
  /** Preference among keys with the same headroom. @default 1 */
  weight?: number;
  /** Keys sharing one upstream quota (same organisation or project); limits in the pool's `groups`. */
  group?: string;
  /** Length of the rpm/tpm window in milliseconds. @default 60000 */
  windowMs?: number;
  /**
   * Data-residency region the key's traffic is served in (for example `'eu'`). A demand with
   * `regions` is served only by keys whose region is listed; a key without a region never serves
   * a region-restricted demand.
   */
  region?: string;
}

/** Joint limits of a group of keys that share one upstream quota. */
export interface GroupLimits {
  rpm?: number;
  tpm?: number;
  rpd?: number;
  /** @default 60000 */
  windowMs?: number;
}

/** Per-tier admission settings; defaults come from core's `defaultTierSettings`. */
export interface TierAdmission {
  /** Queue priority, higher first. */
  priority?: number;
  /** Share (0..1) of shared keys' capacity reserved for this tier; see the README. */
  reservedShare?: number;
}

const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'expected 1-128 letters, digits, "_", ".", ":" or "-"');
const limit = z.number().int('expected an integer').positive('expected a positive limit');

const secretSchema = z.custom<KeySecretSource>(
  (value) =>
    (typeof value === 'string' && value.length > 0) || value instanceof Secret || typeof value === 'function',
  'expected a non-empty string, a Secret or a resolver function',
);

const keySchema = z
  .object({
    id: idSchema,
    provider: z.string().min(1),
    secret: secretSchema,
    models: z.array(z.string().min(1)).min(1).optional(),
    rpm: limit,
    tpm: limit,
    rpd: limit.optional(),
    maxConcurrent: limit.optional(),
    role: z.enum(['active', 'backup']).default('active'),
    dedicatedTo: z.array(z.string().min(1)).min(1).optional(),
    weight: z.number().positive().finite().default(1),
    group: idSchema.optional(),
    windowMs: z.number().int().positive().default(60_000),
    region: z.string().min(1).optional(),
  })
  .strict();

/** A validated key: defaults applied. */
export type KeyConfig = z.output<typeof keySchema>;

const groupSchema = z
  .object({
    rpm: limit.optional(),
    tpm: limit.optional(),
    rpd: limit.optional(),
    windowMs: z.number().int().positive().default(60_000),
  })
  .strict();

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', `expected ${what}`);
const withMethods = <T>(what: string, methods: string[]) =>
  z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
    `expected ${what}`,
  );

const tierSchema = z
  .object({
    priority: z.number().int().min(0).max(1000).optional(),
    reservedShare: z.number().min(0).max(1).optional(),
  })
  .strict();

const optionsSchema = z
  .object({
    keys: z.array(z.unknown()),
    groups: z.record(idSchema, groupSchema).default({}),
    tiers: z
      .object({ enterprise: tierSchema, professional: tierSchema, standard: tierSchema })
      .partial()
      .strict()
      .default({}),
    store: withMethods<StateStoreV1>('a StateStoreV1', [
      'take',
      'settle',
      'coolDown',
      'setDisabled',
      'keyState',
      'now',
    ]).optional(),
    clock: withMethods<Clock>('a Clock', ['now', 'setTimeout', 'clearTimeout']).optional(),
    events: withMethods<EventBus>('an EventBus', ['on', 'emit']).optional(),
    random: fn('a function returning a number in [0, 1)').optional(),
    maxWaitMs: z.number().int().nonnegative().default(30_000),
    leaseTtlMs: z.number().int().positive().default(300_000),
    agingPerSecond: z.number().nonnegative().finite().default(2),
    activityWindowMs: z.number().int().positive().default(60_000),
    cooldown: z
      .object({
        baseMs: z.number().int().positive().default(1_000),
        maxMs: z.number().int().positive().default(60_000),
      })
      .strict()
      .default({ baseMs: 1_000, maxMs: 60_000 }),
    signals: z
      .union([
        z.literal(false),
        z
          .object({
            windowMs: z.number().int().positive().default(60_000),
            saturatedAbove: z.number().min(0).max(1).default(0.8),
            underusedBelow: z.number().min(0).max(1).default(0.3),
          })
          .strict(),
      ])
      .default({ windowMs: 60_000, saturatedAbove: 0.8, underusedBelow: 0.3 }),
    providers: z.array(z.string().min(1)).default([]),
  })
  .strict();

/** Validated pool options, keys still unvalidated (see {@link parseKeys}). */
export type ParsedPoolOptions = z.output<typeof optionsSchema>;

/** Validates pool options (not the keys). @throws ValidationError */
export function parsePoolOptions(options: unknown): ParsedPoolOptions {
  return parseWith(optionsSchema, options, 'key pool options');
}

/** Providers known without configuration: those of the built-in catalog. */
export const catalogProviders: readonly string[] = [...new Set(defaultModels.map((model) => model.provider))];

/**
 * Validates keys against each other and the pool: ids unique (also against `existing`),
 * providers known, groups declared.
 * @throws ValidationError naming each bad field
 */
export function parseKeys(
  keys: readonly unknown[],
  context: {
    providers: ReadonlySet<string>;
    groups: Readonly<Record<string, unknown>>;
    existing: ReadonlySet<string>;
    path?: string;
  },
): KeyConfig[] {
  const schema = z.array(keySchema).superRefine((list, refine) => {
    const seen = new Set(context.existing);
    list.forEach((key, index) => {
      if (seen.has(key.id))
        refine.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate key id "${key.id}"` });
      seen.add(key.id);
      if (!context.providers.has(key.provider)) {
        refine.addIssue({
          code: 'custom',
          path: [index, 'provider'],
          message: `unknown provider "${key.provider}" (known: ${[...context.providers].join(', ')}; add others with the pool's \`providers\` option)`,
        });
      }
      if (key.group !== undefined && !(key.group in context.groups)) {
        refine.addIssue({
          code: 'custom',
          path: [index, 'group'],
          message: `group "${key.group}" is not declared in \`groups\``,
        });
      }
    });
  });
  return parseWith(schema, keys, context.path ?? 'keys');
}

/** The tiers, with their resolved admission settings, highest priority first. */
export interface TierPlan {
  tier: Tier;
  priority: number;
  reservedShare: number;
}

/** Resolves per-tier settings over core's defaults, highest priority first. */
export function planTiers(
  defaults: Readonly<Record<Tier, { priority: number; reservedShare: number }>>,
  overrides: Partial<Record<Tier, TierAdmission>>,
): TierPlan[] {
  return tiers
    .map((tier) => ({
      tier,
      priority: overrides[tier]?.priority ?? defaults[tier].priority,
      reservedShare: overrides[tier]?.reservedShare ?? defaults[tier].reservedShare,
    }))
    .sort((a, b) => b.priority - a.priority);
}
