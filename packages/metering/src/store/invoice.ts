import { expectString, parseWith } from '@forge1/core';
import { z } from 'zod';
import { type UsageCounts, zeroCounts } from '../sql/usage-counts.js';

/** A plan: a fixed monthly fee that includes an allowance of usage. */
export interface InvoicePlan {
  /** Plan name, shown on the invoice. */
  name?: string;
  /** Fixed fee of the period, in micro-dollars. @default 0 */
  baseFeeMicros?: number;
  /** The plan's allowance: usage (after markup) the base fee includes, in micro-dollars. @default 0 */
  allowanceMicros?: number;
}

/** Options of `invoicePreview`. */
export interface InvoiceOptions {
  /**
   * Markup on provider cost as a fraction (0.2 = 20 %), at most 4 decimals; applied per line,
   * rounded half up to the micro-dollar. @default 0
   */
  markup?: number;
  plan?: InvoicePlan;
}

/**
 * One model's line of an invoice preview: every token kind (cache reads and writes, 1-hour
 * writes, reasoning) and the content parts per kind, and the provider cost (`costMicros`),
 * which each record carries at the prices in force when it was made.
 */
export interface InvoiceLine extends UsageCounts {
  provider: string;
  model: string;
  requests: number;
  markupMicros: number;
  /** costMicros + markupMicros. */
  amountMicros: number;
}

/**
 * What a tenant would be billed for one period, in integer micro-dollars:
 * `usageMicros = subtotalMicros + markupMicros`; the plan's `allowanceMicros` covers usage up
 * to that amount, `coveredMicros = min(usageMicros, allowanceMicros)`;
 * `totalMicros = baseFeeMicros + overageMicros` where `overageMicros = usageMicros - coveredMicros`.
 */
export interface InvoicePreview {
  tenantId: string;
  period: string;
  currency: 'USD';
  planName: string | null;
  lines: InvoiceLine[];
  /** Sum of the lines' provider cost. */
  subtotalMicros: number;
  /** Sum of the lines' markup. */
  markupMicros: number;
  usageMicros: number;
  baseFeeMicros: number;
  /** Usage the allowance covered: min(usageMicros, plan.allowanceMicros). */
  coveredMicros: number;
  overageMicros: number;
  totalMicros: number;
}

const micros = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const schema = z
  .object({
    markup: z
      .number()
      .min(0)
      .max(100)
      .refine((value) => Math.abs(value * 10_000 - Math.round(value * 10_000)) < 1e-6, 'at most 4 decimals')
      .optional(),
    plan: z
      .object({
        name: z.string().min(1).optional(),
        baseFeeMicros: micros.optional(),
        allowanceMicros: micros.optional(),
        includedMicros: z.never({ message: 'renamed to allowanceMicros' }).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

// The part of each line the arithmetic depends on: a cost that is a whole, safe number of micro-dollars.
const linesSchema = z.array(z.looseObject({ costMicros: micros }));

/** A line to price: the token kinds and part counts added since the first release may be left out (0). */
export type LineUsage = Pick<
  InvoiceLine,
  'provider' | 'model' | 'requests' | 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'costMicros'
> &
  Partial<UsageCounts>;

/** round-half-up(cost × basisPoints / 10 000), exactly. */
const markupOf = (costMicros: number, basisPoints: number) =>
  Number((BigInt(costMicros) * BigInt(basisPoints) + 5_000n) / 10_000n);

/**
 * Prices usage lines into an invoice preview.
 * @throws ValidationError on a bad markup or plan, or lines that are not an array of lines with a
 * whole number of micro-dollars.
 */
export function priceInvoice(
  tenantId: string,
  period: string,
  usage: readonly LineUsage[],
  options: InvoiceOptions = {},
): InvoicePreview {
  expectString(tenantId, 'priceInvoice', 'tenantId');
  expectString(period, 'priceInvoice', 'period');
  const parsed = parseWith(schema, options, 'invoice options');
  const basisPoints = Math.round((parsed.markup ?? 0) * 10_000);
  const checked = parseWith(linesSchema, usage, 'invoice usage lines') as unknown as readonly LineUsage[];
  const lines = checked.map((line) => {
    const markupMicros = markupOf(line.costMicros, basisPoints);
    return { ...zeroCounts(), ...line, markupMicros, amountMicros: line.costMicros + markupMicros };
  });
  const subtotalMicros = lines.reduce((sum, line) => sum + line.costMicros, 0);
  const markupMicros = lines.reduce((sum, line) => sum + line.markupMicros, 0);
  const usageMicros = subtotalMicros + markupMicros;
  const baseFeeMicros = parsed.plan?.baseFeeMicros ?? 0;
  const coveredMicros = Math.min(usageMicros, parsed.plan?.allowanceMicros ?? 0);
  const overageMicros = usageMicros - coveredMicros;
  return {
    tenantId,
    period,
    currency: 'USD',
    planName: parsed.plan?.name ?? null,
    lines,
    subtotalMicros,
    markupMicros,
    usageMicros,
    baseFeeMicros,
    coveredMicros,
    overageMicros,
    totalMicros: baseFeeMicros + overageMicros,
  };
}
