import { Forge1Error } from '@forge1/core';
import fc from 'fast-check';
import { hostileValues } from '../../scripts/hostile-values.ts';

/** Getters and Proxies that throw, revoked Proxies, symbols, NaN, ±Infinity, −0, bigints, cycles, … */
export const hostile = fc
  .integer({ min: 0, max: hostileValues.length - 1 })
  .map((index) => hostileValues[index]);

const ordinary = fc.anything({
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withTypedArray: true,
  withSparseArray: true,
  maxDepth: 3,
});

/** Any value at all, exotic and hostile ones included. */
export const anything = fc.oneof({ weight: 4, arbitrary: ordinary }, { weight: 1, arbitrary: hostile });

/** A value of the wrong kind most of the time: for one field of otherwise plausible options. */
export const wrongOr = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 2, arbitrary: good }, { weight: 1, arbitrary: anything });

/** Numbers that break validation: negative, fractional, huge, NaN, infinite. */
export const badNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 2 ** 53, 1e308),
);

/** Throws anything `fn` throws that is not a Forge1Error; returns what `fn` returned (or undefined). */
export function expectTyped<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    if (!Forge1Error.is(error)) throw error;
    return undefined;
  }
}

/**
 * Awaits `fn()` for at most `timeoutMs`: rethrows anything it rejects with that is not a
 * Forge1Error, and fails on a hang.
 */
export async function expectTypedAsync<T>(fn: () => Promise<T>, timeoutMs = 2_000): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung for ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([fn(), hang]);
  } catch (error) {
    if (!Forge1Error.is(error)) throw error;
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Collects unhandled rejections and uncaught exceptions while installed. */
export function trackUnhandled(): { readonly seen: unknown[]; dispose(): void } {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', onRejection);
  return {
    seen,
    dispose: () => {
      process.off('unhandledRejection', onRejection);
    },
  };
}
