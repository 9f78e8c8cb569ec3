const MARKER = Symbol.for('forge1.error');

/** Stable error codes. A code never changes meaning once released. */
export const ErrorCode = {
  validation: 'validation_error',
  unknownTenant: 'unknown_tenant',
  quotaExceeded: 'quota_exceeded',
  budgetExceeded: 'budget_exceeded',
  noCapacity: 'no_capacity',
  circuitOpen: 'circuit_open',
  aborted: 'aborted',
  closed: 'closed',
  rateLimited: 'provider_rate_limited',
  auth: 'provider_auth',
  badRequest: 'provider_bad_request',
  contextLength: 'provider_context_length',
  contentPolicy: 'provider_content_policy',
  unavailable: 'provider_unavailable',
  timeout: 'provider_timeout',
  contentBlocked: 'content_blocked',
  configuration: 'configuration_error',
  storeUnavailable: 'store_unavailable',
  residency: 'residency_unavailable',
  internal: 'internal_error',
} as const;

/** One of the stable string codes carried by every {@link Forge1Error}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Options shared by every Forge1 error constructor. */
export interface Forge1ErrorOptions {
  /** The underlying error, always kept. */
  cause?: unknown;
  /** Whether the same call may succeed if tried again (possibly after `retryAfterMs`). */
  retryable?: boolean;
  /** Provider name, when the error concerns one. */
  provider?: string;
  /** Model id, when the error concerns one. */
  model?: string;
  /** Key id (never the secret), when the error concerns one key. */
  keyId?: string;
  /** Tenant id, when the error concerns one tenant. */
  tenantId?: string;
  /** How long to wait before trying again, in milliseconds. */
  retryAfterMs?: number;
}

/**
 * Root of every error Forge1 throws. Check with {@link Forge1Error.is} rather than
 * `instanceof`, which fails across duplicate installs.
 *
 * @example
 * ```ts
 * try { await gateway.chat(input); } catch (error) {
 *   if (Forge1Error.is(error) && error.code === 'budget_exceeded') showUpgrade();
 * }
 * ```
 */
export class Forge1Error extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Whether trying again may succeed. */
  readonly retryable: boolean;
  readonly provider?: string;
  readonly model?: string;
  readonly keyId?: string;
  readonly tenantId?: string;
  readonly retryAfterMs?: number;
  readonly [MARKER] = true;

  constructor(code: ErrorCode, message: string, options: Forge1ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'Forge1Error';
    this.code = code;
    this.retryable = options.retryable ?? false;
    if (options.provider !== undefined) this.provider = options.provider;
    if (options.model !== undefined) this.model = options.model;
    if (options.keyId !== undefined) this.keyId = options.keyId;
    if (options.tenantId !== undefined) this.tenantId = options.tenantId;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = Math.max(0, Math.ceil(options.retryAfterMs));
  }

  /** True for any Forge1 error, optionally of one code; works across package copies. */
  static is(value: unknown, code?: ErrorCode): value is Forge1Error {
    if (typeof value !== 'object' || value === null) return false;
    try {
      if (!(MARKER in value)) return false;
      return code === undefined || (value as Forge1Error).code === code;
    } catch {
      // A Proxy whose traps throw, or a revoked one, is not a Forge1 error.
      return false;
    }
  }

  /** A plain object safe to log or send: no secrets, no stack. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      provider: this.provider,
      model: this.model,
      keyId: this.keyId,
      tenantId: this.tenantId,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

// A name or message given as something else than a string is shown by its type, so that building
// an error never throws.
const text = (value: unknown): string => (typeof value === 'string' ? value : `(${typeof value})`);

/** One field that failed validation. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `budget.monthlyMicros`. */
  path: string;
  message: string;
}

