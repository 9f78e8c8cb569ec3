import type { Forge1Error, RateLimitKind } from '@forge1/core';
import {
  classifyError,
  type ErrorClassification,
  type ErrorFacts,
} from '../provider-utils/classify-error.js';
import { type ErrorScope, messageOf, retryDelayFromMessage } from '../provider-utils/failure.js';
import { parseOpenAIRateLimit, parseRetryAfterHeaders, readHeaders } from '../provider-utils/headers.js';
import { asRecord, asString } from '../provider-utils/records.js';

/** OpenAI's error body: `{"error":{"message","type","param","code"}}`. */
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

function rateLimitKind({ body, message }: ErrorFacts<OpenAIErrorBody>): RateLimitKind {
  if (body.code === 'insufficient_quota' || body.type === 'insufficient_quota') return 'quota';
  if (body.type === 'tokens' || /tokens per min|\(TPM\)/i.test(message)) return 'tokens';
  if (body.type === 'requests' || /requests per min|\(RPM\)/i.test(message)) return 'requests';
  if (/overloaded|slow down/i.test(message)) return 'overloaded';
  return 'unknown';
}

const CONTEXT = /maximum context length|context window|context_length_exceeded|too many tokens/i;
const POLICY = /content[_ ]?(policy|filter|management)|safety system/i;

const classification: ErrorClassification<OpenAIErrorBody> = {
  read(error) {
    const status = (error as { status?: unknown }).status;
    const body = bodyOf(error);
    if (typeof status !== 'number' && body.message === undefined && body.code === undefined) return undefined;
    const headers = (error as { headers?: Headers }).headers;
    const requestId =
      readHeaders(headers)('x-request-id') ?? (error as { requestID?: string | null }).requestID ?? undefined;
    return {
      ...(typeof status === 'number' ? { status } : {}),
      codes: [body.code],
      message: body.message ?? messageOf(error),
      body,
      headers,
      ...(requestId ? { requestId } : {}),
    };
  },
  rules: [
    { status: [429], category: 'rate-limited', kind: rateLimitKind },
    { code: ['rate_limit_exceeded', 'insufficient_quota'], category: 'rate-limited', kind: rateLimitKind },
    { code: ['context_length_exceeded'], category: 'context-length' },
    { statusCategory: 'bad-request', message: CONTEXT, category: 'context-length' },
    { code: ['content_filter', 'content_policy_violation'], category: 'content-policy' },
    { status: [400], message: POLICY, category: 'content-policy' },
    { code: ['invalid_api_key'], category: 'auth' },
    { status: [503], message: /overloaded/i, category: 'rate-limited', kind: 'overloaded' },
  ],
  rateLimit: (headers) => parseOpenAIRateLimit(headers),
  rateLimitDelay(facts, failure, now) {
    const reset =
      failure.kind === 'tokens'
        ? failure.rateLimit?.resetTokensMs
        : failure.kind === 'requests'
          ? failure.rateLimit?.resetRequestsMs
          : undefined;
    return parseRetryAfterHeaders(facts.headers, now) ?? reset ?? retryDelayFromMessage(facts.message);
  },
};

/**
 * Turns anything the OpenAI SDK throws into a core error: rate limits (with the delay
 * from `retry-after-ms`, `retry-after`, the matching `x-ratelimit-reset-*` header or the
 * message), auth, context length, content filter, bad request, unavailable, timeout; a
 * caller abort becomes `AbortedError`.
 */
export function normaliseOpenAIError(error: unknown, scope: ErrorScope, now: number): Forge1Error {
  return classifyError(classification, error, scope, now);
}
