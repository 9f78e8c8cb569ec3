import { z } from 'zod';
import { isUlid } from './ids.js';
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
    /** Part of `inputTokens` written to the prompt cache. */
    cacheWriteInputTokens: count.optional(),
    /** Part of `cacheWriteInputTokens` written with the 1-hour lifetime. */
    cacheWrite1hInputTokens: count.optional(),
    /** Part of `outputTokens` spent reasoning. */
    reasoningTokens: count.optional(),
    /** Content parts of the request by kind (never their bytes); a string content is one text part. */
    textParts: count.optional(),
    imageParts: count.optional(),
    fileParts: count.optional(),
    costMicros: count,
    latencyMs: z.number().int().nonnegative().max(86_400_000),
    status: z.enum(['ok', 'error', 'aborted']),
    errorCode: z.string().max(100).optional(),
    level: z.enum(['simple', 'moderate', 'complex', 'critical']).optional(),
    cascaded: z.boolean(),
    fallback: z.boolean(),
    metadata: z.record(z.string(), z.string()).optional(),
    /** `judge` for a call a router's judge made through the gateway; absent for answers. */
    purpose: z.enum(['answer', 'judge']).optional(),
    /** True when a token count is the gateway's estimate (a cut stream, an aborted call). */
    estimated: z.boolean().optional(),
    /** Named counts middleware added to the request since its previous record (e.g. redactions). */
    annotations: z.record(z.string().min(1).max(100), count).optional(),
  })
  .strict()
  .refine((r) => r.cachedInputTokens <= r.inputTokens, {
    message: 'cannot exceed inputTokens',
    path: ['cachedInputTokens'],
  })
  .refine((r) => r.cachedInputTokens + (r.cacheWriteInputTokens ?? 0) <= r.inputTokens, {
    message: 'cache reads plus writes cannot exceed inputTokens',
    path: ['cacheWriteInputTokens'],
  })
  .refine((r) => (r.cacheWrite1hInputTokens ?? 0) <= (r.cacheWriteInputTokens ?? 0), {
    message: 'cannot exceed cacheWriteInputTokens',
    path: ['cacheWrite1hInputTokens'],
  })
  .refine((r) => (r.reasoningTokens ?? 0) <= r.outputTokens, {
    message: 'cannot exceed outputTokens',
    path: ['reasoningTokens'],
  });

/** The optional counts of a {@link UsageRecord}: absent and 0 mean the same, and stores return them only when positive. */
export const optionalRecordCounts = [
  'cacheWriteInputTokens',
  'cacheWrite1hInputTokens',
  'reasoningTokens',
  'textParts',
  'imageParts',
  'fileParts',
] as const;

/**
 * One provider attempt that consumed tokens, attributed to tenant, client, employee and
 * user. `id` is a ULID and the idempotency key: sinks store each id once. It never holds a
 * secret, and holds prompt text only in `metadata` when the host opts in.
 */
export type UsageRecordV1 = z.output<typeof usageRecordSchema>;
/** The current version of {@link UsageRecordV1}. */
export type UsageRecord = UsageRecordV1;

/**
 * Validates a usage record. Optional counts that are 0 are dropped, so that every sink stores
 * and returns the same record.
 * @throws ValidationError naming each bad field.
 */
export function parseUsageRecord(value: unknown): UsageRecord {
  // Every attempt of every request passes here: a well-formed record takes the hand-written
  // check; anything it does not accept goes through the schema, which names the bad fields.
  // A shallow copy first: the caller's getters run once, and a Proxy cannot answer the check one
  // way and the journal another. Anything thrown while reading is the caller's bad input.
  let copy: unknown;
  let wellFormed: boolean;
  try {
    copy = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : value;
    wellFormed = isWellFormed(copy);
  } catch {
    return withoutZeroCounts(parseWith(usageRecordSchema, value, 'usage record'));
  }
  const record = wellFormed ? (copy as UsageRecord) : parseWith(usageRecordSchema, copy, 'usage record');
  return withoutZeroCounts(record);
}

function withoutZeroCounts(record: UsageRecord): UsageRecord {
  if (!optionalRecordCounts.some((key) => record[key] === 0)) return record;
  const copy = { ...record };
  for (const key of optionalRecordCounts) if (copy[key] === 0) delete copy[key];
  return copy;
}

