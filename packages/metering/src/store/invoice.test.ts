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
        (costs, basisPoints, baseFeeMicros, allowanceMicros) => {
          const invoice = priceInvoice('acme', '2026-01', costs.map(line), {
            markup: basisPoints / 10_000,
            plan: { baseFeeMicros, allowanceMicros },
          });
          for (const item of invoice.lines) {
            expect(item.markupMicros).toBe(
              Number((BigInt(item.costMicros) * BigInt(basisPoints) + 5000n) / 10_000n),
            );
            expect(item.amountMicros).toBe(item.costMicros + item.markupMicros);
          }
          expect(invoice.subtotalMicros).toBe(costs.reduce((sum, cost) => sum + cost, 0));
          expect(invoice.usageMicros).toBe(invoice.subtotalMicros + invoice.markupMicros);
          expect(invoice.coveredMicros).toBe(Math.min(invoice.usageMicros, allowanceMicros));
          expect(invoice.totalMicros).toBe(
            baseFeeMicros + Math.max(0, invoice.usageMicros - allowanceMicros),
          );
        },
      ),
    );
  });

  it('charges only the base fee while usage stays within the allowance', () => {
    const invoice = priceInvoice('acme', '2026-01', [line(1_000)], {
      markup: 0.5,
      plan: { name: 'starter', baseFeeMicros: 9_000_000, allowanceMicros: 2_000 },
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

  it('refuses the old plan.includedMicros with a message naming its new name', () => {
    const old = { plan: { includedMicros: 5 } } as never;
    expect(() => priceInvoice('acme', '2026-01', [], old)).toThrowError(
      expect.objectContaining({
        code: 'validation_error',
        message: expect.stringMatching(/renamed to allowanceMicros/),
      }),
    );
  });

  it('fills the token kinds a line leaves out with zeros', () => {
    const invoice = priceInvoice('acme', '2026-01', [line(10)]);
    expect(invoice.lines[0]).toMatchObject({ cacheWriteInputTokens: 0, reasoningTokens: 0, imageParts: 0 });
  });
});
