// The public, checked versions of core's pure helpers. The package index exports these under the
// helpers' own names; code inside core imports the unchecked ones from their modules, so that
// the gateway's hot path pays nothing for checks of what it built itself.

import type { z } from 'zod';
import { addUsage as addUsageUnchecked, type Usage } from './chat.js';
import {
  deriveContext as deriveContextUnchecked,
  type RequestContext,
  type RequestContextInput,
  runInContext as runInContextUnchecked,
} from './context.js';
import { ValidationError, type ValidationIssue } from './errors.js';
import {
  asInputError,
  expectFunction,
  expectNumber,
  expectObject,
  expectString,
  finite,
  notParts,
} from './guards.js';
import { assertSpecificationV1 as assertSpecificationV1Unchecked } from './plugins.js';
import {
  costOf as costOfUnchecked,
  type ModelPrices,
  priceOf as priceOfUnchecked,
  type TokenPrices,
  tierPrices as tierPricesUnchecked,
} from './prices.js';
import { createSeededRandom as createSeededRandomUnchecked } from './random.js';
import { redact as redactUnchecked, type Secret } from './secret.js';
import { estimateTokens as estimateTokensUnchecked, type TokenEstimate } from './tokens.js';
import { billingPeriod as billingPeriodUnchecked } from './usage-record.js';
import { toIssues as toIssuesUnchecked } from './validation.js';

const usageCounts = ['inputTokens', 'outputTokens', 'cachedInputTokens'] as const;
const optionalCounts = ['cacheWriteInputTokens', 'cacheWrite1hInputTokens', 'reasoningTokens'] as const;

const isCount = (value: unknown) => typeof value === 'number' && Number.isFinite(value);

