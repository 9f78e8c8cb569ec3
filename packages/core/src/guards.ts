import { Forge1Error, ValidationError } from './errors.js';
import { readUntrusted } from './untrusted.js';

// Cheap checks at the entry of exported functions, so that every public entry point refuses bad
// input with a `validation_error` naming the function and the field, never a TypeError, the
// caller's own getter error or a NaN that spreads. Internal callers use the unchecked functions.

const kind = (value: unknown): string => {
  if (value === null) return 'null';
  try {
    if (Array.isArray(value)) return 'an array';
  } catch {
    // A revoked Proxy cannot even say whether it is an array.
  }
  return typeof value;
};

// The names callers give the checks are strings in practice; anything else is shown by its type.
const label = (value: unknown): string => (typeof value === 'string' ? value : `(${typeof value})`);

const refuse = (fn: unknown, path: unknown, message: string, value: unknown): ValidationError =>
  new ValidationError(`${label(fn)} arguments`, [
    { path: label(path), message: `${message}, got ${kind(value)}` },
  ]);

/**
 * Reads the options object of a factory: `undefined` becomes `{}`, anything but a plain object
 * (null, a primitive, an array, a function) is a `validation_error` naming `<fn> options`, and
 * the rest is read once with {@link readUntrusted}, so getters, Proxy traps and cycles become
 * validation errors too.
 * @throws ValidationError
 * @example
 * ```ts
 * export function createThing(options: ThingOptions = {}) {
 *   const { clock = systemClock } = readOptions(options, 'createThing');
 * }
 * ```
 */
export function readOptions<T extends object>(value: T | undefined, fn: string): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || kind(value) !== 'object') {
    throw new ValidationError(`${label(fn)} options`, [
      { path: '', message: `expected an object, got ${kind(value)}` },
    ]);
  }
  return readUntrusted(value, `${label(fn)} options`);
}

/**
 * Throws a `validation_error` naming `fn` and `path` unless `value` is a non-null object
 * (arrays excluded) whose traps do not throw when asked whether it is an array.
 * @throws ValidationError
 * @example
 * ```ts
 * expectObject(usage, 'costOf', 'usage');
 * ```
 */
export function expectObject(
  value: unknown,
  fn: string,
  path: string,
): asserts value is Record<string, unknown> {
  let array: boolean;
  try {
    array = Array.isArray(value);
  } catch {
    throw refuse(fn, path, 'could not be read', value);
  }
  if (typeof value !== 'object' || value === null || array)
    throw refuse(fn, path, 'expected an object', value);
}

/**
 * Throws a `validation_error` naming `fn` and `path` unless `value` is a string.
 * @throws ValidationError
 * @example
 * ```ts
 * expectString(text, 'redact', 'text');
 * ```
 */
export function expectString(value: unknown, fn: string, path: string): asserts value is string {
  if (typeof value !== 'string') throw refuse(fn, path, 'expected a string', value);
}

/**
 * Throws a `validation_error` naming `fn` and `path` unless `value` is a finite number, so that no
 * NaN or infinity gets into arithmetic.
 * @throws ValidationError
 * @example
 * ```ts
 * expectNumber(chars, 'estimateCharTokens', 'chars');
 * ```
 */
export function expectNumber(value: unknown, fn: string, path: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw refuse(fn, path, 'expected a finite number', value);
  }
}

/**
 * Throws a `validation_error` naming `fn` and `path` unless `value` is a function.
 * @throws ValidationError
 * @example
 * ```ts
 * expectFunction(callback, 'runWithContext', 'fn');
 * ```
 */
export function expectFunction(
  value: unknown,
  fn: string,
  path: string,
): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw refuse(fn, path, 'expected a function', value);
}

/**
 * What an exported function throws when its unchecked body failed on a caller's value: a
 * Forge1Error as it is, anything else (a TypeError on a wrong shape, a getter's or Proxy trap's own
 * error, a stack overflow on a cycle) as a `validation_error` naming `fn`, with the original as
 * `cause`. Use it in a `catch` around the body, after the cheap checks at entry.
 * @example
 * ```ts
 * try { return contentTextUnchecked(content); } catch (thrown) { throw asInputError(thrown, 'contentText'); }
 * ```
 */
export function asInputError(thrown: unknown, fn: string): Forge1Error {
  if (Forge1Error.is(thrown)) return thrown;
  let name: string = typeof thrown;
  try {
    if (thrown instanceof Error) name = label(thrown.name);
  } catch {
    // A thrown Proxy: its type is all that can be said.
  }
  return new ValidationError(
    `${label(fn)} arguments`,
    [{ path: '', message: `could not be read (${name})` }],
    {
      cause: thrown,
    },
  );
}

/**
 * A `validation_error` for argument `path` of the function or method `fn`, with `message` as the
 * issue: what a checked method throws when a field it reads is of the wrong kind.
 * @example
 * ```ts
 * if (typeof request.shared !== 'boolean') throw refuseArgument('store.take', 'shared', 'expected a boolean');
 * ```
 */
export function refuseArgument(fn: string, path: string, message: string): ValidationError {
  return new ValidationError(`${label(fn)} arguments`, [{ path: label(path), message: label(message) }]);
}

/**
 * Runs `body`, the part of an exported method that reads a caller's values, and throws what it
 * throws as {@link asInputError} makes it: a Forge1Error as it is, anything else (a getter's or
 * Proxy trap's own error, a TypeError on a wrong shape) as a `validation_error` naming `fn`.
 * @throws ValidationError when `body` is not a function, or as above.
 * @example
 * ```ts
 * transformChunk: (chunk, scope) => readingCaller('redactor.transformChunk', () => restoreChunk(chunk, scope.state)),
 * ```
 */
export function readingCaller<T>(fn: string, body: () => T): T {
  expectFunction(body, label(fn), 'body');
  try {
    return body();
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}

// For the checked helpers (checked-exports.ts, checked-content.ts); not exported from the package.

/** The error for a value that is neither a string nor an array of content parts. */
export const notParts = (fn: string, path: string, message = 'expected a string or an array of parts') =>
  new ValidationError(`${fn} arguments`, [{ path, message }]);

/** Throws when a helper computed a number that is not finite from a caller's value. */
export function finite(value: number, fn: string): number {
  if (!Number.isFinite(value)) {
    throw new ValidationError(`${fn} arguments`, [{ path: '', message: 'gave a number that is not finite' }]);
  }
  return value;
}
