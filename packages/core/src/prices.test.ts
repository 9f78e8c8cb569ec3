import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  costOf,
  createCatalog,
  type ModelPrices,
  type TokenPrices,
  tierPrices,
  type Usage,
} from './index.js';

// A fixed seed in CI; a fresh one locally, printed so that a failure can be replayed.
const seed = process.env.CI ? 1414 : Math.floor(Math.random() * 2 ** 31);
console.log(`prices property seed: ${seed}`);

/** The reference: every token kind in BigInt, at its own price, rounded half up once. */
function reference(prices: ModelPrices, usage: Required<Usage>): number {
  const tier: TokenPrices = tierPrices(prices, usage.inputTokens);
  const write = BigInt(tier.cacheWriteInputPerMillionMicros ?? tier.inputPerMillionMicros);
  const write1h =
    tier.cacheWrite1hInputPerMillionMicros === undefined
      ? write
      : BigInt(tier.cacheWrite1hInputPerMillionMicros);
  const reasoning = BigInt(tier.reasoningPerMillionMicros ?? tier.outputPerMillionMicros);
  const u = {
    input: BigInt(usage.inputTokens),
    output: BigInt(usage.outputTokens),
    read: BigInt(usage.cachedInputTokens),
    write: BigInt(usage.cacheWriteInputTokens),
    write1h: BigInt(usage.cacheWrite1hInputTokens),
    reasoning: BigInt(usage.reasoningTokens),
  };
  const exact =
    (u.input - u.read - u.write) * BigInt(tier.inputPerMillionMicros) +
    u.read * BigInt(tier.cachedInputPerMillionMicros) +
    (u.write - u.write1h) * write +
    u.write1h * write1h +
    (u.output - u.reasoning) * BigInt(tier.outputPerMillionMicros) +
    u.reasoning * reasoning;
  return Number((exact + 500_000n) / 1_000_000n);
}

const price = fc.nat({ max: 200_000_000 });
const tokenPrices = fc.record(
  {
    inputPerMillionMicros: price,
    outputPerMillionMicros: price,
    cachedInputPerMillionMicros: price,
    cacheWriteInputPerMillionMicros: price,
    cacheWrite1hInputPerMillionMicros: price,
    reasoningPerMillionMicros: price,
  },
  { requiredKeys: ['inputPerMillionMicros', 'outputPerMillionMicros', 'cachedInputPerMillionMicros'] },
);
const modelPrices = fc
  .tuple(tokenPrices, fc.option(fc.tuple(fc.nat({ max: 3_000_000_000 }), tokenPrices), { nil: undefined }))
  .map(
    ([base, tier]): ModelPrices =>
      tier ? { ...base, longContext: [{ aboveInputTokens: tier[0] + 1, prices: tier[1] }] } : base,
  );
const share = fc.double({ min: 0, max: 1, noNaN: true });
const usage = fc
  .record({
    input: fc.nat({ max: 4_000_000_000 }),
    output: fc.nat({ max: 4_000_000_000 }),
    a: share,
    b: share,
    c: share,
    d: share,
  })
  .map(({ input, output, a, b, c, d }): Required<Usage> => {
    const read = Math.floor(input * a);
    const write = Math.floor((input - read) * b);
    return {
      inputTokens: input,
      outputTokens: output,
      cachedInputTokens: read,
      cacheWriteInputTokens: write,
      cacheWrite1hInputTokens: Math.floor(write * c),
      reasoningTokens: Math.floor(output * d),
    };
  });

describe('costOf over every token kind', () => {
  it('equals the BigInt reference to the micro-dollar, tiers and fallback prices included', () => {
    fc.assert(
      fc.property(modelPrices, usage, (p, u) => costOf(p, u) === reference(p, u)),
      { numRuns: 200_000, seed },
    );
  });

  it('treats absent cache-write and reasoning counts as zero', () => {
    const p = { inputPerMillionMicros: 3, outputPerMillionMicros: 5, cachedInputPerMillionMicros: 1 };
    fc.assert(
      fc.property(fc.nat({ max: 1e9 }), fc.nat({ max: 1e9 }), (input, output) => {
        const plain = { inputTokens: input, outputTokens: output, cachedInputTokens: 0 };
        const zeros = { ...plain, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 };
        return costOf(p, plain) === costOf(p, zeros);
      }),
      { numRuns: 10_000, seed },
    );
  });

  it('refuses parts larger than their whole, naming the field', () => {
    const p = createCatalog().require('claude-sonnet-4-6').prices;
    const base = { inputTokens: 10, outputTokens: 10, cachedInputTokens: 5 };
    const cases: Array<[Usage, string]> = [
      [{ ...base, cacheWriteInputTokens: 6 }, 'cacheWriteInputTokens'],
      [{ ...base, cacheWriteInputTokens: 2, cacheWrite1hInputTokens: 3 }, 'cacheWrite1hInputTokens'],
      [{ ...base, reasoningTokens: 11 }, 'reasoningTokens'],
      [{ ...base, reasoningTokens: -1 }, 'reasoningTokens'],
      [{ ...base, cacheWriteInputTokens: 0.5 }, 'cacheWriteInputTokens'],
    ];
    for (const [bad, path] of cases) {
      expect(() => costOf(p, bad)).toThrowError(
        expect.objectContaining({ code: 'validation_error', issues: [expect.objectContaining({ path })] }),
      );
    }
  });
});

