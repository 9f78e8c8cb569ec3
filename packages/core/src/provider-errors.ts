import type { RateLimitInfo } from './chat.js';
import { ErrorCode, Forge1Error, type Forge1ErrorOptions } from './errors.js';

/** Options of provider errors. */
export interface ProviderErrorOptions extends Forge1ErrorOptions {
  provider: string;
  /** HTTP status, when there was a response. */
  status?: number;
  /** The provider's request id, for support tickets. */
  requestId?: string;
  /** Rate-limit figures read from the failed response's headers. */
  rateLimit?: RateLimitInfo;
}

const providerCodes = new Set<string>([
  ErrorCode.rateLimited,
  ErrorCode.auth,
  ErrorCode.badRequest,
  ErrorCode.contextLength,
  ErrorCode.contentPolicy,
  ErrorCode.unavailable,
  ErrorCode.timeout,
]);

/** Base of every normalised provider error. */
export class ProviderError extends Forge1Error {
  override readonly provider: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly rateLimit?: RateLimitInfo;
  constructor(code: ErrorCode, message: string, options: ProviderErrorOptions) {
    super(code, message, options);
    this.name = 'ProviderError';
    this.provider = options.provider;
    if (options.status !== undefined) this.status = options.status;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.rateLimit !== undefined) this.rateLimit = options.rateLimit;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, requestId: this.requestId };
  }
  /** True for any provider error (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ProviderError {
    return Forge1Error.is(value) && providerCodes.has(value.code);
  }
}

/** Which limit a 429 (or overload) hit. */
export type RateLimitKind = 'requests' | 'tokens' | 'overloaded' | 'quota' | 'unknown';

/** The provider refused for rate or load (429, 529, overloaded 503); `kind` says which limit. */
export class RateLimitedError extends ProviderError {
  readonly kind: RateLimitKind;
  constructor(message: string, options: ProviderErrorOptions & { kind?: RateLimitKind }) {
    const kind = options.kind ?? 'unknown';
    // Quota and billing exhaustion does not clear by waiting a few seconds.
    super(ErrorCode.rateLimited, message, { retryable: kind !== 'quota', ...options });
    this.name = 'RateLimitedError';
    this.kind = kind;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), kind: this.kind };
  }
  /** True for a RateLimitedError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is RateLimitedError {
    return Forge1Error.is(value, ErrorCode.rateLimited);
  }
}

/** The key was refused (401/403, or Gemini's API_KEY_INVALID): never retried on that key. */
export class ProviderAuthError extends ProviderError {
  constructor(message: string, options: ProviderErrorOptions) {
    super(ErrorCode.auth, message, { retryable: false, ...options });
    this.name = 'ProviderAuthError';
  }
  /** True for a ProviderAuthError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ProviderAuthError {
    return Forge1Error.is(value, ErrorCode.auth);
  }
}

/** The provider rejected the request as malformed (400, 404, 422). */
export class ProviderBadRequestError extends ProviderError {
  constructor(message: string, options: ProviderErrorOptions) {
    super(ErrorCode.badRequest, message, { retryable: false, ...options });
    this.name = 'ProviderBadRequestError';
  }
  /** True for a ProviderBadRequestError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ProviderBadRequestError {
    return Forge1Error.is(value, ErrorCode.badRequest);
  }
}

/** The prompt (plus max tokens) exceeds the model's context window. */
export class ContextLengthError extends ProviderError {
  constructor(message: string, options: ProviderErrorOptions) {
    super(ErrorCode.contextLength, message, { retryable: false, ...options });
    this.name = 'ContextLengthError';
  }
  /** True for a ContextLengthError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ContextLengthError {
    return Forge1Error.is(value, ErrorCode.contextLength);
  }
}

/** The provider's content filter refused the request or the answer. */
export class ContentPolicyError extends ProviderError {
  constructor(message: string, options: ProviderErrorOptions) {
    super(ErrorCode.contentPolicy, message, { retryable: false, ...options });
    this.name = 'ContentPolicyError';
  }
  /** True for a ContentPolicyError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ContentPolicyError {
    return Forge1Error.is(value, ErrorCode.contentPolicy);
  }
}

/** The provider failed (5xx, connection reset, malformed body). */
export class ProviderUnavailableError extends ProviderError {
  constructor(message: string, options: ProviderErrorOptions) {
    super(ErrorCode.unavailable, message, { retryable: true, ...options });
    this.name = 'ProviderUnavailableError';
  }
  /** True for a ProviderUnavailableError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ProviderUnavailableError {
    return Forge1Error.is(value, ErrorCode.unavailable);
  }
}

/** The provider did not answer in time. */
export class ProviderTimeoutError extends ProviderError {
  constructor(message: string, options: ProviderErrorOptions) {
    super(ErrorCode.timeout, message, { retryable: true, ...options });
    this.name = 'ProviderTimeoutError';
  }
  /** True for a ProviderTimeoutError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ProviderTimeoutError {
    return Forge1Error.is(value, ErrorCode.timeout);
  }
}
