import { z } from 'zod';
import type { Usage } from './chat.js';
import { ValidationError } from './errors.js';
import { parseWith } from './validation.js';

/** Capability tier of a model: what size of task it is good for. */
export type ModelTier = 'small' | 'standard' | 'advanced';

/** Prices per million tokens, in integer micro-dollars ($1 = 1 000 000). */
export interface ModelPrices {
  inputPerMillionMicros: number;
  outputPerMillionMicros: number;
  /** Price of input tokens served from the provider's prompt cache. */
  cachedInputPerMillionMicros: number;
}

/** One model of the catalog. */
export interface ModelInfo {
  id: string;
  provider: string;
  tier: ModelTier;
  contextWindow: number;
  maxOutputTokens: number;
  prices: ModelPrices;
  /** Relative quality from 0 to 1, comparable across providers. */
  quality: number;
  /** Date (YYYY-MM-DD) the prices were taken from the provider's price list. */
  pricesAsOf: string;
  supportsTools: boolean;
  supportsJson: boolean;
  /** Data-residency regions the model is served in (for example `['us', 'eu']`); absent means unrestricted. */
  regions?: string[];
}

const micros = z.number().int().nonnegative();

/** Schema of a model given to {@link createCatalog}. */
export const modelSchema = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  tier: z.enum(['small', 'standard', 'advanced']),
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  prices: z.object({
    inputPerMillionMicros: micros,
    outputPerMillionMicros: micros,
    cachedInputPerMillionMicros: micros,
  }),
  quality: z.number().min(0).max(1),
  pricesAsOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  supportsTools: z.boolean().default(true),
  supportsJson: z.boolean().default(true),
  regions: z.array(z.string().min(1)).min(1).optional(),
});

/** A model as given to {@link createCatalog}; `supportsTools` and `supportsJson` default to true. */
export type ModelInfoInput = z.input<typeof modelSchema>;

const usd = (dollarsPerMillion: number) => Math.round(dollarsPerMillion * 1_000_000);
const AS_OF = '2026-02-15';

function model(
  id: string,
  provider: string,
  tier: ModelTier,
  contextWindow: number,
  maxOutputTokens: number,
  [input, output, cached]: [number, number, number],
  quality: number,
): ModelInfo {
  return {
    id,
    provider,
    tier,
    contextWindow,
    maxOutputTokens,
    prices: {
      inputPerMillionMicros: usd(input),
      outputPerMillionMicros: usd(output),
      cachedInputPerMillionMicros: usd(cached),
    },
    quality,
    pricesAsOf: AS_OF,
    supportsTools: true,
    supportsJson: true,
  };
}

/**
 * The built-in model table: list prices in USD per million tokens (input, output, cached input)
 * from the providers' public price pages as of {@link ModelInfo.pricesAsOf}. Hosts override
 * prices and add models through {@link createCatalog}.
 */
export const defaultModels: readonly ModelInfo[] = Object.freeze([
  model('gpt-5-nano', 'openai', 'small', 400_000, 128_000, [0.05, 0.4, 0.005], 0.6),
  model('gpt-4.1-nano', 'openai', 'small', 1_047_576, 32_768, [0.1, 0.4, 0.025], 0.55),
  model('gpt-4o-mini', 'openai', 'small', 128_000, 16_384, [0.15, 0.6, 0.075], 0.58),
  model('gpt-5-mini', 'openai', 'standard', 400_000, 128_000, [0.25, 2, 0.025], 0.8),
  model('gpt-4.1-mini', 'openai', 'standard', 1_047_576, 32_768, [0.4, 1.6, 0.1], 0.74),
  model('gpt-5', 'openai', 'advanced', 400_000, 128_000, [1.25, 10, 0.125], 0.91),
  model('gpt-4.1', 'openai', 'advanced', 1_047_576, 32_768, [2, 8, 0.5], 0.88),
  model('gpt-4o', 'openai', 'advanced', 128_000, 16_384, [2.5, 10, 1.25], 0.86),
  model('claude-haiku-4-5', 'anthropic', 'small', 200_000, 64_000, [1, 5, 0.1], 0.72),
  model('claude-sonnet-4-6', 'anthropic', 'standard', 200_000, 64_000, [3, 15, 0.3], 0.9),
  model('claude-opus-4-6', 'anthropic', 'advanced', 200_000, 128_000, [5, 25, 0.5], 0.95),
  model('gemini-2.5-flash-lite', 'google', 'small', 1_048_576, 65_536, [0.1, 0.4, 0.025], 0.56),
  model('gemini-2.5-flash', 'google', 'standard', 1_048_576, 65_536, [0.3, 2.5, 0.075], 0.77),
  model('gemini-2.5-pro', 'google', 'advanced', 1_048_576, 65_536, [1.25, 10, 0.31], 0.9),
  model('deepseek-chat', 'deepseek', 'standard', 128_000, 8_192, [0.27, 1.1, 0.07], 0.75),
  model('deepseek-reasoner', 'deepseek', 'advanced', 128_000, 65_536, [0.55, 2.19, 0.14], 0.84),
  model('qwen-turbo', 'qwen', 'small', 1_000_000, 8_192, [0.05, 0.2, 0.02], 0.5),
  model('qwen-plus', 'qwen', 'standard', 131_072, 8_192, [0.4, 1.2, 0.16], 0.72),
  model('qwen-max', 'qwen', 'advanced', 32_768, 8_192, [1.6, 6.4, 0.64], 0.82),
]);

