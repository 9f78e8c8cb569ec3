import { parseWith } from '@forge1/core';
import { z } from 'zod';

/** A plan: a fixed monthly fee that includes an allowance of usage. */
export interface InvoicePlan {
  /** Plan name, shown on the invoice. */
  name?: string;
  /** Fixed fee of the period, in micro-dollars. @default 0 */
  baseFeeMicros?: number;
  /** Usage (after markup) the base fee includes, in micro-dollars. @default 0 */
  includedMicros?: number;
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

/** One model's line of an invoice preview. */
export interface InvoiceLine {
  provider: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Provider cost. */
  costMicros: number;
  markupMicros: number;
  /** costMicros + markupMicros. */
  amountMicros: number;
}

/**
 * What a tenant would be billed for one period, in integer micro-dollars:
 * `usageMicros = subtotalMicros + markupMicros`; the plan's allowance covers usage up to
 * `includedMicros`; `totalMicros = baseFeeMicros + overageMicros` where
 * `overageMicros = max(0, usageMicros - includedMicros)`.
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
  /** Allowance actually used: min(usageMicros, plan.includedMicros). */
  includedMicros: number;
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
        includedMicros: micros.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

type LineUsage = Omit<InvoiceLine, 'markupMicros' | 'amountMicros'>;

/** round-half-up(cost × basisPoints / 10 000), exactly. */
const markupOf = (costMicros: number, basisPoints: number) =>
  Number((BigInt(costMicros) * BigInt(basisPoints) + 5_000n) / 10_000n);

/**
 * Prices usage lines into an invoice preview.
 * @throws ValidationError on a bad markup or plan.
 */
export function priceInvoice(
  tenantId: string,
  period: string,
  usage: readonly LineUsage[],
  options: InvoiceOptions = {},
): InvoicePreview {
  const parsed = parseWith(schema, options, 'invoice options');
  const basisPoints = Math.round((parsed.markup ?? 0) * 10_000);
  const lines = usage.map((line) => {
    const markupMicros = markupOf(line.costMicros, basisPoints);
    return { ...line, markupMicros, amountMicros: line.costMicros + markupMicros };
  });
  const subtotalMicros = lines.reduce((sum, line) => sum + line.costMicros, 0);
  const markupMicros = lines.reduce((sum, line) => sum + line.markupMicros, 0);
  const usageMicros = subtotalMicros + markupMicros;
  const baseFeeMicros = parsed.plan?.baseFeeMicros ?? 0;
  const includedMicros = Math.min(usageMicros, parsed.plan?.includedMicros ?? 0);
  const overageMicros = usageMicros - includedMicros;
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
    includedMicros,
    overageMicros,
    totalMicros: baseFeeMicros + overageMicros,
  };
}
