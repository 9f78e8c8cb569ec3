import { z } from 'zod';
import type { Usage } from './chat.js';
import { type Clock, systemClock } from './clock.js';
import { defaultModels } from './default-models.js';
import { ValidationError } from './errors.js';
import { asInputError, expectNumber, expectObject, readOptions } from './guards.js';
import { costOf, type ModelPrices } from './prices.js';

// The gateway and older code import these from here.
export { costOf, type ModelPrices } from './prices.js';

import { parseWith } from './validation.js';

/** Capability tier of a model: what size of task it is good for. */
export type ModelTier = 'small' | 'standard' | 'advanced';

/** What a model does: answer chats, or embed texts. */
export type ModelKind = 'chat' | 'embedding';

/** Prices that take effect on a date (UTC midnight) or at an ISO instant, replacing the earlier ones. */
export interface PriceChange {
  /** `YYYY-MM-DD` (UTC midnight) or an ISO timestamp with a zone, e.g. `2025-09-05T16:00:00Z`. */
  effectiveFrom: string;
  prices: ModelPrices;
}

/** One model of the catalog. */
export interface ModelInfo {
  id: string;
  provider: string;
  /** @default 'chat'; embedding models are left out of chat routing. */
  kind?: ModelKind;
  tier: ModelTier;
  contextWindow: number;
  /** 0 for embedding models. */
  maxOutputTokens: number;
  /** The prices in force (as seen through a catalog), or the base prices (in a model table). */
  prices: ModelPrices;
  /** Dated price changes in ascending order; `prices` holds before the first one. */
  priceChanges?: PriceChange[];
  /** Relative quality from 0 to 1, comparable across providers. */
  quality: number;
  /** Date (YYYY-MM-DD) the prices were taken from the provider's price list. */
  pricesAsOf: string;
  supportsTools: boolean;
  supportsJson: boolean;
  /** Data-residency regions the model is served in (for example `['us', 'eu']`); absent means unrestricted. */
  regions?: string[];
  /** Vector length of an embedding model. */
  dimensions?: number;
}

const micros = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const tokenPricesShape = {
  inputPerMillionMicros: micros,
  outputPerMillionMicros: micros,
  cachedInputPerMillionMicros: micros,
  cacheWriteInputPerMillionMicros: micros.optional(),
  cacheWrite1hInputPerMillionMicros: micros.optional(),
  reasoningPerMillionMicros: micros.optional(),
};
const ascending =
  <T>(key: (item: T) => number, message: string) =>
  (items: T[], context: z.RefinementCtx) => {
    for (let index = 1; index < items.length; index++) {
      if (key(items[index]!) <= key(items[index - 1]!))
        context.addIssue({ code: 'custom', path: [index], message });
    }
  };
const pricesSchema = z.object({
  ...tokenPricesShape,
  longContext: z
    .array(
      z.object({
        aboveInputTokens: z.number().int().positive(),
        prices: z.object(tokenPricesShape).strict(),
      }),
    )
    .superRefine(ascending((tier) => tier.aboveInputTokens, 'thresholds must ascend'))
    .optional(),
});
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const effectiveFrom = z
  .string()
  .refine((value) => (DATE.test(value) || INSTANT.test(value)) && Number.isFinite(Date.parse(value)), {
    message: 'expected YYYY-MM-DD or an ISO timestamp with a zone',
  });
const priceChangesSchema = z
  .array(z.object({ effectiveFrom, prices: pricesSchema }))
  .superRefine(ascending((change) => Date.parse(change.effectiveFrom), 'dates must ascend'));

/** Schema of a model given to {@link createCatalog}. */
export const modelSchema = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  kind: z.enum(['chat', 'embedding']).optional(),
  tier: z.enum(['small', 'standard', 'advanced']),
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().nonnegative(),
  prices: pricesSchema,
  priceChanges: priceChangesSchema.optional(),
  quality: z.number().min(0).max(1),
  pricesAsOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  supportsTools: z.boolean().default(true),
  supportsJson: z.boolean().default(true),
  regions: z.array(z.string().min(1)).min(1).optional(),
  dimensions: z.number().int().positive().optional(),
});

/** A model as given to {@link createCatalog}; `supportsTools` and `supportsJson` default to true. */
export type ModelInfoInput = z.input<typeof modelSchema>;

/** Filter for {@link Catalog.list}. */
export interface ModelFilter {
  provider?: string;
  tier?: ModelTier;
  /** Only these ids (an allow-list). */
  ids?: readonly string[];
  /** Only these providers. */
  providers?: readonly string[];
  /** Which kind of model; `'any'` lists both. @default 'chat' */
  kind?: ModelKind | 'any';
}

/** A model table: look-ups, filters and exact cost arithmetic, with prices as of the catalog's clock. */
export interface Catalog {
  /** The model with the prices in force now, or undefined. */
  get(id: string): ModelInfo | undefined;
  /** The model with the prices in force now. @throws ValidationError when the id is unknown. */
  require(id: string): ModelInfo;
  /** The models matching every field of the filter (the chat models without one). */
  list(filter?: ModelFilter): ModelInfo[];
  /** The model's prices in force at `at` (epoch ms, default now). @throws ValidationError when the id is unknown. */
  pricesAt(id: string, at?: number): ModelPrices;
  /**
   * Exact cost of a usage on a model, in integer micro-dollars, at the prices in force at `at`
   * (epoch ms, default now) and in the long-context tier its input falls into.
   * @throws ValidationError when the id is unknown or the usage is malformed.
   */
  costOf(modelId: string, usage: Usage, at?: number): number;
}

/** A partial change to a model: any field, and any of its prices. */
export type ModelOverride = Partial<Omit<ModelInfo, 'id' | 'prices'>> & { prices?: Partial<ModelPrices> };

