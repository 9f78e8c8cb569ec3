import type { ModelInfo, ModelTier } from './catalog.js';
import type { ModelPrices, TokenPrices } from './prices.js';

const usd = (dollarsPerMillion: number) => Math.round(dollarsPerMillion * 1_000_000);

/** USD per million: input, output, cache read, and optionally 5-minute and 1-hour cache writes. */
type Dollars = [input: number, output: number, cacheRead: number, cacheWrite?: number, cacheWrite1h?: number];

function tokenPrices([input, output, cacheRead, cacheWrite, cacheWrite1h]: Dollars): TokenPrices {
  return {
    inputPerMillionMicros: usd(input),
    outputPerMillionMicros: usd(output),
    cachedInputPerMillionMicros: usd(cacheRead),
    ...(cacheWrite === undefined ? {} : { cacheWriteInputPerMillionMicros: usd(cacheWrite) }),
    ...(cacheWrite1h === undefined ? {} : { cacheWrite1hInputPerMillionMicros: usd(cacheWrite1h) }),
  };
}

function prices(base: Dollars, longContext?: { above: number; prices: Dollars }): ModelPrices {
  return {
    ...tokenPrices(base),
    ...(longContext && {
      longContext: [{ aboveInputTokens: longContext.above, prices: tokenPrices(longContext.prices) }],
    }),
  };
}

interface Extra {
  asOf?: string;
  longContext?: { above: number; prices: Dollars };
  /** Dated changes, ascending; the base prices hold before the first. */
  changes?: ReadonlyArray<{ from: string; prices: Dollars }>;
}

function model(
  id: string,
  provider: string,
  tier: ModelTier,
  contextWindow: number,
  maxOutputTokens: number,
  base: Dollars,
  quality: number,
  extra: Extra = {},
): ModelInfo {
  return {
    id,
    provider,
    tier,
    contextWindow,
    maxOutputTokens,
    prices: prices(base, extra.longContext),
    ...(extra.changes && {
      priceChanges: extra.changes.map((change) => ({
        effectiveFrom: change.from,
        prices: prices(change.prices),
      })),
    }),
    quality,
    pricesAsOf: extra.asOf ?? '2026-02-15',
    supportsTools: true,
    supportsJson: true,
  };
}

function embedding(
  id: string,
  provider: string,
  contextWindow: number,
  dimensions: number,
  input: number,
  quality: number,
): ModelInfo {
  return {
    ...model(id, provider, 'standard', contextWindow, 0, [input, 0, 0], quality, { asOf: '2026-02-15' }),
    kind: 'embedding',
    dimensions,
    supportsTools: false,
    supportsJson: false,
  };
}

// Anthropic: cache reads 0.1 ×, 5-minute writes 1.25 ×, 1-hour writes 2 × the input price;
// above 200 000 input tokens (1M-context beta) every token paid 2 × input and 1.5 × output, until
// the 1M window of Opus 4.6 and Sonnet 4.6 became generally available at the flat prices.
const claude = (input: number, output: number): Dollars => [
  input,
  output,
  input / 10,
  input * 1.25,
  input * 2,
];
const claudeFlatFrom = '2026-03-13';
const claudeLong = (input: number, output: number) => ({
  above: 200_000,
  prices: claude(input * 2, output * 1.5),
});

/**
 * The built-in model table: list prices in USD per million tokens from the providers' public
 * price pages as of {@link ModelInfo.pricesAsOf} — input, output, cache read and (Anthropic) the
 * 5-minute and 1-hour cache writes; long-context tiers (Gemini 2.5 Pro above 200 000 input
 * tokens, and Claude's 1M-context beta before 2026-03-13, as a dated change). Reasoning tokens pay the
 * output price at every listed provider; OpenAI, Gemini (implicit caching) and DeepSeek charge
 * no cache-write premium, so their writes pay the input price. Hosts override prices, add models
 * and add dated changes through `createCatalog`.
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
  model('claude-haiku-4-5', 'anthropic', 'small', 200_000, 64_000, claude(1, 5), 0.72),
  model('claude-sonnet-4-6', 'anthropic', 'standard', 1_000_000, 128_000, claude(3, 15), 0.9, {
    longContext: claudeLong(3, 15),
    changes: [{ from: claudeFlatFrom, prices: claude(3, 15) }],
  }),
  model('claude-opus-4-6', 'anthropic', 'advanced', 1_000_000, 128_000, claude(5, 25), 0.95, {
    longContext: claudeLong(5, 25),
    changes: [{ from: claudeFlatFrom, prices: claude(5, 25) }],
  }),
  model('gemini-2.5-flash-lite', 'google', 'small', 1_048_576, 65_536, [0.1, 0.4, 0.01], 0.56),
  model('gemini-2.5-flash', 'google', 'standard', 1_048_576, 65_536, [0.3, 2.5, 0.03], 0.77),
  model('gemini-2.5-pro', 'google', 'advanced', 1_048_576, 65_536, [1.25, 10, 0.125], 0.9, {
    longContext: { above: 200_000, prices: [2.5, 15, 0.25] },
  }),
  // DeepSeek's V3.2 prices ($0.28 / $0.42 / $0.028 since 2025-09-29) would make its advanced model
  // the cheapest of all and change routing; they stay out of the default table until routing is
  // ready for them, and a host adds them with `priceChanges` (see the metering guide).
  model('deepseek-chat', 'deepseek', 'standard', 128_000, 8_192, [0.27, 1.1, 0.07], 0.75),
  model('deepseek-reasoner', 'deepseek', 'advanced', 128_000, 65_536, [0.55, 2.19, 0.14], 0.84),
  model('qwen-turbo', 'qwen', 'small', 1_000_000, 8_192, [0.05, 0.2, 0.02], 0.5),
  model('qwen-plus', 'qwen', 'standard', 131_072, 8_192, [0.4, 1.2, 0.16], 0.72),
  model('qwen-max', 'qwen', 'advanced', 32_768, 8_192, [1.6, 6.4, 0.64], 0.82),
  embedding('text-embedding-3-small', 'openai', 8_191, 1_536, 0.02, 0.62),
  embedding('text-embedding-3-large', 'openai', 8_191, 3_072, 0.13, 0.65),
  embedding('gemini-embedding-001', 'google', 2_048, 3_072, 0.15, 0.68),
]);
