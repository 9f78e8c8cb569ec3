import { ProviderBadRequestError, ProviderUnavailableError, RateLimitedError, Secret } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { classifyError, type ErrorClassification } from './classify-error.js';

interface Body {
  code?: string;
}

const classification: ErrorClassification<Body> = {
  read(error) {
    const value = error as { status?: number; code?: string; message?: string };
    if (value.status === undefined) return undefined;
    return {
      status: value.status,
      codes: [value.code],
      message: value.message ?? '',
      body: value.code ? { code: value.code } : {},
      headers: { 'retry-after': '3' },
    };
  },
  rules: [
    { code: ['slow_down'], category: 'rate-limited', kind: 'overloaded' },
    {
      status: [400],
      message: /quota/,
      category: 'rate-limited',
      kind: ({ body }) => (body.code ? 'quota' : 'unknown'),
    },
  ],
  rateLimitDelay: () => 1234,
};
const scope = { provider: 'p', model: 'm', apiKey: new Secret('sk-secret-value-123456') };

describe('classifyError', () => {
  it('applies the first rule whose conditions all hold, with its kind and the provider delay', () => {
    const error = classifyError(classification, { status: 400, code: 'slow_down', message: 'x' }, scope, 0);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ kind: 'overloaded', retryAfterMs: 1234, status: 400 });
  });

  it('falls back to the status when no rule matches', () => {
    const error = classifyError(classification, { status: 404, message: 'nope' }, scope, 0);
    expect(error).toBeInstanceOf(ProviderBadRequestError);
  });

  it('gives a quota no retry delay, and an unavailable answer its retry-after', () => {
    const quota = classifyError(classification, { status: 400, code: 'q', message: 'over quota' }, scope, 0);
    expect(quota).toMatchObject({ kind: 'quota' });
    expect((quota as RateLimitedError).retryAfterMs).toBeUndefined();
    const unavailable = classifyError(classification, { status: 503, message: 'down' }, scope, 0);
    expect(unavailable).toBeInstanceOf(ProviderUnavailableError);
    expect(unavailable).toMatchObject({ retryAfterMs: 3000 });
  });

  it('turns what the reader does not know into an unavailable error without the key', () => {
    const error = classifyError(classification, new Error('boom sk-secret-value-123456'), scope, 0);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).not.toContain('sk-secret-value-123456');
  });
});
