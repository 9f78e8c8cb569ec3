import type { Usage } from './chat.js';
import { ValidationError } from './errors.js';

/**
 * Prices of every token kind per million tokens, in integer micro-dollars ($1 = 1 000 000).
 * An absent optional price falls back as its TSDoc says, which is how each provider prices it.
 */
export interface TokenPrices {
  /** Input tokens neither read from nor written to the prompt cache. */
  inputPerMillionMicros: number;
  /** Output tokens other than reasoning. */
  outputPerMillionMicros: number;
  /** Input tokens read from the prompt cache. */
  cachedInputPerMillionMicros: number;
  /** Input tokens written to the prompt cache with the default (5-minute) lifetime. @default the input price */
  cacheWriteInputPerMillionMicros?: number;
  /** Input tokens written to the prompt cache with the 1-hour lifetime. @default the cache-write price */
  cacheWrite1hInputPerMillionMicros?: number;
  /** Reasoning (thinking) tokens. @default the output price */
  reasoningPerMillionMicros?: number;
}

/** Higher prices for a request whose input tokens exceed a threshold; all of its tokens pay them. */
export interface LongContextTier {
  /** The tier applies when `inputTokens` is greater than this. */
  aboveInputTokens: number;
  prices: TokenPrices;
}

/** A model's prices: the base prices and, optionally, long-context tiers in ascending threshold order. */
export interface ModelPrices extends TokenPrices {
  longContext?: LongContextTier[];
}

/** The token prices a request of `inputTokens` input tokens pays: the highest tier it exceeds, else the base. */
export function tierPrices(prices: ModelPrices, inputTokens: number): TokenPrices {
  let chosen: TokenPrices = prices;
  const tiers = prices.longContext;
  if (tiers !== undefined)
    for (const tier of tiers) if (inputTokens > tier.aboveInputTokens) chosen = tier.prices;
  return chosen;
}

/** Checks that every count is a non-negative integer and that no part exceeds its whole. */
function checkUsage(usage: Usage): void {
  const { inputTokens, outputTokens, cachedInputTokens } = usage;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const cacheWrite1h = usage.cacheWrite1hInputTokens ?? 0;
  const reasoning = usage.reasoningTokens ?? 0;
  checkCount('inputTokens', inputTokens);
  checkCount('outputTokens', outputTokens);
  checkCount('cachedInputTokens', cachedInputTokens);
  checkCount('cacheWriteInputTokens', cacheWrite);
  checkCount('cacheWrite1hInputTokens', cacheWrite1h);
  checkCount('reasoningTokens', reasoning);
  if (cachedInputTokens + cacheWrite > inputTokens) {
    const path = cacheWrite > 0 ? 'cacheWriteInputTokens' : 'cachedInputTokens';
    const message =
      cacheWrite > 0 ? 'cache reads plus writes cannot exceed inputTokens' : 'cannot exceed inputTokens';
    throw new ValidationError('usage', [{ path, message }]);
  }
  if (cacheWrite1h > cacheWrite) {
    throw new ValidationError('usage', [
      { path: 'cacheWrite1hInputTokens', message: 'cannot exceed cacheWriteInputTokens' },
    ]);
  }
  if (reasoning > outputTokens) {
    throw new ValidationError('usage', [{ path: 'reasoningTokens', message: 'cannot exceed outputTokens' }]);
  }
}

/** The price of one token kind, with the documented fallbacks applied. */
export function priceOf(prices: TokenPrices, kind: keyof TokenPrices): number {
  switch (kind) {
    case 'cacheWriteInputPerMillionMicros':
      return prices.cacheWriteInputPerMillionMicros ?? prices.inputPerMillionMicros;
    case 'cacheWrite1hInputPerMillionMicros':
      return prices.cacheWrite1hInputPerMillionMicros ?? priceOf(prices, 'cacheWriteInputPerMillionMicros');
    case 'reasoningPerMillionMicros':
      return prices.reasoningPerMillionMicros ?? prices.outputPerMillionMicros;
    default:
      return prices[kind];
  }
}

/**
 * Exact cost of a usage at the given prices, in integer micro-dollars: the exact rational sum
 * over every token kind, rounded once, half up. The long-context tier is chosen by
 * `inputTokens`. Cache reads and writes are parts of `inputTokens`, the 1-hour writes part of
 * the writes, and reasoning part of `outputTokens`; each part is charged at its own price
 * instead of the plain one, never twice.
 * @throws ValidationError when a count is negative or fractional, or a part exceeds its whole.
 */
export function costOf(prices: ModelPrices, usage: Usage): number {
  checkUsage(usage);
  const tier = tierPrices(prices, usage.inputTokens);
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const cacheWrite1h = usage.cacheWrite1hInputTokens ?? 0;
  const reasoning = usage.reasoningTokens ?? 0;
  // Each kind once, billed by its own price; no array per call (this runs per model per decision).
  const plainInput = usage.inputTokens - usage.cachedInputTokens - cacheWrite;
  const plainOutput = usage.outputTokens - reasoning;
  const inputPrice = tier.inputPerMillionMicros;
  const cachedPrice = tier.cachedInputPerMillionMicros;
  const writePrice = priceOf(tier, 'cacheWriteInputPerMillionMicros');
  const write1hPrice = priceOf(tier, 'cacheWrite1hInputPerMillionMicros');
  const outputPrice = tier.outputPerMillionMicros;
  const reasoningPrice = priceOf(tier, 'reasoningPerMillionMicros');
  const fast =
    plainInput * inputPrice +
    usage.cachedInputTokens * cachedPrice +
    (cacheWrite - cacheWrite1h) * writePrice +
    cacheWrite1h * write1hPrice +
    plainOutput * outputPrice +
    reasoning * reasoningPrice;
  if (fast <= Number.MAX_SAFE_INTEGER - 500_000) return divideRounded(fast + 500_000);
  const exact =
    BigInt(plainInput) * BigInt(inputPrice) +
    BigInt(usage.cachedInputTokens) * BigInt(cachedPrice) +
    BigInt(cacheWrite - cacheWrite1h) * BigInt(writePrice) +
    BigInt(cacheWrite1h) * BigInt(write1hPrice) +
    BigInt(plainOutput) * BigInt(outputPrice) +
    BigInt(reasoning) * BigInt(reasoningPrice);
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
