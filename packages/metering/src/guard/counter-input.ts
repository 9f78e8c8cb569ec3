import { asInputError, expectNumber, expectObject, expectString, ValidationError } from '@forge1/core';

// Checks at the entry of the counter stores' methods. The guard calls them with entries it built,
// so they are typeof checks over a handful of entries, no copies; a host calling a store directly
// gets a validation_error naming the method and the field instead of a TypeError, its own
// getter's error or a NaN in a budget counter.

const notArray = (fn: string, path: string) =>
  new ValidationError(`${fn} arguments`, [{ path, message: 'expected an array' }]);

/**
 * Throws a `validation_error` unless `entries` is an array of objects with a string `key`, a
 * finite `amount` (or `value`), a finite `expiresAt` and, with `limited`, a `limit` that is
 * finite or absent (null).
 */
export function checkCounterEntries(
  entries: readonly unknown[],
  fn: string,
  amount: 'amount' | 'value',
  limited = false,
): void {
  try {
    if (!Array.isArray(entries)) throw notArray(fn, 'entries');
    for (const entry of entries) {
      expectObject(entry, fn, 'entries[]');
      expectString(entry.key, fn, 'entries[].key');
      expectNumber(entry[amount], fn, `entries[].${amount}`);
      expectNumber(entry.expiresAt, fn, 'entries[].expiresAt');
      if (limited && entry.limit !== null && entry.limit !== undefined)
        expectNumber(entry.limit, fn, 'entries[].limit');
    }
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}

/** Throws a `validation_error` unless `keys` is an array of strings. */
export function checkCounterKeys(keys: readonly string[], fn: string): void {
  try {
    if (!Array.isArray(keys)) throw notArray(fn, 'keys');
    for (const key of keys) expectString(key, fn, 'keys[]');
  } catch (thrown) {
    throw asInputError(thrown, fn);
  }
}

/** Throws a `validation_error` unless `key` is a string and `expiresAt` a finite number. */
export function checkMarker(key: string, expiresAt: number, fn: string): void {
  expectString(key, fn, 'key');
  expectNumber(expiresAt, fn, 'expiresAt');
}
