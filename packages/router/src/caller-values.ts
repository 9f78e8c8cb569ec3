// The two pieces every checked object of the package uses at its boundary.
import { asInputError, ValidationError } from '@forge1/core';

/** A validation_error for argument `path` of method `fn`. */
export const refuseArgument = (fn: string, path: string, message: string): ValidationError =>
  new ValidationError(`${fn} arguments`, [{ path, message }]);

/**
 * Runs `body`, turning anything but a Forge1Error it throws (a getter's or Proxy trap's own error,
 * a TypeError on a wrong shape) into a validation_error naming `fn`, with the original as `cause`.
 */
export function readingCaller<T>(fn: string, body: () => T): T {
  try {
    return body();
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}