describe('built-in prices, checked by hand against the providers’ price pages', () => {
  const catalog = createCatalog();

  it('Claude Sonnet 4.6: $3 input, $0.30 cache read, $3.75 5-minute write, $6 1-hour write, $15 output', () => {
    // 10 000 input of which 2 000 read and 3 000 written (1 000 for an hour), 1 000 output of which 400 thinking:
    // 5 000 × 3 + 2 000 × 0.30 + 2 000 × 3.75 + 1 000 × 6 + 1 000 × 15 = 44 100 µ$ (thinking is output).
    const usage = {
      inputTokens: 10_000,
      outputTokens: 1_000,
      cachedInputTokens: 2_000,
      cacheWriteInputTokens: 3_000,
      cacheWrite1hInputTokens: 1_000,
      reasoningTokens: 400,
    };
    expect(catalog.costOf('claude-sonnet-4-6', usage)).toBe(44_100);
  });

  it('Claude Sonnet 4.6 above 200 000 input tokens: $6 / $22.50 in the 1M beta, flat since 2026-03-13', () => {
    const long = { inputTokens: 250_000, outputTokens: 2_000, cachedInputTokens: 0 };
    const beta = Date.parse('2026-03-01');
    // In the beta, every token of a request above 200 000: 250 000 × 6 + 2 000 × 22.5 = 1 545 000 µ$;
    // at 200 000 exactly the base prices hold: 600 000 + 30 000.
    expect(catalog.costOf('claude-sonnet-4-6', long, beta)).toBe(1_545_000);
    expect(catalog.costOf('claude-sonnet-4-6', { ...long, inputTokens: 200_000 }, beta)).toBe(630_000);
    // Generally available: 250 000 × 3 + 2 000 × 15 = 780 000 µ$, as for Opus 4.6 at its own prices.
    expect(catalog.costOf('claude-sonnet-4-6', long, Date.parse('2026-03-13'))).toBe(780_000);
    expect(catalog.costOf('claude-opus-4-6', long, Date.parse('2026-06-01'))).toBe(1_300_000);
    expect(catalog.require('claude-opus-4-6').contextWindow).toBe(1_000_000);
  });

  it('Claude Haiku 4.5: writes at $1.25 (5 min) and $2 (1 h), reads at $0.10', () => {
    // 1 000 000 written for 5 min, 1 000 000 for an hour, 1 000 000 read: 1.25 + 2 + 0.10 = $3.35.
    const usage = {
      inputTokens: 3_000_000,
      outputTokens: 0,
      cachedInputTokens: 1_000_000,
      cacheWriteInputTokens: 2_000_000,
      cacheWrite1hInputTokens: 1_000_000,
    };
    expect(catalog.costOf('claude-haiku-4-5', usage)).toBe(3_350_000);
  });

  it('GPT-5: reasoning tokens at the $10 output price, cache reads at $0.125, no write premium', () => {
    // 20 000 input (8 000 cached) and 5 000 output of which 4 000 reasoning:
    // 12 000 × 1.25 + 8 000 × 0.125 + 5 000 × 10 = 66 000 µ$.
    const usage = {
      inputTokens: 20_000,
      outputTokens: 5_000,
      cachedInputTokens: 8_000,
      reasoningTokens: 4_000,
    };
    expect(catalog.costOf('gpt-5', usage)).toBe(66_000);
    expect(catalog.costOf('gpt-5', { ...usage, cachedInputTokens: 0, cacheWriteInputTokens: 8_000 })).toBe(
      75_000,
    );
  });

  it('Gemini 2.5 Pro: thinking at the $10 output price up to 200 000 input tokens, $2.50 / $15 / $0.25 above', () => {
    // 100 000 input (40 000 cached), 10 000 output of which 6 000 thoughts: 60 000 × 1.25 + 40 000 × 0.125 + 10 000 × 10.
    const short = {
      inputTokens: 100_000,
      outputTokens: 10_000,
      cachedInputTokens: 40_000,
      reasoningTokens: 6_000,
    };
    expect(catalog.costOf('gemini-2.5-pro', short)).toBe(180_000);
    // 300 000 input (100 000 cached): 200 000 × 2.5 + 100 000 × 0.25 + 10 000 × 15 = 675 000 µ$.
    const long = { ...short, inputTokens: 300_000, cachedInputTokens: 100_000 };
    expect(catalog.costOf('gemini-2.5-pro', long)).toBe(675_000);
  });

  it('DeepSeek chat: $0.27 cache miss, $0.07 cache hit, $1.10 output as listed in the table', () => {
    // 1 000 000 input of which 600 000 hits, 100 000 output: 400 000 × 0.27 + 600 000 × 0.07 + 100 000 × 1.10.
    const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cachedInputTokens: 600_000 };
    expect(catalog.costOf('deepseek-chat', usage)).toBe(260_000);
  });

  it('OpenAI text-embedding-3-small: $0.02 per million input tokens', () => {
    expect(
      catalog.costOf('text-embedding-3-small', {
        inputTokens: 2_500_000,
        outputTokens: 0,
        cachedInputTokens: 0,
      }),
    ).toBe(50_000);
  });
});
