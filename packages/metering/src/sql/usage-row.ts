import type { UsageRecord } from '@forge1/core';
import { addedCountColumns } from './usage-counts.js';

/**
 * One row of the usage table: every {@link UsageRecord} field as a snake_case column.
 * Flags are stored as 0/1 integers and `metadata` as JSON text, so that SQLite and
 * PostgreSQL hold (and return) the same values.
 */
export interface UsageRow {
  id: string;
  timestamp: number;
  period: string;
  tenant_id: string;
  client_id: string | null;
  employee_id: string | null;
  user_id: string | null;
  session_id: string | null;
  request_id: string;
  attempt: number;
  provider: string;
  model: string;
  key_id: string | null;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cost_micros: number;
  latency_ms: number;
  status: string;
  error_code: string | null;
  level: string | null;
  cascaded: number;
  fallback: number;
  metadata: string | null;
  cache_write_input_tokens: number;
  cache_write_1h_input_tokens: number;
  reasoning_tokens: number;
  text_parts: number;
  image_parts: number;
  file_parts: number;
  purpose: string | null;
  estimated: number;
  annotations: string | null;
}

/** Column names in table order; the order of {@link rowValues}. */
export const usageColumns = [
  'id',
  'timestamp',
  'period',
  'tenant_id',
  'client_id',
  'employee_id',
  'user_id',
  'session_id',
  'request_id',
  'attempt',
  'provider',
  'model',
  'key_id',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cost_micros',
  'latency_ms',
  'status',
  'error_code',
  'level',
  'cascaded',
  'fallback',
  'metadata',
  ...addedCountColumns,
  'purpose',
  'estimated',
  'annotations',
] as const satisfies ReadonlyArray<keyof UsageRow>;

/** Pushes a record's column values, in {@link usageColumns} order, onto `out`. */
export function pushRowValues(record: UsageRecord, out: unknown[]): void {
  out.push(
    record.id,
    record.timestamp,
    record.period,
    record.tenantId,
    record.clientId ?? null,
    record.employeeId ?? null,
    record.userId ?? null,
    record.sessionId ?? null,
    record.requestId,
    record.attempt,
    record.provider,
    record.model,
    record.keyId ?? null,
    record.inputTokens,
    record.outputTokens,
    record.cachedInputTokens,
    record.costMicros,
    record.latencyMs,
    record.status,
    record.errorCode ?? null,
    record.level ?? null,
    record.cascaded ? 1 : 0,
    record.fallback ? 1 : 0,
    record.metadata === undefined ? null : JSON.stringify(record.metadata),
    record.cacheWriteInputTokens ?? 0,
    record.cacheWrite1hInputTokens ?? 0,
    record.reasoningTokens ?? 0,
    record.textParts ?? 0,
    record.imageParts ?? 0,
    record.fileParts ?? 0,
    record.purpose ?? null,
    record.estimated ? 1 : 0,
    record.annotations === undefined ? null : JSON.stringify(record.annotations),
  );
}

const optional = <K extends string>(key: K, value: string | null): { [P in K]?: string } =>
  (value === null ? {} : { [key]: value }) as { [P in K]?: string };

// Optional counts are stored as 0 when absent and returned only when positive (core drops zeros too).
const positive = <K extends string>(key: K, value: number): { [P in K]?: number } =>
  (Number.isFinite(value) && value > 0 ? { [key]: value } : {}) as { [P in K]?: number };

/** Turns a stored row (as either database returns it) back into a {@link UsageRecord}. */
export function rowToRecord(row: Record<string, unknown>): UsageRecord {
  const text = (key: string) => (row[key] === null || row[key] === undefined ? null : String(row[key]));
  const int = (key: string) => Number(row[key]);
  const metadata = text('metadata');
  const annotations = text('annotations');
  const purpose = text('purpose');
  return {
    id: String(row.id),
    timestamp: int('timestamp'),
    period: String(row.period),
    tenantId: String(row.tenant_id),
    ...optional('clientId', text('client_id')),
    ...optional('employeeId', text('employee_id')),
    ...optional('userId', text('user_id')),
    ...optional('sessionId', text('session_id')),
    requestId: String(row.request_id),
    attempt: int('attempt'),
    provider: String(row.provider),
    model: String(row.model),
    ...optional('keyId', text('key_id')),
    inputTokens: int('input_tokens'),
    outputTokens: int('output_tokens'),
    cachedInputTokens: int('cached_input_tokens'),
    ...positive('cacheWriteInputTokens', int('cache_write_input_tokens')),
    ...positive('cacheWrite1hInputTokens', int('cache_write_1h_input_tokens')),
    ...positive('reasoningTokens', int('reasoning_tokens')),
    ...positive('textParts', int('text_parts')),
    ...positive('imageParts', int('image_parts')),
    ...positive('fileParts', int('file_parts')),
    costMicros: int('cost_micros'),
    latencyMs: int('latency_ms'),
    status: String(row.status) as UsageRecord['status'],
    ...optional('errorCode', text('error_code')),
    ...(text('level') === null ? {} : { level: text('level') as NonNullable<UsageRecord['level']> }),
    cascaded: int('cascaded') === 1,
    fallback: int('fallback') === 1,
    ...(metadata === null ? {} : { metadata: JSON.parse(metadata) as Record<string, string> }),
    ...(purpose === null ? {} : { purpose: purpose as NonNullable<UsageRecord['purpose']> }),
    ...(int('estimated') === 1 ? { estimated: true } : {}),
    ...(annotations === null ? {} : { annotations: JSON.parse(annotations) as Record<string, number> }),
  };
}
