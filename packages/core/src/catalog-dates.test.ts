import { describe, expect, it } from 'vitest';
import { type CatalogOptions, createCatalog, Forge1Error } from './index.js';
import { createFakeClock } from './testing/index.js';

const usage = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 0 };
const raise = {
  effectiveFrom: '2026-03-01',
  prices: {
    inputPerMillionMicros: 3_000_000,
    outputPerMillionMicros: 9_000_000,
    cachedInputPerMillionMicros: 600_000,
  },
};

describe('dated prices', () => {
  it('apply a catalog update from its date on, and the old prices before it', async () => {
    const clock = createFakeClock(Date.parse('2026-02-27T12:00:00Z'));
    const catalog = createCatalog({ clock, priceChanges: { 'gpt-4.1': [raise] } });
    expect(catalog.costOf('gpt-4.1', usage)).toBe(2_000_000);
    expect(catalog.require('gpt-4.1').prices.inputPerMillionMicros).toBe(2_000_000);
    await clock.advance(2 * 86_400_000);
    expect(catalog.costOf('gpt-4.1', usage)).toBe(3_000_000);
    expect(catalog.require('gpt-4.1').prices.inputPerMillionMicros).toBe(3_000_000);
    expect(catalog.list({ ids: ['gpt-4.1'] })[0]?.prices.inputPerMillionMicros).toBe(3_000_000);
  });

  it('price a past moment at the prices in force then', () => {
    const catalog = createCatalog({ priceChanges: { 'gpt-4.1': [raise] } });
    expect(catalog.costOf('gpt-4.1', usage, Date.parse('2026-02-28T23:59:59Z'))).toBe(2_000_000);
    expect(catalog.costOf('gpt-4.1', usage, Date.parse('2026-03-01T00:00:00Z'))).toBe(3_000_000);
    expect(catalog.pricesAt('gpt-4.1', Date.parse('2026-01-01')).inputPerMillionMicros).toBe(2_000_000);
  });

  it('take DeepSeek’s two 2025 price changes, each from its instant', () => {
    const dollars = (input: number, output: number, hit: number) => ({
      inputPerMillionMicros: input,
      outputPerMillionMicros: output,
      cachedInputPerMillionMicros: hit,
    });
    const catalog = createCatalog({
      priceChanges: {
        'deepseek-chat': [
          { effectiveFrom: '2025-09-05T16:00:00Z', prices: dollars(560_000, 1_680_000, 70_000) },
          { effectiveFrom: '2025-09-29', prices: dollars(280_000, 420_000, 28_000) },
        ],
      },
    });
    const at = (iso: string) => catalog.pricesAt('deepseek-chat', Date.parse(iso)).outputPerMillionMicros;
    expect(at('2025-09-05T15:59:59Z')).toBe(1_100_000);
    expect(at('2025-09-05T16:00:00Z')).toBe(1_680_000);
    expect(at('2025-09-29T00:00:00Z')).toBe(420_000);
  });

  it('keep a negotiated override in force across dated changes', () => {
    const catalog = createCatalog({
      priceChanges: { 'gpt-4.1': [raise] },
      overrides: { 'gpt-4.1': { prices: { outputPerMillionMicros: 1_000_000 } } },
    });
    expect(catalog.pricesAt('gpt-4.1', Date.parse('2026-01-01')).outputPerMillionMicros).toBe(1_000_000);
    expect(catalog.pricesAt('gpt-4.1', Date.parse('2026-04-01')).outputPerMillionMicros).toBe(9_000_000);
  });

  it('refuse changes out of date order, malformed dates and unknown models', () => {
    const later = { ...raise, effectiveFrom: '2026-02-01' };
    const cases: CatalogOptions[] = [
      { priceChanges: { 'gpt-4.1': [raise, later] } },
      { priceChanges: { 'gpt-4.1': [{ ...raise, effectiveFrom: '1 March 2026' }] } },
      { priceChanges: { 'gpt-4.1': [{ ...raise, effectiveFrom: '2026-03-01T00:00:00' }] } },
      { priceChanges: { nope: [raise] } },
    ];
    for (const options of cases) {
      expect(() => createCatalog(options)).toThrowError(
        expect.objectContaining({ code: 'validation_error' }),
      );
    }
  });

  it('refuse long-context tiers whose thresholds do not ascend', () => {
    const tier = (above: number) => ({ aboveInputTokens: above, prices: raise.prices });
    try {
      createCatalog({
        overrides: { 'gpt-4.1': { prices: { longContext: [tier(300_000), tier(200_000)] } } },
      });
      expect.unreachable();
    } catch (error) {
      expect(Forge1Error.is(error, 'validation_error')).toBe(true);
      expect((error as Error).message).toMatch(/thresholds must ascend/);
    }
  });
});

describe('model kinds', () => {
  it('list chat models by default and embedding models on request', () => {
    const catalog = createCatalog();
    expect(catalog.list().every((m) => (m.kind ?? 'chat') === 'chat')).toBe(true);
    expect(catalog.list({ kind: 'embedding' }).map((m) => m.id)).toEqual([
      'text-embedding-3-small',
      'text-embedding-3-large',
      'gemini-embedding-001',
    ]);
    expect(catalog.list({ kind: 'any' }).length).toBe(catalog.list().length + 3);
    expect(catalog.require('text-embedding-3-large').dimensions).toBe(3072);
  });
});