/** Input or configuration failed validation; `issues` names each bad field. */
export class ValidationError extends Forge1Error {
  readonly issues: readonly ValidationIssue[];
  constructor(what: string, issues: readonly ValidationIssue[], options: Forge1ErrorOptions = {}) {
    const detail = Array.isArray(issues)
      ? issues.map((issue) => `${text(issue?.path) || '(root)'}: ${text(issue?.message)}`).join('; ')
      : '';
    super(ErrorCode.validation, `Invalid ${text(what)}: ${detail}`, options);
    this.name = 'ValidationError';
    this.issues = issues;
  }
  /** True for a ValidationError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ValidationError {
    return Forge1Error.is(value, ErrorCode.validation);
  }
}

/** The tenant id is not known to the tenant directory. */
export class UnknownTenantError extends Forge1Error {
  constructor(tenantId: string) {
    const id = typeof tenantId === 'string' ? tenantId : `(${typeof tenantId})`;
    super(ErrorCode.unknownTenant, `Unknown tenant "${id}"`, { tenantId: id });
    this.name = 'UnknownTenantError';
  }
  /** True for an UnknownTenantError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is UnknownTenantError {
    return Forge1Error.is(value, ErrorCode.unknownTenant);
  }
}

/** Options of limit errors: what the limit is and when it resets. */
export interface LimitErrorOptions extends Forge1ErrorOptions {
  /** Epoch milliseconds when the limit resets. */
  resetsAt?: number;
  limit?: number;
  used?: number;
}

/** A tenant's request or token quota is used up until `resetsAt`. */
export class QuotaExceededError extends Forge1Error {
  readonly resetsAt?: number;
  readonly limit?: number;
  readonly used?: number;
  constructor(message: string, options: LimitErrorOptions = {}) {
    super(ErrorCode.quotaExceeded, message, options);
    this.name = 'QuotaExceededError';
    if (options.resetsAt !== undefined) this.resetsAt = options.resetsAt;
    if (options.limit !== undefined) this.limit = options.limit;
    if (options.used !== undefined) this.used = options.used;
  }
  /** True for a QuotaExceededError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is QuotaExceededError {
    return Forge1Error.is(value, ErrorCode.quotaExceeded);
  }
}

/** A tenant's budget cannot afford the request until `resetsAt`. */
export class BudgetExceededError extends Forge1Error {
  readonly resetsAt?: number;
  readonly limit?: number;
  readonly used?: number;
  constructor(message: string, options: LimitErrorOptions = {}) {
    super(ErrorCode.budgetExceeded, message, options);
    this.name = 'BudgetExceededError';
    if (options.resetsAt !== undefined) this.resetsAt = options.resetsAt;
    if (options.limit !== undefined) this.limit = options.limit;
    if (options.used !== undefined) this.used = options.used;
  }
  /** True for a BudgetExceededError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is BudgetExceededError {
    return Forge1Error.is(value, ErrorCode.budgetExceeded);
  }
}

/** No key of the provider could take the request within the wait allowed. */
export class NoCapacityError extends Forge1Error {
  constructor(message: string, options: Forge1ErrorOptions = {}) {
    super(ErrorCode.noCapacity, message, { retryable: true, ...options });
    this.name = 'NoCapacityError';
  }
  /** True for a NoCapacityError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is NoCapacityError {
    return Forge1Error.is(value, ErrorCode.noCapacity);
  }
}

/** The circuit breaker for a provider and model is open: calls are refused without reaching it. */
export class CircuitOpenError extends Forge1Error {
  constructor(message: string, options: Forge1ErrorOptions = {}) {
    super(ErrorCode.circuitOpen, message, { retryable: true, ...options });
    this.name = 'CircuitOpenError';
  }
  /** True for a CircuitOpenError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is CircuitOpenError {
    return Forge1Error.is(value, ErrorCode.circuitOpen);
  }
}

/** The caller's AbortSignal fired. */
export class AbortedError extends Forge1Error {
  constructor(message = 'The operation was aborted', options: Forge1ErrorOptions = {}) {
    super(ErrorCode.aborted, message, options);
    this.name = 'AbortedError';
  }
  /** True for an AbortedError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is AbortedError {
    return Forge1Error.is(value, ErrorCode.aborted);
  }
}

/** A component was used after `close()`. */
export class ClosedError extends Forge1Error {
  constructor(what: string) {
    super(ErrorCode.closed, `${what} is closed`);
    this.name = 'ClosedError';
  }
  /** True for a ClosedError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ClosedError {
    return Forge1Error.is(value, ErrorCode.closed);
  }
}

/** A compliance filter refused the request before any provider call; `kinds` names what it found, never the values. */
export class ContentBlockedError extends Forge1Error {
  /** Detector names that blocked the request, e.g. `['paymentCard']`. */
  readonly kinds: readonly string[];
  constructor(message: string, options: Forge1ErrorOptions & { kinds: readonly string[] }) {
    super(ErrorCode.contentBlocked, message, { retryable: false, ...options });
    this.name = 'ContentBlockedError';
    this.kinds = [...options.kinds];
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), kinds: this.kinds };
  }
  /** True for a ContentBlockedError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ContentBlockedError {
    return Forge1Error.is(value, ErrorCode.contentBlocked);
  }
}

/** No model in the tenant's data-residency regions can serve the request; `regions` names them. */
export class ResidencyError extends Forge1Error {
  /** The tenant's regions, e.g. `['eu']`. */
  readonly regions: readonly string[];
  constructor(message: string, options: Forge1ErrorOptions & { regions: readonly string[] }) {
    super(ErrorCode.residency, message, { retryable: false, ...options });
    this.name = 'ResidencyError';
    this.regions = [...options.regions];
  }
  /** True for a ResidencyError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ResidencyError {
    return Forge1Error.is(value, ErrorCode.residency);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), regions: this.regions };
  }
}

/** Options of {@link ConfigurationError}. */
export interface ConfigurationErrorOptions extends Forge1ErrorOptions {
  /** Each inconsistent setting, e.g. `{ path: 'keys.anthropic', message: 'no adapter' }`. */
  issues?: readonly ValidationIssue[];
}

/**
 * The components were wired inconsistently (keys for a provider without an adapter, …): a
 * mistake of the host's setup, refused at construction, never the caller's fault.
 */
export class ConfigurationError extends Forge1Error {
  readonly issues: readonly ValidationIssue[];
  constructor(message: string, options: ConfigurationErrorOptions = {}) {
    super(ErrorCode.configuration, message, options);
    this.name = 'ConfigurationError';
    this.issues = options.issues ?? [];
  }
  /** True for a ConfigurationError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is ConfigurationError {
    return Forge1Error.is(value, ErrorCode.configuration);
  }
}

/** Options of {@link StoreUnavailableError}. */
export interface StoreUnavailableErrorOptions extends Forge1ErrorOptions {
  /** Which store failed, e.g. `redis`. */
  store?: string;
}

/** A shared state store (Redis, a database) cannot be reached; trying again later may succeed. */
export class StoreUnavailableError extends Forge1Error {
  readonly store?: string;
  constructor(message: string, options: StoreUnavailableErrorOptions = {}) {
    super(ErrorCode.storeUnavailable, message, { retryable: true, ...options });
    this.name = 'StoreUnavailableError';
    if (options.store !== undefined) this.store = options.store;
  }
  /** True for a StoreUnavailableError (by code, so it works across package copies); narrows to it. */
  static override is(value: unknown): value is StoreUnavailableError {
    return Forge1Error.is(value, ErrorCode.storeUnavailable);
  }
}

/** Wraps anything thrown into a Forge1Error, keeping it as `cause`. */
export function toForge1Error(error: unknown, fallbackCode: ErrorCode = ErrorCode.internal): Forge1Error {
  if (Forge1Error.is(error)) return error;
  let message: string;
  try {
    message = error instanceof Error ? String(error.message) : String(error);
  } catch {
    message = `a thrown ${typeof error}`;
  }
  return new Forge1Error(fallbackCode, message, { cause: error });
}