/** Filter for {@link Catalog.list}. */
export interface ModelFilter {
  provider?: string;
  tier?: ModelTier;
  /** Only these ids (an allow-list). */
  ids?: readonly string[];
  /** Only these providers. */
  providers?: readonly string[];
}

/** A model table: look-ups, filters and exact cost arithmetic. */
export interface Catalog {
  /** The model, or undefined. */
  get(id: string): ModelInfo | undefined;
  /** The model. @throws ValidationError when the id is unknown. */
  require(id: string): ModelInfo;
  /** The models matching every field of the filter (all models without one). */
  list(filter?: ModelFilter): ModelInfo[];
  /** Exact cost of a usage on a model, in integer micro-dollars. */
  costOf(modelId: string, usage: Usage): number;
}

/** Options of {@link createCatalog}. */
export interface CatalogOptions {
  /** Models to add, or to replace built-in ones with the same id. */
  models?: readonly ModelInfoInput[];
  /** Partial changes to existing models, by id (e.g. negotiated prices). */
  overrides?: Record<string, Partial<Omit<ModelInfo, 'id' | 'prices'>> & { prices?: Partial<ModelPrices> }>;
  /** Start from {@link defaultModels}. @default true */
  includeDefaults?: boolean;
}

/**
 * Builds a catalog from the built-in table plus the host's models and overrides.
 * @throws ValidationError on a malformed model or an override of an unknown id.
 * @example
 * ```ts
 * const catalog = createCatalog({ overrides: { 'gpt-4.1': { prices: { inputPerMillionMicros: 1_800_000 } } } });
 * catalog.costOf('gpt-4.1', { inputTokens: 1000, outputTokens: 200, cachedInputTokens: 0 }); // 3400
 * ```
 */
export function createCatalog(options: CatalogOptions = {}): Catalog {
  const table = new Map<string, ModelInfo>();
  if (options.includeDefaults ?? true) for (const m of defaultModels) table.set(m.id, m);
  options.models?.forEach((input, index) => {
    const parsed = parseWith(modelSchema, input, `model #${index}`) as ModelInfo;
    table.set(parsed.id, parsed);
  });
  for (const [id, change] of Object.entries(options.overrides ?? {})) {
    const base = table.get(id);
    if (!base)
      throw new ValidationError('catalog override', [
        { path: `overrides.${id}`, message: 'unknown model id' },
      ]);
    const merged = { ...base, ...change, id, prices: { ...base.prices, ...change.prices } };
    table.set(id, parseWith(modelSchema, merged, `override of ${id}`) as ModelInfo);
  }
  const require = (id: string): ModelInfo => {
    const found = table.get(id);
    if (!found) throw new ValidationError('model', [{ path: 'model', message: `unknown model "${id}"` }]);
    return found;
  };
  return {
    get: (id) => table.get(id),
    require,
    list(filter = {}) {
      return [...table.values()].filter(
        (m) =>
          (filter.provider === undefined || m.provider === filter.provider) &&
          (filter.tier === undefined || m.tier === filter.tier) &&
          (filter.ids === undefined || filter.ids.includes(m.id)) &&
          (filter.providers === undefined || filter.providers.includes(m.provider)),
      );
    },
    costOf: (modelId, usage) => costOf(require(modelId).prices, usage),
  };
}

/**
 * Exact cost of a usage at the given prices, in integer micro-dollars: the exact rational
 * sum of the three parts, rounded once, half up. Cached input tokens are part of
 * `inputTokens` and are charged at the cached price instead of the input price.
 * @throws ValidationError when a count is negative, fractional, or cached exceeds input.
 */
export function costOf(prices: ModelPrices, usage: Usage): number {
  const { inputTokens, outputTokens, cachedInputTokens } = usage;
  checkCount('inputTokens', inputTokens);
  checkCount('outputTokens', outputTokens);
  checkCount('cachedInputTokens', cachedInputTokens);
  if (cachedInputTokens > inputTokens) {
    throw new ValidationError('usage', [{ path: 'cachedInputTokens', message: 'cannot exceed inputTokens' }]);
  }
  const uncached = inputTokens - cachedInputTokens;
  const fast =
    uncached * prices.inputPerMillionMicros +
    cachedInputTokens * prices.cachedInputPerMillionMicros +
    outputTokens * prices.outputPerMillionMicros;
  if (fast <= Number.MAX_SAFE_INTEGER - 500_000) return divideRounded(fast + 500_000);
  const exact =
    BigInt(uncached) * BigInt(prices.inputPerMillionMicros) +
    BigInt(cachedInputTokens) * BigInt(prices.cachedInputPerMillionMicros) +
    BigInt(outputTokens) * BigInt(prices.outputPerMillionMicros);
  return Number((exact + 500_000n) / 1_000_000n);
}

/** floor(n / 1e6) for a safe integer n, corrected for the float division's rounding. */
function divideRounded(n: number): number {
  let quotient = Math.floor(n / 1_000_000);
  const remainder = n - quotient * 1_000_000;
  if (remainder < 0) quotient -= 1;
  else if (remainder >= 1_000_000) quotient += 1;
  return quotient;
}

function checkCount(path: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError('usage', [{ path, message: 'expected a non-negative integer' }]);
  }
}
