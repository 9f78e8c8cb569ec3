import type { Usage } from '../chat.js';
import type { ContentPartCounts } from '../content.js';
import type { RequestContext } from '../context.js';
import type { ComplexityLevel } from '../ports/router.js';
import { billingPeriod, type optionalRecordCounts, type UsageRecord } from '../usage-record.js';
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

/** The optional usage counts and part counts a record carries when they are positive. */
function extraCounts(usage: Usage, parts: ContentPartCounts | undefined) {
  const counts: Partial<Record<(typeof optionalRecordCounts)[number], number>> = {};
  const put = (key: (typeof optionalRecordCounts)[number], value: number | undefined) => {
    if (value !== undefined && value > 0) counts[key] = value;
  };
  put('cacheWriteInputTokens', usage.cacheWriteInputTokens);
  put('cacheWrite1hInputTokens', usage.cacheWrite1hInputTokens);
  put('reasoningTokens', usage.reasoningTokens);
  put('textParts', parts?.text);
  put('imageParts', parts?.image);
  put('fileParts', parts?.file);
  return counts;
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
  const { context } = source;
  return {
    id: source.id,
    timestamp: source.now,
    period: billingPeriod(source.now),
    tenantId: context.tenantId,
    requestId: context.requestId,
    attempt: attempt.attempt,
    provider: attempt.provider,
    model: attempt.model,
    inputTokens: attempt.usage.inputTokens,
    outputTokens: attempt.usage.outputTokens,
    cachedInputTokens: attempt.usage.cachedInputTokens,
    ...extraCounts(attempt.usage, source.parts),
    costMicros: attempt.costMicros,
    latencyMs: Math.max(0, Math.round(attempt.latencyMs)),
    status: attemptStatus(attempt.ok, attempt.errorCode),
    level: source.level,
    cascaded: attempt.cascaded,
    fallback: attempt.fallback,
    ...(context.clientId === undefined ? {} : { clientId: context.clientId }),
    ...(context.employeeId === undefined ? {} : { employeeId: context.employeeId }),
    ...(context.userId === undefined ? {} : { userId: context.userId }),
    ...(context.sessionId === undefined ? {} : { sessionId: context.sessionId }),
    ...(attempt.keyId === undefined ? {} : { keyId: attempt.keyId }),
    ...(attempt.errorCode === undefined ? {} : { errorCode: attempt.errorCode }),
    ...(source.metadata === undefined ? {} : { metadata: source.metadata }),
    ...(attempt.purpose === 'judge' ? { purpose: 'judge' as const } : {}),
    ...(attempt.estimated ? { estimated: true } : {}),
    ...(source.annotations === undefined ? {} : { annotations: source.annotations }),
  };
}
