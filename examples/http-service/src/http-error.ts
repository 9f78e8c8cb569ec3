import { ErrorCode, Forge1Error, redact, type Secret, toForge1Error } from '@forge1/core';

/** Codes of this service's own refusals, beside the Forge1Error codes. */
export const ServiceErrorCode = {
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not_found',
  tooLarge: 'payload_too_large',
  /** The body did not arrive within the service's time for it (a slow or stalled client). */
  bodyTimeout: 'request_timeout',
  /** The caller's own request rate or stream count is used up (not the tenant's quota). */
  tooManyRequests: 'too_many_requests',
} as const;

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    retryable: boolean;
    retryAfterMs?: number;
    requestId?: string;
  };
}

/** An error answer: status, headers and body. */
export interface HttpError {
  status: 400 | 401 | 403 | 404 | 408 | 413 | 429 | 499 | 500 | 502 | 503 | 504;
  headers: Record<string, string>;
  body: ErrorBody;
}

const statusByCode: Record<string, HttpError['status']> = {
  [ErrorCode.validation]: 400,
  [ErrorCode.unknownTenant]: 404,
  [ErrorCode.quotaExceeded]: 429,
  [ErrorCode.budgetExceeded]: 429,
  [ErrorCode.noCapacity]: 503,
  [ErrorCode.circuitOpen]: 503,
  // Every key of every candidate provider was rate-limited: a capacity problem, retry later.
  [ErrorCode.rateLimited]: 503,
  [ErrorCode.closed]: 503,
  [ErrorCode.timeout]: 504,
  [ErrorCode.auth]: 502,
  [ErrorCode.badRequest]: 502,
  [ErrorCode.contextLength]: 502,
  [ErrorCode.contentPolicy]: 502,
  [ErrorCode.unavailable]: 502,
  [ErrorCode.aborted]: 499,
  [ErrorCode.internal]: 500,
};

/** A refusal of this service (authentication, authorisation, limits), not of the gateway. */
export function serviceError(
  status: 401 | 403 | 404 | 408 | 413 | 429,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): HttpError {
  const retryAfter = headers['retry-after'];
  const retryable = status === 429 || status === 408;
  return {
    status,
    headers,
    body: {
      error: {
        code,
        message,
        retryable,
        ...(retryAfter === undefined ? {} : { retryAfterMs: Number(retryAfter) * 1000 }),
      },
    },
  };
}

/** The error answer as a Response. */
export function sendError(error: HttpError): Response {
  return Response.json(error.body, { status: error.status, headers: error.headers });
}

/** Milliseconds until the client may try again, or undefined when waiting would not help. */
function retryAfterMs(error: Forge1Error, now: number): number | undefined {
  const resetsAt = (error as { resetsAt?: unknown }).resetsAt;
  if (typeof resetsAt === 'number') return Math.max(0, resetsAt - now);
  if (error.retryAfterMs !== undefined) return error.retryAfterMs;
  return error.retryable ? 1000 : undefined;
}

/**
 * Maps anything thrown to an HTTP answer: the Forge1Error code in a JSON body, a status per
 * code (validation 400, unknown tenant 404, quota and budget 429, no capacity 503, provider
 * errors 502), `Retry-After` on 429 and 503, and every known secret scrubbed from the message.
 * Errors that are not Forge1Errors get a generic message: their text is not meant for callers.
 */
export function toHttpError(
  thrown: unknown,
  options: { secrets: readonly Secret[]; now: number; requestId?: string },
): HttpError {
  const error = toForge1Error(thrown);
  const status = statusByCode[error.code] ?? 500;
  const internal = status === 500 || !Forge1Error.is(thrown);
  const body: ErrorBody = {
    error: {
      code: internal ? ErrorCode.internal : error.code,
      message: internal ? 'Internal error' : redact(error.message, options.secrets),
      retryable: error.retryable,
      ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
    },
  };
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) {
    const waitMs = retryAfterMs(error, options.now) ?? 1000;
    body.error.retryAfterMs = waitMs;
    headers['retry-after'] = String(Math.max(1, Math.ceil(waitMs / 1000)));
  }
  return { status, headers, body };
}
