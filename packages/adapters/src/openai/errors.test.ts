import { ContextLengthError, ProviderAuthError, RateLimitedError, Secret } from '@forge1/core';
import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { normaliseOpenAIError } from './errors.js';

const secret = 'sk-proj-abcdefghijklmnopqrstuvwxyz';
const scope = { provider: 'openai', model: 'gpt-4o-mini', keyId: 'k1', apiKey: new Secret(secret) };
const now = Date.UTC(2026, 0, 1);
const generate = (status: number, error: object, headers: Record<string, string> = {}) =>
  APIError.generate(status, { error }, undefined, new Headers({ 'x-request-id': 'req_1', ...headers }));

describe('normaliseOpenAIError', () => {
  it('reads a token 429: kind tokens, delay from the matching reset header', () => {
    const error = normaliseOpenAIError(
      generate(
        429,
        {
          message:
            'Rate limit reached for gpt-4o-mini on tokens per min (TPM): Limit 200000. Please try again in 26.604s.',
          type: 'tokens',
          code: 'rate_limit_exceeded',
        },
        { 'x-ratelimit-reset-tokens': '1m2s', 'x-ratelimit-remaining-tokens': '0' },
      ),
      scope,
      now,
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      kind: 'tokens',
      retryAfterMs: 62_000,
      requestId: 'req_1',
      status: 429,
      keyId: 'k1',
    });
    expect((error as RateLimitedError).rateLimit?.remainingTokens).toBe(0);
  });

  it('prefers retry-after-ms, and falls back to the delay in the message', () => {
    const body = { message: 'Please try again in 644ms.', type: 'requests', code: 'rate_limit_exceeded' };
    expect(
      normaliseOpenAIError(generate(429, body, { 'retry-after-ms': '150' }), scope, now).retryAfterMs,
    ).toBe(150);
    expect(normaliseOpenAIError(generate(429, body), scope, now).retryAfterMs).toBe(644);
  });

  it('makes insufficient_quota a non-retryable quota error', () => {
    const error = normaliseOpenAIError(
      generate(429, {
        message: 'You exceeded your current quota',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      }),
      scope,
      now,
    );
    expect(error).toMatchObject({ kind: 'quota', retryable: false });
  });

  it('maps context_length_exceeded and 401, scrubbing an echoed key', () => {
    expect(
      normaliseOpenAIError(
        generate(400, {
          message: "This model's maximum context length is 4097 tokens.",
          type: 'invalid_request_error',
          code: 'context_length_exceeded',
          param: 'messages',
        }),
        scope,
        now,
      ),
    ).toBeInstanceOf(ContextLengthError);
    const auth = normaliseOpenAIError(
      generate(401, {
        message: `Incorrect API key provided: ${secret}.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      }),
      scope,
      now,
    );
    expect(auth).toBeInstanceOf(ProviderAuthError);
    expect(auth.message).not.toContain(secret);
    expect(auth.message).toContain('[redacted]');
  });
});
