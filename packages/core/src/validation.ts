import type { z } from 'zod';
import { Forge1Error, ValidationError, type ValidationIssue } from './errors.js';
import { readUntrusted } from './untrusted.js';

/** Turns zod issues into field-level {@link ValidationIssue}s. */
export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/**
 * Parses `value` with `schema`, throwing a {@link ValidationError} naming every bad field. The value
 * is first read once into a snapshot ({@link readUntrusted}), so throwing getters, Proxies and
 * cyclic values are validation errors too, and whatever a schema check itself throws on a strange
 * value becomes one instead of escaping as a TypeError.
 * @throws ValidationError
 */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const snapshot = readUntrusted(value, what);
  let result: z.ZodSafeParseResult<z.output<T>>;
  try {
    result = schema.safeParse(snapshot) as z.ZodSafeParseResult<z.output<T>>;
  } catch (thrown) {
    if (Forge1Error.is(thrown)) throw thrown;
    throw new ValidationError(what, [
      {
        path: '',
        message: `could not be validated (${thrown instanceof Error ? thrown.name : typeof thrown})`,
      },
    ]);
  }
  if (!result.success) throw new ValidationError(what, toIssues(result.error));
  return result.data;
}
