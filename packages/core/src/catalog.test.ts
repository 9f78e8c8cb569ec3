import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costOf, createCatalog, defaultModels, Forge1Error, modelSchema } from './index.js';

const reference = (
  prices: { i: number; o: number; c: number },
  u: { input: number; output: number; cached: number },
) => {
  const exact =
    BigInt(u.input - u.cached) * BigInt(prices.i) +
    BigInt(u.cached) * BigInt(prices.c) +
    BigInt(u.output) * BigInt(prices.o);
  // Round half up: floor((exact + 500 000) / 1 000 000).
  return Number((exact + 500_000n) / 1_000_000n);
};

describe('costOf', () => {
  it('is exact to the micro-dollar over a million random usages', () => {
    const usage = fc
      .record({
        input: fc.nat({ max: 2_000_000_000 }),
        output: fc.nat({ max: 2_000_000_000 }),
        share: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(({ input, output, share }) => ({ input, output, cached: Math.floor(input * share) }));
    const prices = fc.record({
      i: fc.nat({ max: 100_000_000 }),
      o: fc.nat({ max: 200_000_000 }),
      c: fc.nat({ max: 50_000_000 }),
    });
    fc.assert(
      fc.property(prices, usage, (p, u) => {
        const got = costOf(
          { inputPerMillionMicros: p.i, outputPerMillionMicros: p.o, cachedInputPerMillionMicros: p.c },
          { inputTokens: u.input, outputTokens: u.output, cachedInputTokens: u.cached },
        );
        return got === reference(p, u);
      }),
      { numRuns: 1_000_000, seed: 42 },
    );
  });

  it('charges cached input at the cached price', () => {
    const prices = {
      inputPerMillionMicros: 2_000_000,
      outputPerMillionMicros: 8_000_000,
      cachedInputPerMillionMicros: 500_000,
    };
    expect(costOf(prices, { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 1_000_000 })).toBe(
      500_000,
    );
    expect(costOf(prices, { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 0 })).toBe(2_000_000);
  });

  it('rounds half a micro-dollar up', () => {
    const prices = { inputPerMillionMicros: 1, outputPerMillionMicros: 0, cachedInputPerMillionMicros: 0 };
    expect(costOf(prices, { inputTokens: 499_999, outputTokens: 0, cachedInputTokens: 0 })).toBe(0);
    expect(costOf(prices, { inputTokens: 500_000, outputTokens: 0, cachedInputTokens: 0 })).toBe(1);
  });

  it('rejects negative, fractional and inconsistent token counts with a validation error', () => {
    const prices = defaultModels[0]!.prices;
    for (const usage of [
      { inputTokens: -1, outputTokens: 0, cachedInputTokens: 0 },
      { inputTokens: 1.5, outputTokens: 0, cachedInputTokens: 0 },
      { inputTokens: 10, outputTokens: 0, cachedInputTokens: 11 },
      { inputTokens: Number.NaN, outputTokens: 0, cachedInputTokens: 0 },
    ]) {
      expect(() => costOf(prices, usage)).toThrowError(expect.objectContaining({ code: 'validation_error' }));
    }
  });
});

describe('createCatalog', () => {
  it('lists current models of the five providers with prices and tiers', () => {
    const catalog = createCatalog();
    const providers = new Set(catalog.list().map((m) => m.provider));
    expect([...providers].sort()).toEqual(['anthropic', 'deepseek', 'google', 'openai', 'qwen']);
    for (const tier of ['small', 'standard', 'advanced'] as const)
      expect(catalog.list({ tier }).length).toBeGreaterThan(0);
  });

  it('applies price overrides and keeps the other prices', () => {
    const catalog = createCatalog({
      overrides: { 'gpt-4.1': { prices: { inputPerMillionMicros: 1_000_000 } } },
    });
    expect(catalog.require('gpt-4.1').prices).toEqual({
      inputPerMillionMicros: 1_000_000,
      outputPerMillionMicros: 8_000_000,
      cachedInputPerMillionMicros: 500_000,
    });
  });

  it('adds host models and filters by provider and allow-list', () => {
    const catalog = createCatalog({
      models: [
        {
          id: 'llama-local',
          provider: 'vllm',
          tier: 'small',
          contextWindow: 8192,
          maxOutputTokens: 2048,
          prices: { inputPerMillionMicros: 0, outputPerMillionMicros: 0, cachedInputPerMillionMicros: 0 },
          quality: 0.4,
          pricesAsOf: '2026-01-01',
        },
      ],
    });
    expect(catalog.list({ provider: 'vllm' }).map((m) => m.id)).toEqual(['llama-local']);
    expect(catalog.list({ ids: ['llama-local', 'gpt-4.1'] })).toHaveLength(2);
  });

  it('names the bad field of a malformed model', () => {
    try {
      createCatalog({ models: [{ id: 'x', provider: 'p', tier: 'huge' } as never] });
      expect.unreachable();
    } catch (error) {
      expect(Forge1Error.is(error, 'validation_error')).toBe(true);
      expect((error as Error).message).toMatch(/tier/);
    }
  });

  it('refuses to override an unknown model and to price an unknown one', () => {
    expect(() => createCatalog({ overrides: { nope: { quality: 1 } } })).toThrow(/unknown model id/);
    expect(() =>
      createCatalog().costOf('nope', { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 }),
    ).toThrow(/unknown model/);
  });

  it('exposes the model schema for hosts that validate their own model tables', () => {
    expect(modelSchema.safeParse(defaultModels[0]).success).toBe(true);
    expect(modelSchema.safeParse({ ...defaultModels[0], quality: 2 }).success).toBe(false);
  });
});
