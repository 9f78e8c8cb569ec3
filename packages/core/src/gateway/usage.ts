import type { Usage } from '../chat.js';
import type { ContentPartCounts } from '../content.js';
import type { RequestContext } from '../context.js';
import type { ComplexityLevel } from '../ports/router.js';
import { billingPeriod, type UsageRecord } from '../usage-record.js';
import type { AttemptInfo } from './types.js';

/** What a usage record is made of besides the attempt. */
export interface RecordSource {
  id: string;
  now: number;
  context: RequestContext;
  level: ComplexityLevel;
  metadata: Record<string, string> | undefined;
  annotations: Record<string, number> | undefined;
  /** Content parts of the request per kind (never their bytes). */
  parts?: ContentPartCounts | undefined;
}

/** The status a record gives an attempt. */
export function attemptStatus(ok: boolean, errorCode: string | undefined): UsageRecord['status'] {
  if (ok) return 'ok';
  return errorCode === 'aborted' ? 'aborted' : 'error';
}

/** Whether an attempt consumed tokens, and so gets a record. */
export const consumedTokens = (usage: Usage) => usage.inputTokens + usage.outputTokens > 0;

/** The one place a usage record is built from an attempt. */
export function buildUsageRecord(attempt: AttemptInfo, source: RecordSource): UsageRecord {
  const { context, parts } = source;
  const { usage } = attempt;
  // Built by assignment rather than conditional spreads: this runs for every attempt.
  const record: UsageRecord = {
    id: source.id,
    timestamp: source.now,
    period: billingPeriod(source.now),
    tenantId: context.tenantId,
    requestId: context.requestId,
    attempt: attempt.attempt,
    provider: attempt.provider,
    model: attempt.model,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    costMicros: attempt.costMicros,
    latencyMs: Math.max(0, Math.round(attempt.latencyMs)),
    status: attemptStatus(attempt.ok, attempt.errorCode),
    level: source.level,
    cascaded: attempt.cascaded,
    fallback: attempt.fallback,
  };
  // The optional counts appear only when positive.
  if ((usage.cacheWriteInputTokens ?? 0) > 0) record.cacheWriteInputTokens = usage.cacheWriteInputTokens;
  if ((usage.cacheWrite1hInputTokens ?? 0) > 0)
    record.cacheWrite1hInputTokens = usage.cacheWrite1hInputTokens;
  if ((usage.reasoningTokens ?? 0) > 0) record.reasoningTokens = usage.reasoningTokens;
  if (parts && parts.text > 0) record.textParts = parts.text;
  if (parts && parts.image > 0) record.imageParts = parts.image;
  if (parts && parts.file > 0) record.fileParts = parts.file;
  if (context.clientId !== undefined) record.clientId = context.clientId;
  if (context.employeeId !== undefined) record.employeeId = context.employeeId;
  if (context.userId !== undefined) record.userId = context.userId;
  if (context.sessionId !== undefined) record.sessionId = context.sessionId;
  if (attempt.keyId !== undefined) record.keyId = attempt.keyId;
  if (attempt.errorCode !== undefined) record.errorCode = attempt.errorCode;
  if (source.metadata !== undefined) record.metadata = source.metadata;
  if (attempt.purpose === 'judge') record.purpose = 'judge';
  if (attempt.estimated) record.estimated = true;
  if (source.annotations !== undefined) record.annotations = source.annotations;
  return record;
}