/** Throws unless `usage` is an object whose counts are finite numbers (NaN would spread into sums). */
function expectUsage(usage: unknown, fn: string, path: string): asserts usage is Usage {
  expectObject(usage, fn, path);
  try {
    const { inputTokens, outputTokens, cachedInputTokens } = usage;
    const { cacheWriteInputTokens, cacheWrite1hInputTokens, reasoningTokens } = usage;
    if (
      isCount(inputTokens) &&
      isCount(outputTokens) &&
      isCount(cachedInputTokens) &&
      (cacheWriteInputTokens === undefined || isCount(cacheWriteInputTokens)) &&
      (cacheWrite1hInputTokens === undefined || isCount(cacheWrite1hInputTokens)) &&
      (reasoningTokens === undefined || isCount(reasoningTokens))
    ) {
      return;
    }
    // The slow path, only to name the bad count.
    for (const key of usageCounts) expectNumber(usage[key], fn, `${path}.${key}`);
    for (const key of optionalCounts) {
      if (usage[key] !== undefined) expectNumber(usage[key], fn, `${path}.${key}`);
    }
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}

/**
 * Sums two usages; an optional count appears in the sum when either side has it.
 * @throws ValidationError when a usage is not an object of finite counts.
 */
export function addUsage(a: Usage, b: Usage): Usage {
  expectUsage(a, 'addUsage', 'a');
  expectUsage(b, 'addUsage', 'b');
  return addUsageUnchecked(a, b);
}

/**
 * Total tokens (input plus output) of a usage.
 * @throws ValidationError when the usage is not an object of finite counts.
 */
export function totalTokens(usage: Usage): number {
  expectUsage(usage, 'totalTokens', 'usage');
  return usage.inputTokens + usage.outputTokens;
}

/**
 * The token prices a request of `inputTokens` input tokens pays: the highest tier it exceeds, else the base.
 * @throws ValidationError when `prices` is not an object or `inputTokens` not a finite number.
 */
export function tierPrices(prices: ModelPrices, inputTokens: number): TokenPrices {
  expectObject(prices, 'tierPrices', 'prices');
  expectNumber(inputTokens, 'tierPrices', 'inputTokens');
  try {
    const chosen = tierPricesUnchecked(prices, inputTokens);
    expectObject(chosen, 'tierPrices', 'prices.longContext');
    return chosen;
  } catch (thrown) {
    throw asInputError(thrown, 'tierPrices');
  }
}

const priceKinds = new Set([
  'inputPerMillionMicros',
  'outputPerMillionMicros',
  'cachedInputPerMillionMicros',
  'cacheWriteInputPerMillionMicros',
  'cacheWrite1hInputPerMillionMicros',
  'reasoningPerMillionMicros',
]);

/**
 * The price of one token kind, with the documented fallbacks applied.
 * @throws ValidationError when `prices` is not an object, `kind` not a price name, or the price not a finite number.
 */
export function priceOf(prices: TokenPrices, kind: keyof TokenPrices): number {
  expectObject(prices, 'priceOf', 'prices');
  if (!priceKinds.has(kind)) {
    throw new ValidationError('priceOf arguments', [
      { path: 'kind', message: 'expected a token price name' },
    ]);
  }
  try {
    return finite(priceOfUnchecked(prices, kind), 'priceOf');
  } catch (thrown) {
    throw asInputError(thrown, 'priceOf');
  }
}

/**
 * Exact cost of a usage at the given prices, in integer micro-dollars: the exact rational sum
 * over every token kind, rounded once, half up. The long-context tier is chosen by
 * `inputTokens`. Cache reads and writes are parts of `inputTokens`, the 1-hour writes part of
 * the writes, and reasoning part of `outputTokens`; each part is charged at its own price
 * instead of the plain one, never twice.
 * @throws ValidationError when a count is negative or fractional, a part exceeds its whole, or
 * the prices are not finite numbers.
 * @example
 * ```ts
 * costOf({ inputPerMillionMicros: 2_000_000, outputPerMillionMicros: 8_000_000, cachedInputPerMillionMicros: 500_000 },
 *   { inputTokens: 1000, outputTokens: 200, cachedInputTokens: 0 }); // 3600
 * ```
 */
export function costOf(prices: ModelPrices, usage: Usage): number {
  expectObject(prices, 'costOf', 'prices');
  expectUsage(usage, 'costOf', 'usage');
  try {
    return finite(costOfUnchecked(prices, usage), 'costOf');
  } catch (thrown) {
    throw asInputError(thrown, 'costOf');
  }
}

/**
 * The default estimator: about four characters per token plus a few tokens of overhead per
 * message, images and files by the rules of {@link estimateImagePartTokens} and
 * {@link estimateFilePartTokens}.
 * @throws ValidationError when the request is not a chat request.
 */
export function estimateTokens(request: Parameters<typeof estimateTokensUnchecked>[0]): TokenEstimate {
  expectObject(request, 'estimateTokens', 'request');
  try {
    const estimate = estimateTokensUnchecked(request);
    finite(estimate.input, 'estimateTokens');
    finite(estimate.output, 'estimateTokens');
    return estimate;
  } catch (thrown) {
    throw asInputError(thrown, 'estimateTokens');
  }
}

/**
 * Tokens of streamed characters, for partial usage when a stream is cut before its final usage.
 * @throws ValidationError when `chars` is not a finite number.
 */
export function estimateCharTokens(chars: number): number {
  expectNumber(chars, 'estimateCharTokens', 'chars');
  return Math.ceil(chars / 4);
}

/**
 * A small, fast, seeded pseudo-random generator (mulberry32): uniform numbers in [0, 1), the
 * same sequence for the same seed. For reproducible tests, workloads and emulated answers;
 * not for anything secret.
 * @throws ValidationError when `seed` is not a finite number.
 * @example
 * ```ts
 * const random = createSeededRandom(42);
 * random(); // always the same first number for seed 42
 * ```
 */
export function createSeededRandom(seed: number): () => number {
  expectNumber(seed, 'createSeededRandom', 'seed');
  return createSeededRandomUnchecked(seed);
}

/**
 * Merges explicit fields over the current context. An explicit field always wins; a nested
 * context inherits the outer one's tenant and people but gets a fresh request id unless given one.
 * @throws ValidationError when `explicit` is not an object or `now` not a function.
 */
export function deriveContext(explicit: RequestContextInput, now: () => number = Date.now): RequestContext {
  expectObject(explicit, 'deriveContext', 'explicit');
  expectFunction(now, 'deriveContext', 'now');
  try {
    return deriveContextUnchecked(explicit, now);
  } catch (thrown) {
    throw asInputError(thrown, 'deriveContext');
  }
}

/**
 * Runs `fn` with a request context derived from `fields` and the current one.
 * @throws ValidationError when `fields` is not an object or `fn` not a function.
 * @example
 * ```ts
 * await runWithContext({ tenantId: 'acme', userId: 'u1' }, () => gateway.chat({ messages }));
 * ```
 */
export function runWithContext<T>(fields: RequestContextInput, fn: () => T): T {
  expectFunction(fn, 'runWithContext', 'fn');
  return runInContextUnchecked(deriveContext(fields), fn);
}

/**
 * Runs `fn` inside exactly this context (no merging).
 * @throws ValidationError when `context` is not an object or `fn` not a function.
 */
export function runInContext<T>(context: RequestContext, fn: () => T): T {
  expectObject(context, 'runInContext', 'context');
  expectFunction(fn, 'runInContext', 'fn');
  return runInContextUnchecked(context, fn);
}

/**
 * Replaces every occurrence of the given secrets in a text by `[redacted]`.
 * @throws ValidationError when `text` is not a string or `secrets` not an iterable of strings and Secrets.
 */
export function redact(text: string, secrets: Iterable<string | Secret>): string {
  expectString(text, 'redact', 'text');
  try {
    return redactUnchecked(text, secrets);
  } catch (thrown) {
    throw asInputError(thrown, 'redact');
  }
}

/**
 * The UTC billing period (`YYYY-MM`) of an epoch-millisecond timestamp.
 * @throws ValidationError when `timestamp` is not a finite number of a valid date.
 */
export function billingPeriod(timestamp: number): string {
  expectNumber(timestamp, 'billingPeriod', 'timestamp');
  // ±8.64e15 ms is the range of a Date.
  if (timestamp > 8.64e15 || timestamp < -8.64e15) {
    throw new ValidationError('billingPeriod arguments', [
      { path: 'timestamp', message: 'is out of the date range' },
    ]);
  }
  return billingPeriodUnchecked(timestamp);
}

/**
 * Checks that a plug-in implements version 1 of its port.
 * @throws ValidationError when it does not, or when `kind` is not a string.
 */
export function assertSpecificationV1(
  kind: string,
  plugin: { specificationVersion?: unknown } | undefined,
): void {
  expectString(kind, 'assertSpecificationV1', 'kind');
  assertSpecificationV1Unchecked(kind, plugin);
}

/**
 * Turns zod issues into field-level {@link ValidationIssue}s.
 * @throws ValidationError when `error` is not a zod error.
 */
export function toIssues(error: z.ZodError): ValidationIssue[] {
  expectObject(error, 'toIssues', 'error');
  try {
    if (!Array.isArray(error.issues))
      throw notParts('toIssues', 'error.issues', 'expected an array of issues');
    return toIssuesUnchecked(error);
  } catch (thrown) {
    throw asInputError(thrown, 'toIssues');
  }
}