const required = new Set([
  'id',
  'timestamp',
  'period',
  'tenantId',
  'requestId',
  'attempt',
  'provider',
  'model',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'costMicros',
  'latencyMs',
  'status',
  'cascaded',
  'fallback',
]);
const optionalIds = new Set(['clientId', 'employeeId', 'userId', 'sessionId', 'keyId']);
const optionalCounts = new Set<string>(optionalRecordCounts);
const statuses = new Set(['ok', 'error', 'aborted']);
const levels = new Set(['simple', 'moderate', 'complex', 'critical']);
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;
const whole = (value: unknown, min: number, max: number) =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;

const isCounts = (value: unknown) => {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) {
    return false;
  }
  for (const [name, item] of Object.entries(value)) {
    if (!text(name, 100) || !whole(item, 0, Number.MAX_SAFE_INTEGER)) return false;
  }
  return true;
};

/** The schema's rules, checked by hand; false means "let the schema decide". */
function isWellFormed(value: unknown): value is UsageRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  let present = 0;
  for (const key in record) {
    const field = record[key];
    if (required.has(key)) present++;
    else if (optionalCounts.has(key)) {
      if (!whole(field, 0, Number.MAX_SAFE_INTEGER)) return false;
    } else if (optionalIds.has(key)) {
      if (!text(field, 200)) return false;
    } else if (key === 'errorCode') {
      if (typeof field !== 'string' || field.length > 100) return false;
    } else if (key === 'level') {
      if (!levels.has(field as string)) return false;
    } else if (key === 'purpose') {
      if (field !== 'answer' && field !== 'judge') return false;
    } else if (key === 'estimated') {
      if (typeof field !== 'boolean') return false;
    } else if (key === 'annotations') {
      if (!isCounts(field)) return false;
    } else if (key === 'metadata') {
      if (typeof field !== 'object' || field === null || Array.isArray(field)) return false;
      if (Object.getPrototypeOf(field) !== Object.prototype) return false;
      for (const item of Object.values(field)) if (typeof item !== 'string') return false;
    } else return false;
  }
  const max = Number.MAX_SAFE_INTEGER;
  return (
    present === required.size &&
    typeof record.id === 'string' &&
    isUlid(record.id) &&
    whole(record.timestamp, 0, max) &&
    typeof record.period === 'string' &&
    PERIOD.test(record.period) &&
    text(record.tenantId, 200) &&
    text(record.requestId, 200) &&
    whole(record.attempt, 1, 1000) &&
    text(record.provider, 100) &&
    text(record.model, 200) &&
    whole(record.inputTokens, 0, max) &&
    whole(record.outputTokens, 0, max) &&
    whole(record.cachedInputTokens, 0, record.inputTokens as number) &&
    (record.cachedInputTokens as number) + ((record.cacheWriteInputTokens as number | undefined) ?? 0) <=
      (record.inputTokens as number) &&
    ((record.cacheWrite1hInputTokens as number | undefined) ?? 0) <=
      ((record.cacheWriteInputTokens as number | undefined) ?? 0) &&
    ((record.reasoningTokens as number | undefined) ?? 0) <= (record.outputTokens as number) &&
    whole(record.costMicros, 0, max) &&
    whole(record.latencyMs, 0, 86_400_000) &&
    statuses.has(record.status as string) &&
    typeof record.cascaded === 'boolean' &&
    typeof record.fallback === 'boolean'
  );
}

// The month of the last timestamp asked for: nearly every record falls in the current one.
let month = { start: 0, end: -1, period: '' };

/** The UTC billing period (`YYYY-MM`) of an epoch-millisecond timestamp. */
export function billingPeriod(timestamp: number): string {
  if (timestamp >= month.start && timestamp < month.end) return month.period;
  const date = new Date(timestamp);
  const year = date.getUTCFullYear();
  const index = date.getUTCMonth();
  const period = `${year}-${String(index + 1).padStart(2, '0')}`;
  // setUTCFullYear, unlike Date.UTC, takes years 0 to 99 as they are.
  const start = new Date(0).setUTCFullYear(year, index, 1);
  month = { start, end: new Date(0).setUTCFullYear(year, index + 1, 1), period };
  return period;
}
