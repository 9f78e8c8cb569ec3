import { createHash } from 'node:crypto';
import { type Secret, ValidationError } from '@forge1/core';
import { type HttpError, ServiceErrorCode, serviceError } from './http-error.ts';

/** Who is calling, from the request headers. */
export interface Caller {
  tenantId: string;
  employee?: string;
  user?: string;
  client?: string;
  session?: string;
  requestId?: string;
}

/** Options of {@link createCallerResolver}. */
export interface CallerOptions {
  /** Bearer tokens and the tenant each one belongs to. Held hashed; never echoed. */
  apiTokens?: ReadonlyArray<{ token: string | Secret; tenantId: string }>;
  /**
   * Accept `x-tenant-id` without a token (a service behind a gateway that authenticated the
   * caller already). A bearer token, when present, must agree with it. @default true
   */
  trustTenantHeader?: boolean;
}

/** Reads the caller from headers, or says why it cannot. */
export type CallerResolver = (header: (name: string) => string | undefined) => Caller | HttpError;

const fingerprint = (token: string) => createHash('sha256').update(token).digest('base64url');

const identityHeaders = [
  ['employee', 'x-employee-id'],
  ['user', 'x-user-id'],
  ['client', 'x-client-id'],
  ['session', 'x-session-id'],
  ['requestId', 'x-request-id'],
] as const;

/**
 * Resolves the calling tenant from `Authorization: Bearer <token>` (mapped to a tenant) or
 * `x-tenant-id`, and employee, user, client, session and request id from `x-*-id` headers.
 * @throws ValidationError when two tokens are configured alike.
 */
export function createCallerResolver(options: CallerOptions = {}): CallerResolver {
  const tenantByToken = new Map<string, string>();
  for (const [index, { token, tenantId }] of (options.apiTokens ?? []).entries()) {
    const value = typeof token === 'string' ? token : token.reveal();
    const key = fingerprint(value);
    if (value.length === 0 || tenantByToken.has(key)) {
      throw new ValidationError('http service options', [
        { path: `apiTokens.${index}`, message: 'tokens must be non-empty and distinct' },
      ]);
    }
    tenantByToken.set(key, tenantId);
  }
  const trustHeader = options.trustTenantHeader ?? true;
  const unauthorized = (message: string) =>
    serviceError(401, ServiceErrorCode.unauthorized, message, { 'www-authenticate': 'Bearer' });

  return (header) => {
    const authorization = header('authorization');
    const claimed = header('x-tenant-id');
    let tenantId: string | undefined;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      tenantId = match ? tenantByToken.get(fingerprint(match[1]!)) : undefined;
      if (tenantId === undefined) return unauthorized('Unknown or malformed bearer token');
      if (claimed !== undefined && claimed !== tenantId) {
        return serviceError(403, ServiceErrorCode.forbidden, 'x-tenant-id does not match the bearer token');
      }
    } else if (claimed !== undefined && claimed.length > 0 && trustHeader) {
      tenantId = claimed;
    } else {
      return unauthorized(
        trustHeader ? 'Send a bearer token or an x-tenant-id header' : 'Send a bearer token',
      );
    }
    const caller: Caller = { tenantId };
    for (const [field, name] of identityHeaders) {
      const value = header(name);
      if (value !== undefined && value.length > 0) caller[field] = value;
    }
    return caller;
  };
}

/** True when the value is an error answer rather than a caller. */
export const isHttpError = (value: Caller | HttpError): value is HttpError => 'status' in value;
