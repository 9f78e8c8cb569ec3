import { priceInvoice } from '@forge1/metering';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const line = (costMicros: number) => ({
  provider: 'openai',
  model: 'gpt-4.1',
  requests: 1,
  inputTokens: 10,
  outputTokens: 5,
  cachedInputTokens: 0,
  costMicros,
});

describe('priceInvoice', () => {
  it('rounds each line’s markup half up and adds the lines up exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(10_000_000_000), { maxLength: 20 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.nat(1_000_000_000),
        fc.nat(1_000_000_000),
        (costs, basisPoints, baseFeeMicros, includedMicros) => {
          const invoice = priceInvoice('acme', '2026-01', costs.map(line), {
            markup: basisPoints / 10_000,
            plan: { baseFeeMicros, includedMicros },
          });
          for (const item of invoice.lines) {
            expect(item.markupMicros).toBe(
              Number((BigInt(item.costMicros) * BigInt(basisPoints) + 5000n) / 10_000n),
            );
            expect(item.amountMicros).toBe(item.costMicros + item.markupMicros);
          }
          expect(invoice.subtotalMicros).toBe(costs.reduce((sum, cost) => sum + cost, 0));
          expect(invoice.usageMicros).toBe(invoice.subtotalMicros + invoice.markupMicros);
          expect(invoice.includedMicros).toBe(Math.min(invoice.usageMicros, includedMicros));
          expect(invoice.totalMicros).toBe(baseFeeMicros + Math.max(0, invoice.usageMicros - includedMicros));
        },
      ),
    );
  });

  it('charges only the base fee while usage stays within the allowance', () => {
    const invoice = priceInvoice('acme', '2026-01', [line(1_000)], {
      markup: 0.5,
      plan: { name: 'starter', baseFeeMicros: 9_000_000, includedMicros: 2_000 },
    });
    expect(invoice).toMatchObject({
      usageMicros: 1_500,
      overageMicros: 0,
      totalMicros: 9_000_000,
      planName: 'starter',
    });
  });

  it('refuses a markup with more than 4 decimals', () => {
    expect(() => priceInvoice('acme', '2026-01', [], { markup: 0.12345 })).toThrow(/markup/);
  });
});
