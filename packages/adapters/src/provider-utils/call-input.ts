import {
  asInputError,
  expectNumber,
  expectObject,
  expectString,
  type Forge1Error,
  refuseArgument,
} from '@forge1/core';

// The check at the entry of every adapter method (chat, stream, embed): the gateway passes a
// request it validated and a call it built, so a few typeof checks, no copies. A host calling an
// adapter directly gets a validation_error naming the method and the field, never a TypeError
// or its own getter's error.

/**
 * Why an adapter must refuse `request` and `call` (a `validation_error` naming `fn` and the
 * field), or undefined when they have the shape every adapter reads: an object request with a
 * string `model`, and a call with a Secret `apiKey` and, when given, a string `keyId`, an
 * AbortSignal and a finite `timeoutMs`. It returns rather than throws, so that a method that
 * promises a stream or a promise fails as one.
 */
export function callRefusal(request: unknown, call: unknown, fn: string): Forge1Error | undefined {
  try {
    expectObject(request, fn, 'request');
    expectObject(call, fn, 'call');
    expectString(request.model, fn, 'request.model');
    const { apiKey, keyId, signal, timeoutMs } = call;
    if (typeof (apiKey as { reveal?: unknown } | null)?.reveal !== 'function') {
      return refuseArgument(fn, 'call.apiKey', 'expected a Secret');
    }
    if (keyId !== undefined) expectString(keyId, fn, 'call.keyId');
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      return refuseArgument(fn, 'call.signal', 'expected an AbortSignal');
    }
    if (timeoutMs !== undefined) expectNumber(timeoutMs, fn, 'call.timeoutMs');
    return undefined;
  } catch (thrown) {
    return asInputError(thrown, fn);
  }
}
