import { type HttpError, ServiceErrorCode, serviceError } from './http-error.ts';
import { createTokenRegistry, type TokenEntry, type TokenRegistry } from './tokens.ts';

/** Who is calling, from the request headers. */
export interface Caller {
  tenantId: string;
  /** The non-secret id of the bearer token, when the caller sent one: per-token limits key on it. */
  tokenId?: string;
  employee?: string;
  user?: string;
  client?: string;
  session?: string;
  requestId?: string;
}

/** Options of {@link createCallerResolver}. */
export interface CallerOptions {
  /** Bearer tokens, each mapped to a tenant and optionally scoped. Held hashed; never echoed. */
  apiTokens?: readonly TokenEntry[];
  /** A token registry to use instead of `apiTokens` (to rotate or revoke tokens at run time). */
  tokens?: TokenRegistry;
  /**
   * Accept `x-tenant-id` without a token: only for a service behind a gateway that has already
   * authenticated the caller. A bearer token, when present, must agree with it. @default false
   */
  trustTenantHeader?: boolean;
}

/** Reads the caller from headers, or says why it cannot. */
export type CallerResolver = (header: (name: string) => string | undefined) => Caller | HttpError;

const identityHeaders = [
  ['employee', 'x-employee-id'],
  ['user', 'x-user-id'],
  ['client', 'x-client-id'],
  ['session', 'x-session-id'],
  ['requestId', 'x-request-id'],
] as const;

/**
 * Resolves the calling tenant from `Authorization: Bearer <token>` (mapped to a tenant), or from
 * `x-tenant-id` when the host trusts it, and employee, user, client, session and request id from
 * `x-*-id` headers, within the token's scope.
 * @throws ValidationError on a bad or duplicate token.
 */
export function createCallerResolver(options: CallerOptions = {}): CallerResolver {
  const tokens = options.tokens ?? createTokenRegistry(options.apiTokens ?? []);
  const trustHeader = options.trustTenantHeader ?? false;
  const unauthorized = (message: string) =>
    serviceError(401, ServiceErrorCode.unauthorized, message, { 'www-authenticate': 'Bearer' });
  const forbidden = (message: string) => serviceError(403, ServiceErrorCode.forbidden, message);

  return (header) => {
    const authorization = header('authorization');
    const claimed = header('x-tenant-id');
    const caller: Caller = { tenantId: '' };
    let scope: Partial<Record<'client' | 'user' | 'employee', string>> = {};
    if (authorization !== undefined) {
      const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(authorization.trim());
      if (!match) return unauthorized('Malformed Authorization header: expected "Bearer <token>"');
      const found = tokens.lookup(match[1]!);
      if (!found.ok) {
        return unauthorized(
          found.reason === 'expired' ? 'The bearer token has expired' : 'Unknown bearer token',
        );
      }
      if (claimed !== undefined && claimed !== found.token.tenantId) {
        return forbidden('x-tenant-id does not match the bearer token');
      }
      caller.tenantId = found.token.tenantId;
      caller.tokenId = found.token.id;
      scope = found.token.scope;
    } else if (trustHeader && claimed !== undefined && claimed.length > 0) {
      caller.tenantId = claimed;
    } else if (tokens.size === 0 && !trustHeader) {
      return unauthorized(
        'This service has no API tokens configured: set HTTP_SERVICE_TOKENS (or apiTokens), or trust x-tenant-id behind an authenticating gateway',
      );
    } else {
      return unauthorized(
        trustHeader ? 'Send a bearer token or an x-tenant-id header' : 'Send a bearer token',
      );
    }
    for (const [field, name] of identityHeaders) {
      const value = header(name);
      const allowed = field === 'session' || field === 'requestId' ? undefined : scope[field];
      if (allowed !== undefined && value !== undefined && value !== allowed) {
        return forbidden(`${name} is outside the bearer token's scope`);
      }
      const effective = value !== undefined && value.length > 0 ? value : allowed;
      if (effective !== undefined) caller[field] = effective;
    }
    return caller;
  };
}

/** True when the value is an error answer rather than a caller. */
export const isHttpError = (value: Caller | HttpError): value is HttpError => 'status' in value;
