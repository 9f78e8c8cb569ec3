import { ValidationError } from '@forge1/core';
import { isWordCode } from './checks.js';

/** Receives one value a detector found, as a `[start, end)` range of the scanned text. */
export type FoundValue = (start: number, end: number) => void;

/**
 * Finds values of one kind in text. Built-in detectors and host patterns implement it; a
 * host may write its own (for example a dictionary of patient names).
 */
export interface Detector {
  /** The detector's name, the key of its action in a redaction map (`email`, `employeeId`). */
  readonly name: string;
  /** Calls `found` for every value in `text`; ranges may overlap (the scanner keeps one). */
  find(text: string, found: FoundValue): void;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Checks a detector name. @throws ValidationError */
export function checkDetectorName(name: unknown, path: string): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ValidationError('redaction options', [
      { path, message: 'expected a detector name: a letter, then letters, digits, "_" or "-" (at most 64)' },
    ]);
  }
  return name;
}

/** Options of {@link patternDetector}. */
export interface PatternDetectorOptions {
  /** Rejects a match the pattern found (a checksum, a lookup); true keeps it. */
  validate?: (match: string) => boolean;
  /** Only keep matches that are not glued to letters or digits on either side. @default true */
  wholeWords?: boolean;
}

/**
 * A detector from a host's regular expression (the `g` flag is added when missing).
 * @throws ValidationError on a bad name, a pattern that is not a RegExp, or one that matches the empty string.
 * @example
 * ```ts
 * const employeeId = patternDetector('employeeId', /EMP-\d{6}/);
 * ```
 */
export function patternDetector(
  name: string,
  pattern: RegExp,
  options: PatternDetectorOptions = {},
): Detector {
  checkDetectorName(name, 'name');
  if (!(pattern instanceof RegExp)) {
    throw new ValidationError('redaction options', [{ path: name, message: 'expected a RegExp' }]);
  }
  if (pattern.test('')) {
    throw new ValidationError('redaction options', [
      { path: name, message: 'the pattern matches the empty string' },
    ]);
  }
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const global = new RegExp(pattern.source, flags.replace('y', ''));
  const wholeWords = options.wholeWords ?? true;
  const { validate } = options;
  return {
    name,
    find(text, found) {
      global.lastIndex = 0;
      for (let match = global.exec(text); match !== null; match = global.exec(text)) {
        const start = match.index;
        const end = start + match[0].length;
        if (end === start) {
          global.lastIndex++;
          continue;
        }
        if (wholeWords && (isWordCode(text.charCodeAt(start - 1)) || isWordCode(text.charCodeAt(end)))) {
          continue;
        }
        if (validate && !validate(match[0])) continue;
        found(start, end);
      }
    },
  };
}