/** Options of {@link createCatalog}. */
export interface CatalogOptions {
  /** Models to add, or to replace built-in ones with the same id. */
  models?: readonly ModelInfoInput[];
  /**
   * Partial changes to existing models, by id (e.g. negotiated prices). Price fields given here
   * replace those fields in the base prices and in every dated change.
   */
  overrides?: Record<string, ModelOverride>;
  /** Dated price updates by model id, added to the model's changes (a catalog update from its date on). */
  priceChanges?: Record<string, readonly PriceChange[]>;
  /** Start from {@link defaultModels}. @default true */
  includeDefaults?: boolean;
  /** What "now" is for the prices in force. @default systemClock */
  clock?: Clock;
}

const unknownModel = (id: unknown) =>
  new ValidationError('model', [
    {
      path: 'model',
      message: typeof id === 'string' ? `unknown model "${id}"` : `expected a model id, got ${typeof id}`,
    },
  ]);

/**
 * Builds a catalog from the built-in table plus the host's models, overrides and dated price changes.
 * @throws ValidationError on a malformed model or change, or an override of an unknown id.
 * @example
 * ```ts
 * const catalog = createCatalog({ overrides: { 'gpt-4.1': { prices: { inputPerMillionMicros: 1_800_000 } } } });
 * catalog.costOf('gpt-4.1', { inputTokens: 1000, outputTokens: 200, cachedInputTokens: 0 }); // 3400
 * ```
 */
export function createCatalog(input: CatalogOptions = {}): Catalog {
  const options = readOptions(input, 'createCatalog');
  const clock = options.clock ?? systemClock;
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
    const merged = {
      ...base,
      ...change,
      id,
      prices: { ...base.prices, ...change.prices },
      priceChanges: (change.priceChanges ?? base.priceChanges)?.map((dated) => ({
        ...dated,
        prices: { ...dated.prices, ...change.prices },
      })),
    };
    table.set(id, parseWith(modelSchema, merged, `override of ${id}`) as ModelInfo);
  }
  for (const [id, changes] of Object.entries(options.priceChanges ?? {})) {
    const base = table.get(id);
    if (!base)
      throw new ValidationError('catalog price change', [
        { path: `priceChanges.${id}`, message: 'unknown model id' },
      ]);
    const merged = { ...base, priceChanges: [...(base.priceChanges ?? []), ...changes] };
    table.set(id, parseWith(modelSchema, merged, `price changes of ${id}`) as ModelInfo);
  }
  const schedules = new Map<string, Array<{ from: number; prices: ModelPrices }>>();
  for (const m of table.values()) {
    if (m.priceChanges?.length) {
      schedules.set(
        m.id,
        m.priceChanges.map((change) => ({ from: Date.parse(change.effectiveFrom), prices: change.prices })),
      );
    }
  }
  const pricesOf = (m: ModelInfo, at: number): ModelPrices => {
    let prices = m.prices;
    for (const change of schedules.get(m.id) ?? []) if (change.from <= at) prices = change.prices;
    return prices;
  };
  // The clock is read only for a model whose prices change over time: routing prices many models.
  const pricesNow = (m: ModelInfo): ModelPrices =>
    schedules.has(m.id) ? pricesOf(m, clock.now()) : m.prices;
  // Views with the prices in force, rebuilt only when the clock has crossed a change date.
  const instants = [...schedules.values()]
    .flatMap((list) => list.map((change) => change.from))
    .sort((a, b) => a - b);
  let epoch = -1;
  let views = new Map<string, ModelInfo>();
  // The views as a list, for list(): built with them.
  let viewList: ModelInfo[] = [];
  const current = (): Map<string, ModelInfo> => {
    const now = clock.now();
    let crossed = 0;
    while (crossed < instants.length && instants[crossed]! <= now) crossed++;
    if (crossed !== epoch) {
      epoch = crossed;
      views = new Map(
        [...table].map(([id, m]) => [id, schedules.has(id) ? { ...m, prices: pricesOf(m, now) } : m]),
      );
      viewList = [...views.values()];
    }
    return views;
  };
  const require = (id: string): ModelInfo => {
    const found = current().get(id);
    if (!found) throw unknownModel(id);
    return found;
  };
  return {
    get: (id) => current().get(id),
    require,
    list(filter = {}) {
      if (typeof filter !== 'object' || filter === null) expectObject(filter, 'catalog.list', 'filter');
      try {
        const kind = filter.kind ?? 'chat';
        current();
        return viewList.filter(
          (m) =>
            (kind === 'any' || (m.kind ?? 'chat') === kind) &&
            (filter.provider === undefined || m.provider === filter.provider) &&
            (filter.tier === undefined || m.tier === filter.tier) &&
            (filter.ids === undefined || filter.ids.includes(m.id)) &&
            (filter.providers === undefined || filter.providers.includes(m.provider)),
        );
      } catch (thrown) {
        throw asInputError(thrown, 'catalog.list');
      }
    },
    pricesAt(id, at = clock.now()) {
      expectNumber(at, 'catalog.pricesAt', 'at');
      const m = table.get(id);
      if (!m) throw unknownModel(id);
      return pricesOf(m, at);
    },
    costOf(modelId, usage, at) {
      const m = table.get(modelId);
      if (!m) throw unknownModel(modelId);
      if (typeof usage !== 'object' || usage === null) expectObject(usage, 'catalog.costOf', 'usage');
      if (at !== undefined) expectNumber(at, 'catalog.costOf', 'at');
      try {
        return costOf(at === undefined ? pricesNow(m) : pricesOf(m, at), usage);
      } catch (thrown) {
        throw asInputError(thrown, 'catalog.costOf');
      }
    },
  };
}
