import { z } from 'zod';
import { parseWith } from './validation.js';

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const optionalId = z.string().min(1).max(200).optional();

/** Schema of a {@link UsageRecord}; used at every boundary where records enter. */
export const usageRecordSchema = z
  .object({
    id: z.string().regex(ULID, 'expected a ULID'),
    timestamp: z.number().int().nonnegative(),
    /** Billing period, `YYYY-MM` (UTC). */
    period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM'),
    tenantId: z.string().min(1).max(200),
    clientId: optionalId,
    employeeId: optionalId,
    userId: optionalId,
    sessionId: optionalId,
    requestId: z.string().min(1).max(200),
    attempt: z.number().int().min(1).max(1000),
    provider: z.string().min(1).max(100),
    model: z.string().min(1).max(200),
    keyId: optionalId,
    inputTokens: count,
    outputTokens: count,
    cachedInputTokens: count,
    costMicros: count,
    latencyMs: z.number().int().nonnegative().max(86_400_000),
    status: z.enum(['ok', 'error', 'aborted']),
    errorCode: z.string().max(100).optional(),
    level: z.enum(['simple', 'moderate', 'complex', 'critical']).optional(),
    cascaded: z.boolean(),
    fallback: z.boolean(),
    metadata: z.record(z.string(), z.string()).optional(),
  })
  .strict()
  .refine((r) => r.cachedInputTokens <= r.inputTokens, {
    message: 'cannot exceed inputTokens',
    path: ['cachedInputTokens'],
  });

/**
 * One provider attempt that consumed tokens, attributed to tenant, client, employee and
 * user. `id` is a ULID and the idempotency key: sinks store each id once. It never holds a
 * secret, and holds prompt text only in `metadata` when the host opts in.
 */
export type UsageRecord = z.output<typeof usageRecordSchema>;

/**
 * Validates a usage record.
 * @throws ValidationError naming each bad field.
 */
export function parseUsageRecord(value: unknown): UsageRecord {
  return parseWith(usageRecordSchema, value, 'usage record');
}

/** The UTC billing period (`YYYY-MM`) of an epoch-millisecond timestamp. */
export function billingPeriod(timestamp: number): string {
  const date = new Date(timestamp);
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}
