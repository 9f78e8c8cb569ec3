import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors.js';

/** Turns zod issues into field-level {@link ValidationIssue}s. */
export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/**
 * Parses `value` with `schema`, throwing a {@link ValidationError} naming every bad field.
 * @throws ValidationError
 */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(what, toIssues(result.error));
  return result.data;
}
