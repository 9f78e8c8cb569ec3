import { APIError } from '@anthropic-ai/sdk';
import { ContextLengthError, RateLimitedError } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { normaliseAnthropicError } from './errors.js';

const scope = { provider: 'anthropic', model: 'claude-haiku-4-5' };
const now = Date.parse('2025-08-21T12:40:00Z');
const generate = (
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
  details?: object,
) =>
  APIError.generate(
    status,
    { type: 'error', error: { type, message, ...(details ? { details } : {}) }, request_id: 'req_body' },
    undefined,
    new Headers(headers),
  );

describe('normaliseAnthropicError', () => {
  it('reads an input-token 429 with the input-tokens reset when no retry-after is sent', () => {
    const error = normaliseAnthropicError(
      generate(
        429,
        'rate_limit_error',
        'This request would exceed the rate limit for your organization of 20,000 input tokens per minute.',
        {
          'anthropic-ratelimit-input-tokens-remaining': '0',
          'anthropic-ratelimit-input-tokens-reset': '2025-08-21T12:40:30Z',
          'request-id': 'req_header',
        },
      ),
      scope,
      now,
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ kind: 'tokens', retryAfterMs: 30_000, requestId: 'req_header' });
  });

  it('honours retry-after seconds first', () => {
    const error = normaliseAnthropicError(
      generate(429, 'rate_limit_error', 'limit', { 'retry-after': '12' }),
      scope,
      now,
    );
    expect(error.retryAfterMs).toBe(12_000);
  });

  it('makes a spend cap a quota error and 529 an overload', () => {
    const spend = normaliseAnthropicError(
      generate(
        429,
        'rate_limit_error',
        'You have reached your API usage limits.',
        {},
        { error_code: 'enforced_spend_limit_reached' },
      ),
      scope,
      now,
    );
    expect(spend).toMatchObject({ kind: 'quota', retryable: false, requestId: 'req_body' });
    expect(
      normaliseAnthropicError(generate(529, 'overloaded_error', 'Overloaded'), scope, now),
    ).toMatchObject({
      kind: 'overloaded',
      retryable: true,
    });
  });

  it('maps both context-length wordings', () => {
    for (const message of [
      'prompt is too long: 208310 tokens > 200000 maximum',
      'input length and `max_tokens` exceed context limit: 143653 + 64000 > 200000',
    ]) {
      expect(
        normaliseAnthropicError(generate(400, 'invalid_request_error', message), scope, now),
      ).toBeInstanceOf(ContextLengthError);
    }
  });

  it('classifies an in-stream error event by its type', () => {
    const streamed = new APIError(
      undefined,
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      undefined,
      new Headers(),
    );
    expect(normaliseAnthropicError(streamed, scope, now)).toMatchObject({
      code: 'provider_rate_limited',
      kind: 'overloaded',
    });
  });
});
