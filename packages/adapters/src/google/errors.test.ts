import { ContextLengthError, ProviderAuthError, RateLimitedError } from '@forge1/core';
import { ApiError } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { normaliseGoogleError } from './errors.js';

const scope = { provider: 'google', model: 'gemini-2.5-flash' };
const apiError = (status: number, error: object) =>
  new ApiError({ status, message: JSON.stringify({ error }) });

const exhausted = (quotaId: string, retryDelay: string, message: string) =>
  apiError(429, {
    code: 429,
    status: 'RESOURCE_EXHAUSTED',
    message,
    details: [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId, quotaMetric: 'm' }] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
    ],
  });

describe('normaliseGoogleError', () => {
  it('reads a per-minute 429: kind from the quota id, delay from the message fraction and RetryInfo', () => {
    const error = normaliseGoogleError(
      exhausted(
        'GenerateContentInputTokensPerModelPerMinute-FreeTier',
        '10s',
        'You exceeded your current quota, please check your plan and billing details. Please retry in 10.747338767s.',
      ),
      scope,
      0,
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ kind: 'tokens', retryable: true, status: 429 });
    expect(error.retryAfterMs).toBe(10_748);
  });

  it('makes a per-day quota non-retryable', () => {
    const error = normaliseGoogleError(
      exhausted('GenerateRequestsPerDayPerProjectPerModel-FreeTier', '34s', 'quota'),
      scope,
      0,
    );
    expect(error).toMatchObject({ kind: 'quota', retryable: false });
  });

  it('maps API_KEY_INVALID (a 400) to auth, and the input token count message to context length', () => {
    const invalid = apiError(400, {
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'API key not valid. Please pass a valid API key.',
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
    });
    expect(normaliseGoogleError(invalid, scope, 0)).toBeInstanceOf(ProviderAuthError);
    const long = apiError(400, {
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'The input token count (3475108) exceeds the maximum number of tokens allowed (1048576).',
    });
    expect(normaliseGoogleError(long, scope, 0)).toBeInstanceOf(ContextLengthError);
  });

  it('reads an in-stream error message with its prefix', () => {
    const streamed = new ApiError({
      status: 503,
      message: `got status: UNAVAILABLE. ${JSON.stringify({ error: { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.' } })}`,
    });
    expect(normaliseGoogleError(streamed, scope, 0)).toMatchObject({
      code: 'provider_rate_limited',
      kind: 'overloaded',
    });
  });
});
