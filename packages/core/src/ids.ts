import { ValidationError } from './errors.js';
import { readOptions } from './guards.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const alphabetCodes = Array.from(ALPHABET, (digit) => digit.charCodeAt(0));

/** Options of {@link createUlidFactory}. */
export interface UlidFactoryOptions {
  /** Epoch milliseconds; defaults to `Date.now`. */
  now?: () => number;
  /** Uniform random in [0, 1); defaults to `Math.random`. */
  random?: () => number;
}

/**
 * Makes a monotonic ULID generator: ids sort by time, and ids made in the same
 * millisecond still sort in the order they were made.
 */
export function createUlidFactory(input: UlidFactoryOptions = {}): () => string {
  const options = readOptions(input, 'createUlidFactory');
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  if (typeof now !== 'function' || typeof random !== 'function') {
    throw new ValidationError('createUlidFactory options', [
      { path: typeof now !== 'function' ? 'now' : 'random', message: 'expected a function' },
    ]);
  }
  let lastTime = -1;
  const lastRandom: number[] = new Array(16).fill(0);
  // The id's character codes: the time part (the first ten) is encoded once per millisecond, and
  // the id is made in one piece from them (appending 16 characters makes 16 intermediate strings).
  const codes: number[] = new Array(26).fill(0);
  let encodedTime = -1;
  return () => {
    const time = now();
    if (time <= lastTime) {
      // Same (or earlier) millisecond: increment the random part to stay monotonic;
      // if it overflows, borrow the next millisecond.
      let carried = true;
      for (let i = 15; i >= 0 && carried; i--) {
        const digit = lastRandom[i]!;
        carried = digit === 31;
        lastRandom[i] = carried ? 0 : digit + 1;
      }
      if (carried) lastTime += 1;
    } else {
      lastTime = time;
      for (let i = 0; i < 16; i++) lastRandom[i] = Math.floor(random() * 32) % 32;
    }
    if (encodedTime !== lastTime) {
      encodedTime = lastTime;
      let t = lastTime;
      for (let i = 9; i >= 0; i--) {
        codes[i] = alphabetCodes[t % 32]!;
        t = Math.floor(t / 32);
      }
    }
    for (let i = 0; i < 16; i++) codes[10 + i] = alphabetCodes[lastRandom[i]!]!;
    return String.fromCharCode.apply(null, codes);
  };
}

/** A ULID from the default factory. */
export const ulid: () => string = createUlidFactory();

// Crockford base-32 digits by character code.
const digits = new Uint8Array(128);
for (const digit of ALPHABET) digits[digit.charCodeAt(0)] = 1;

/**
 * True when the value is a well-formed ULID: 26 Crockford base-32 digits, the first 0 to 7.
 * Checked by hand (the same rule as `/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/`): every usage record's id
 * passes here, and a regular expression first flattens the freshly concatenated id.
 */
export const isUlid = (value: string): boolean => {
  if (value.length !== 26) return false;
  const first = value.charCodeAt(0);
  if (first < 48 || first > 55) return false;
  for (let index = 1; index < 26; index++) {
    const code = value.charCodeAt(index);
    if (code > 127 || digits[code] === 0) return false;
  }
  return true;
};
