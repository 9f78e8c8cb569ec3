import type { Forge1Error, RateLimitKind } from '@forge1/core';
import {
  classifyError,
  type ErrorClassification,
  type ErrorFacts,
} from '../provider-utils/classify-error.js';
import { parseProtoDuration } from '../provider-utils/durations.js';
import { type ErrorScope, retryDelayFromMessage } from '../provider-utils/failure.js';
import { type HeaderSource, parseRetryAfterHeaders } from '../provider-utils/headers.js';
import { asRecord, asString } from '../provider-utils/records.js';

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
function rateLimitKind({ status: code, body: status }: ErrorFacts<RpcStatus>): RateLimitKind {
  if (code === 402) return 'quota';
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

const classification: ErrorClassification<RpcStatus> = {
  read(error, headers) {
    const rawStatus = (error as { status?: unknown }).status;
    const text = error instanceof Error ? error.message : String(error);
    const rpc = parseRpcStatus(text) ?? { details: [] };
    const status = typeof rawStatus === 'number' ? rawStatus : rpc.code;
    if (status === undefined) return undefined;
    const reason = asString(detailOf(rpc, 'ErrorInfo')?.reason);
    return { status, codes: [rpc.status, reason], message: rpc.message ?? text, body: rpc, headers };
  },
  rules: [
    { status: [429], category: 'rate-limited', kind: rateLimitKind },
    { code: ['RESOURCE_EXHAUSTED'], category: 'rate-limited', kind: rateLimitKind },
    { code: ['API_KEY_INVALID'], category: 'auth' },
    { message: AUTH, category: 'auth' },
    { status: [400, 500], message: CONTEXT, category: 'context-length' },
    { status: [503], message: /overloaded/i, category: 'rate-limited', kind: 'overloaded' },
  ],
  rateLimitDelay(facts, _failure, now) {
    const retryInfo = parseProtoDuration(asString(detailOf(facts.body, 'RetryInfo')?.retryDelay));
    const fromMessage = retryDelayFromMessage(facts.message);
    // The message carries the fraction the RetryInfo rounds away; the later of the two is safe.
    const fromBody = retryInfo === undefined ? fromMessage : Math.max(retryInfo, fromMessage ?? 0);
    return fromBody ?? parseRetryAfterHeaders(facts.headers, now);
  },
};

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
  return classifyError(classification, error, scope, now, headers);
}
