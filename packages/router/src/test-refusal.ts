import { ValidationError } from '@forge1/core';

/**
 * For tests: the field paths of the validation_error `call` throws, or what else it threw (or
 * `'no throw'`), so that an assertion on the paths fails on any other outcome.
 */
export function refusal(call: () => unknown): string[] | unknown {
  try {
    call();
  } catch (thrown) {
    if (ValidationError.is(thrown)) return thrown.issues.map((issue) => issue.path);
    return thrown;
  }
  return 'no throw';
}

/** For tests: the field paths of the validation_error `promise` rejects with, or what else it did. */
export async function rejection(promise: Promise<unknown>): Promise<string[] | unknown> {
  try {
    await promise;
  } catch (thrown) {
    if (ValidationError.is(thrown)) return thrown.issues.map((issue) => issue.path);
    return thrown;
  }
  return 'no rejection';
}
