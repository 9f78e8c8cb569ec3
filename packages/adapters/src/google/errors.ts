import type { Forge1Error, RateLimitKind } from '@forge1/core';
import { parseProtoDuration } from '../shared/durations.js';
import { type HeaderSource, parseRetryAfterHeaders } from '../shared/headers.js';
import {
  asRecord,
  asString,
  categoryOfStatus,
  type ErrorScope,
  type Failure,
  retryDelayFromMessage,
  toProviderError,
  transportError,
  unknownError,
} from '../shared/provider-errors.js';

/** A google.rpc.Status error body, as far as it is read here. */
interface RpcStatus {
  code?: number;
  message?: string;
  status?: string;
  details: Array<Record<string, unknown>>;
}

/** Reads the google.rpc.Status out of an `ApiError` message (the JSON body, maybe prefixed). */
export function parseRpcStatus(message: string): RpcStatus | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const parsed = asRecord(JSON.parse(message.slice(start)));
    const error = asRecord(parsed?.error);
    if (!error) return undefined;
    const details = Array.isArray(error.details)
      ? error.details.map(asRecord).filter((d) => d !== undefined)
      : [];
    return {
      code: typeof error.code === 'number' ? error.code : undefined,
      message: asString(error.message),
      status: asString(error.status),
      details,
    };
  } catch {
    return undefined;
  }
}

const detailOf = (status: RpcStatus, type: string) =>
  status.details.find((detail) => asString(detail['@type'])?.endsWith(`google.rpc.${type}`));

// Every 429 message says "check your plan and billing details"; only the violated quota
// tells a per-day (quota) limit from a per-minute one.
function rateLimitKind(status: RpcStatus): RateLimitKind {
  const violations = detailOf(status, 'QuotaFailure')?.violations;
  const ids = (Array.isArray(violations) ? violations : [])
    .map(
      (violation) =>
        `${asString(asRecord(violation)?.quotaId) ?? ''} ${asString(asRecord(violation)?.quotaMetric) ?? ''}`,
    )
    .join(' ');
  if (/PerDay/i.test(ids) || /per day/i.test(status.message ?? '')) return 'quota';
  if (/Token/i.test(ids)) return 'tokens';
  if (/Requests/i.test(ids)) return 'requests';
  return 'unknown';
}

const CONTEXT = /input token count .*exceeds|exceeds the maximum number of tokens|context (?:is )?too long/i;
const AUTH = /API key not valid|API Key not found|API_KEY_INVALID/i;

/**
 * Turns anything `@google/genai` throws into a core error: 429 RESOURCE_EXHAUSTED →
 * rate-limited (per-day or billing quota → `quota`; delay from `RetryInfo.retryDelay`, the
 * "Please retry in …" message, or `retry-after` when the headers were captured), 400 with
 * `API_KEY_INVALID` and 401/403 → auth, "input token count … exceeds" → context length,
 * 503 overloaded → rate-limited `overloaded`, other 5xx → unavailable, 504 → timeout.
 */
export function normaliseGoogleError(
  error: unknown,
  scope: ErrorScope,
  now: number,
  headers?: HeaderSource,
): Forge1Error {
  const transport = transportError(error, scope);
  if (transport) return transport;
  const rawStatus = (error as { status?: unknown }).status;
  const text = error instanceof Error ? error.message : String(error);
  const rpc = parseRpcStatus(text);
  const status = typeof rawStatus === 'number' ? rawStatus : rpc?.code;
  if (status === undefined) return unknownError(error, scope);
  const rpcStatus: RpcStatus = rpc ?? { details: [] };
  const message = rpcStatus.message ?? text;
  const failure: Failure = { category: categoryOfStatus(status), message, status, cause: error };
  const reason = asString(detailOf(rpcStatus, 'ErrorInfo')?.reason);

  if (status === 429 || rpcStatus.status === 'RESOURCE_EXHAUSTED') {
    failure.category = 'rate-limited';
    failure.kind = status === 402 ? 'quota' : rateLimitKind(rpcStatus);
  } else if (reason === 'API_KEY_INVALID' || AUTH.test(message)) {
    failure.category = 'auth';
  } else if (CONTEXT.test(message) && (status === 400 || status === 500)) {
    failure.category = 'context-length';
  } else if (status === 503 && /overloaded/i.test(message)) {
    failure.category = 'rate-limited';
    failure.kind = 'overloaded';
  }

  if (failure.category === 'rate-limited' && failure.kind !== 'quota') {
    const retryInfo = parseProtoDuration(asString(detailOf(rpcStatus, 'RetryInfo')?.retryDelay));
    const fromMessage = retryDelayFromMessage(message);
    // The message carries the fraction the RetryInfo rounds away; the later of the two is safe.
    const fromBody = retryInfo === undefined ? fromMessage : Math.max(retryInfo, fromMessage ?? 0);
    const delay = fromBody ?? parseRetryAfterHeaders(headers, now);
    if (delay !== undefined) failure.retryAfterMs = delay;
  } else if (failure.category === 'unavailable' || failure.category === 'rate-limited') {
    const delay = parseRetryAfterHeaders(headers, now);
    if (delay !== undefined && failure.kind !== 'quota') failure.retryAfterMs = delay;
  }
  return toProviderError(failure, scope);
}
