import type { Forge1Error, RateLimitKind } from '@forge1/core';
import { parseOpenAIRateLimit, parseRetryAfterHeaders, readHeaders } from '../shared/headers.js';
import {
  asRecord,
  asString,
  categoryOfStatus,
  type ErrorScope,
  type Failure,
  messageOf,
  retryDelayFromMessage,
  toProviderError,
  transportError,
  unknownError,
} from '../shared/provider-errors.js';

interface OpenAIErrorBody {
  message?: string;
  type?: string;
  code?: string;
  param?: string;
}

function bodyOf(error: unknown): OpenAIErrorBody {
  const record = asRecord((error as { error?: unknown }).error);
  // The SDK keeps `body.error`; a mid-stream error may carry the whole envelope.
  const inner = asRecord(record?.error) ?? record ?? {};
  return {
    message: asString(inner.message),
    type: asString(inner.type),
    code: asString(inner.code),
    param: asString(inner.param),
  };
}

function rateLimitKind(body: OpenAIErrorBody, message: string): RateLimitKind {
  if (body.code === 'insufficient_quota' || body.type === 'insufficient_quota') return 'quota';
  if (body.type === 'tokens' || /tokens per min|\(TPM\)/i.test(message)) return 'tokens';
  if (body.type === 'requests' || /requests per min|\(RPM\)/i.test(message)) return 'requests';
  if (/overloaded|slow down/i.test(message)) return 'overloaded';
  return 'unknown';
}

const CONTEXT = /maximum context length|context window|context_length_exceeded|too many tokens/i;
const POLICY = /content[_ ]?(policy|filter|management)|safety system/i;

/**
 * Turns anything the OpenAI SDK throws into a core error: rate limits (with the delay
 * from `retry-after-ms`, `retry-after`, the matching `x-ratelimit-reset-*` header or the
 * message), auth, context length, content filter, bad request, unavailable, timeout; a
 * caller abort becomes `AbortedError`.
 */
export function normaliseOpenAIError(error: unknown, scope: ErrorScope, now: number): Forge1Error {
  const transport = transportError(error, scope);
  if (transport) return transport;
  const status = (error as { status?: unknown }).status;
  const headers = (error as { headers?: Headers }).headers;
  const body = bodyOf(error);
  if (typeof status !== 'number' && body.message === undefined && body.code === undefined) {
    return unknownError(error, scope);
  }
  const message = body.message ?? messageOf(error);
  const code = body.code ?? '';
  const failure: Failure = {
    category: typeof status === 'number' ? categoryOfStatus(status) : 'unavailable',
    message,
    cause: error,
  };
  if (typeof status === 'number') failure.status = status;
  const requestId =
    readHeaders(headers)('x-request-id') ?? (error as { requestID?: string | null }).requestID;
  if (requestId) failure.requestId = requestId;
  const rateLimit = parseOpenAIRateLimit(headers);
  if (rateLimit) failure.rateLimit = rateLimit;

  if (status === 429 || code === 'rate_limit_exceeded' || code === 'insufficient_quota') {
    failure.category = 'rate-limited';
    failure.kind = rateLimitKind(body, message);
  } else if (
    code === 'context_length_exceeded' ||
    (failure.category === 'bad-request' && CONTEXT.test(message))
  ) {
    failure.category = 'context-length';
  } else if (
    code === 'content_filter' ||
    code === 'content_policy_violation' ||
    (status === 400 && POLICY.test(message))
  ) {
    failure.category = 'content-policy';
  } else if (code === 'invalid_api_key') {
    failure.category = 'auth';
  } else if (status === 503 && /overloaded/i.test(message)) {
    failure.category = 'rate-limited';
    failure.kind = 'overloaded';
  }

  if (failure.category === 'rate-limited' && failure.kind !== 'quota') {
    const reset =
      failure.kind === 'tokens'
        ? rateLimit?.resetTokensMs
        : failure.kind === 'requests'
          ? rateLimit?.resetRequestsMs
          : undefined;
    const delay = parseRetryAfterHeaders(headers, now) ?? reset ?? retryDelayFromMessage(message);
    if (delay !== undefined) failure.retryAfterMs = delay;
  } else if (failure.category === 'unavailable') {
    const delay = parseRetryAfterHeaders(headers, now);
    if (delay !== undefined) failure.retryAfterMs = delay;
  }
  return toProviderError(failure, scope);
}
