import { AbortedError, Forge1Error } from '@forge1/core';
import { type ErrorScope, messageOf, toProviderError } from './failure.js';

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

// Stainless SDK errors keep the default name `Error`; their class name says what they are.
const errorName = (error: unknown) =>
  error instanceof Error ? (error.name === 'Error' ? error.constructor.name : error.name) : '';
const errorCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Handles what is not an HTTP error response: a caller abort (core `AbortedError`), the
 * attempt's timeout or an SDK timeout (`ProviderTimeoutError`), connection failures, resets
 * and malformed bodies (`ProviderUnavailableError`). Undefined for anything else.
 */
export function transportError(error: unknown, scope: ErrorScope): Forge1Error | undefined {
  if (scope.control?.callerAborted()) {
    return new AbortedError(`${scope.provider} call aborted by the caller`, { cause: error });
  }
  if (Forge1Error.is(error)) return error;
  if (scope.control?.timedOut()) {
    return toProviderError({ category: 'timeout', message: 'the attempt timed out', cause: error }, scope);
  }
  const name = errorName(error);
  const code = errorCode(error) ?? errorCode((error as { cause?: unknown } | null)?.cause);
  if (/timeout/i.test(name) || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return toProviderError({ category: 'timeout', message: messageOf(error), cause: error }, scope);
  }
  const connection =
    name === 'APIConnectionError' ||
    name === 'AbortError' ||
    name === 'APIUserAbortError' ||
    name === 'SyntaxError' ||
    (code !== undefined && NETWORK_CODES.has(code)) ||
    (error instanceof TypeError && /fetch failed|terminated|network/i.test(error.message)) ||
    /terminated|socket hang up|other side closed|premature close|incomplete json|unexpected end of json/i.test(
      messageOf(error),
    );
  if (connection)
    return toProviderError({ category: 'unavailable', message: messageOf(error), cause: error }, scope);
  return undefined;
}
