import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  BudgetExceededError,
  ClosedError,
  ConfigurationError,
  ContentBlockedError,
  ErrorCode,
  Forge1Error,
  ProviderAuthError,
  ProviderError,
  RateLimitedError,
  ResidencyError,
  StoreUnavailableError,
  toForge1Error,
  ValidationError,
} from './index.js';

describe('Forge1Error', () => {
  it('is recognised by is() with or without a code, and keeps its cause', () => {
    const cause = new Error('socket hang up');
    const error = new RateLimitedError('slow down', {
      provider: 'openai',
      retryAfterMs: 1200.4,
      kind: 'tokens',
      cause,
    });
    expect(Forge1Error.is(error)).toBe(true);
    expect(Forge1Error.is(error, ErrorCode.rateLimited)).toBe(true);
    expect(Forge1Error.is(error, ErrorCode.auth)).toBe(false);
    expect(error.cause).toBe(cause);
    expect(error.retryAfterMs).toBe(1201);
    expect(error.retryable).toBe(true);
  });

  it('recognises errors made by another copy of the package (symbol marker)', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('forge1.error')]: true,
      code: 'no_capacity',
    });
    expect(Forge1Error.is(foreign, 'no_capacity')).toBe(true);
    expect(Forge1Error.is(new Error('plain'))).toBe(false);
    expect(Forge1Error.is(null)).toBe(false);
  });

  it('marks quota rate limits and auth errors as not retryable', () => {
    expect(new RateLimitedError('quota', { provider: 'openai', kind: 'quota' }).retryable).toBe(false);
    expect(new ProviderAuthError('bad key', { provider: 'openai' }).retryable).toBe(false);
  });

  it('serialises to JSON without a stack', () => {
    const json = new ProviderAuthError('bad key', {
      provider: 'anthropic',
      keyId: 'k1',
      status: 401,
    }).toJSON();
    expect(json).toMatchObject({ code: 'provider_auth', provider: 'anthropic', keyId: 'k1', status: 401 });
    expect(json).not.toHaveProperty('stack');
  });

  it('wraps foreign throwables with toForge1Error', () => {
    expect(toForge1Error('oops')).toMatchObject({ code: 'internal_error', message: 'oops' });
    const aborted = new AbortedError();
    expect(toForge1Error(aborted)).toBe(aborted);
  });

  it('lists validation issues in the message', () => {
    const error = new ValidationError('thing', [{ path: 'a.b', message: 'too small' }]);
    expect(error.message).toBe('Invalid thing: a.b: too small');
  });

  it('names the blocking detectors of a content_blocked error, not retryable', () => {
    const error = new ContentBlockedError('blocked', { kinds: ['paymentCard'], tenantId: 'acme' });
    expect(Forge1Error.is(error, ErrorCode.contentBlocked)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.toJSON()).toMatchObject({
      code: 'content_blocked',
      kinds: ['paymentCard'],
      tenantId: 'acme',
    });
  });

  it('narrows to its class with a per-class is(), across package copies', () => {
    const rateLimited: unknown = new RateLimitedError('slow', { provider: 'openai', kind: 'tokens' });
    expect(RateLimitedError.is(rateLimited) && rateLimited.kind).toBe('tokens');
    expect(ProviderError.is(rateLimited)).toBe(true);
    expect(ProviderAuthError.is(rateLimited)).toBe(false);
    const foreign = Object.assign(new Error('x'), { [Symbol.for('forge1.error')]: true, code: 'closed' });
    expect(ClosedError.is(foreign)).toBe(true);
    expect(ProviderError.is(foreign)).toBe(false);
    expect(BudgetExceededError.is(new BudgetExceededError('spent', { limit: 5, used: 6 }))).toBe(true);
    expect(ValidationError.is(new Error('plain'))).toBe(false);
  });

  it("names inconsistent wiring with a configuration_error that is not the caller's fault", () => {
    const error = new ConfigurationError('keys without adapter', {
      issues: [{ path: 'keys.anthropic', message: 'no adapter' }],
    });
    expect(error.code).toBe(ErrorCode.configuration);
    expect(ConfigurationError.is(error) && error.issues[0]?.path).toBe('keys.anthropic');
    expect(error.retryable).toBe(false);
  });

  it('marks an unreachable store as a retryable store_unavailable error naming the store', () => {
    const error = new StoreUnavailableError('redis down', { store: 'redis' });
    expect(error).toMatchObject({ code: 'store_unavailable', retryable: true, store: 'redis' });
    expect(StoreUnavailableError.is(error)).toBe(true);
  });

  it('names the regions of a residency refusal in its JSON and does not mark it retryable', () => {
    const error = new ResidencyError('no model in eu', { regions: ['eu'], tenantId: 'acme' });
    expect(ResidencyError.is(error)).toBe(true);
    expect(Forge1Error.is(error, ErrorCode.residency)).toBe(true);
    expect(error.retryable).toBe(false);
    expect(error.toJSON()).toMatchObject({
      code: 'residency_unavailable',
      regions: ['eu'],
      tenantId: 'acme',
    });
  });
});
