import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import {
  asInputError,
  expectFunction,
  expectNumber,
  expectObject,
  expectString,
  readingCaller,
  readOptions,
  refuseArgument,
} from './guards.js';

const issuesOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(ValidationError.is(error)).toBe(true);
    return { message: (error as ValidationError).message, issues: (error as ValidationError).issues };
  }
  throw new Error('did not throw');
};

describe('readOptions', () => {
  it('reads undefined as no options', () => {
    expect(readOptions(undefined, 'createThing')).toEqual({});
  });

  it('refuses null, primitives and arrays, naming the factory', () => {
    for (const value of [null, 42, 'x', Symbol('s'), [], () => 1]) {
      const { message } = issuesOf(() => readOptions(value as never, 'createThing'));
      expect(message).toContain('createThing options');
    }
  });

  it('turns a throwing getter into a validation error naming the field', () => {
    const options = Object.defineProperty({}, 'clock', {
      enumerable: true,
      get() {
        throw new RangeError('own getter');
      },
    });
    expect(issuesOf(() => readOptions(options, 'createThing')).issues[0]?.path).toBe('clock');
  });
});

describe('the argument checks', () => {
  it('pass values of the right kind', () => {
    expect(() => expectObject({}, 'f', 'a')).not.toThrow();
    expect(() => expectString('', 'f', 'a')).not.toThrow();
    expect(() => expectNumber(-1.5, 'f', 'a')).not.toThrow();
    expect(() => expectFunction(() => 1, 'f', 'a')).not.toThrow();
  });

  it('refuse the wrong kind, naming the function and the field', () => {
    const { message, issues } = issuesOf(() => expectNumber(Number.NaN, 'costOf', 'usage.inputTokens'));
    expect(message).toContain('costOf arguments');
    expect(issues[0]?.path).toBe('usage.inputTokens');
    issuesOf(() => expectObject(null, 'f', 'a'));
    issuesOf(() => expectObject([], 'f', 'a'));
    issuesOf(() => expectString(1, 'f', 'a'));
    issuesOf(() => expectNumber(Number.POSITIVE_INFINITY, 'f', 'a'));
    issuesOf(() => expectFunction({}, 'f', 'a'));
  });

  it('refuse a revoked Proxy without throwing its TypeError', () => {
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    issuesOf(() => expectObject(revocable.proxy, 'f', 'a'));
    issuesOf(() => readOptions(revocable.proxy, 'f'));
  });
});

describe('asInputError', () => {
  it('keeps a Forge1Error and wraps anything else as a validation error with the cause', () => {
    const own = new ValidationError('x', []);
    expect(asInputError(own, 'f')).toBe(own);
    const cause = new TypeError('boom');
    const wrapped = asInputError(cause, 'contentText');
    expect(ValidationError.is(wrapped)).toBe(true);
    expect(wrapped.message).toContain('contentText arguments');
    expect(wrapped.cause).toBe(cause);
  });
});

describe('readingCaller and refuseArgument', () => {
  it("runs the body, keeps a Forge1Error and turns a caller's own error into a validation error", () => {
    expect(readingCaller('f', () => 42)).toBe(42);
    const own = refuseArgument('store.take', 'shared', 'expected a boolean');
    expect(own.message).toContain('store.take arguments');
    expect(own.issues).toEqual([{ path: 'shared', message: 'expected a boolean' }]);
    expect(() =>
      readingCaller('f', () => {
        throw own;
      }),
    ).toThrow(own);
    const getter = {
      get field(): never {
        throw new RangeError('from the caller');
      },
    };
    expect(() => readingCaller('redactor.flush', () => getter.field)).toThrow(
      expect.objectContaining({
        code: 'validation_error',
        message: expect.stringContaining('redactor.flush'),
      }),
    );
    expect(() => readingCaller('f', 42 as never)).toThrow(
      expect.objectContaining({ code: 'validation_error' }),
    );
  });
});
