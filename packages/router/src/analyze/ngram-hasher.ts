// Hashed words and character 4-grams and the character counts the difficulty model reads, in one
// tight loop over the lower-cased text that the analysis makes anyway. Buffers are reused between
// requests: read a sketch (or copy its slots) before the next request is analysed.

/** Slots of the hashed feature space (a power of two). */
export const hashedDimensions = 1 << 15;
const mask = hashedDimensions - 1;
// Multiplicative hashing keeps the top 15 bits of the product.
const shift = 32 - 15;

/** Seed of the n-gram hashes; a model is trained for one seed, so it travels with the weights. */
export const defaultHashSeed = 0x5f3759df;

/** Character counts of the text, made by the same pass as the n-grams. */
export interface TextProfile {
  characters: number;
  words: number;
  /** Distinct hashed word unigrams (of the sketched start and end of a long text). */
  distinctWords: number;
  /** Words of the sketched start and end of a long text (all words of a shorter one). */
  sketchedWords: number;
  digits: number;
  /** `$ \ ^ = + < > | ∑ ∫ √ ≤ ≥ π`. */
  mathsSymbols: number;
  /** `{ } ( ) [ ] ; _ #`. */
  codeSymbols: number;
  /** Lines starting with an option such as `a)`, `(b)`, `c.` or `d:` (letters a to e). */
  optionLines: number;
  /** Lines starting with `-`, `*`, `•` or a number followed by `.` or `)`. */
  listLines: number;
  nonAscii: number;
}

/** The hashed n-grams of a text: distinct slots, each present once. */
export interface NgramSketch {
  /** Distinct slots in `0 … hashedDimensions - 1`, first `count` entries valid. */
  slots: Uint32Array;
  count: number;
  profile: TextProfile;
}

const fmix = (value: number) => {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

// Character kinds: 1 letter, 2 digit, 3 space, 4 maths symbol, 5 code symbol, 0 other punctuation.
const kinds: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95) table[code] = 1;
    else if (code >= 48 && code <= 57) table[code] = 2;
    else if (code === 32 || (code >= 9 && code <= 13)) table[code] = 3;
    else if ('$\\^=+<>|'.includes(String.fromCharCode(code))) table[code] = 4;
    else if ('{}()[];#'.includes(String.fromCharCode(code))) table[code] = 5;
  }
  return table;
})();
const mathsExtras = new Set([0x2211, 0x222b, 0x221a, 0x2264, 0x2265, 0x3c0]);

/**
 * Characters of a long text's start whose n-grams are hashed (to the end of the word there); the
 * text's profile and word starts still cover every character. Measured on the routing data: the
 * middle of a long prompt adds no routing quality (`npm run eval:routing`), and hashing it cost
 * most of a 2 KB prompt's sketch.
 */
export const sketchHead = 512;
/** Characters of a long text's end whose n-grams are hashed (from the end of the word there). */
export const sketchTail = 256;

/** The first index from `index` whose character is not part of a word (as the sketch reads words). */
function wordEndFrom(lower: string, index: number): number {
  for (; index < lower.length; index++) {
    const code = lower.charCodeAt(index);
    const kind =
      code < 128 ? kinds[code]! : mathsExtras.has(code) ? 4 : code === 0x2022 || code === 0x3000 ? 3 : 1;
    if (kind !== 1 && kind !== 2) return index;
  }
  return lower.length;
}

/**
 * What the keyword pass reads of a text, made by the same pass as a sketch (see
 * {@link sketchWithWords}): the word starts (an ASCII letter or digit after anything else) and a
 * few character counts. Buffers grow as needed and are reused.
 */
export interface WordStarts {
  /** Indices of the word starts, first `count` valid. */
  starts: Int32Array;
  count: number;
  /** Question marks. */
  questions: number;
  /** Line breaks plus one. */
  lines: number;
  /** Numbers: runs of digits, with the dots and commas between them. */
  figures: number;
}

/** Empty word-start buffers. */
export const createWordStarts = (): WordStarts => ({
  starts: new Int32Array(1024),
  count: 0,
  questions: 0,
  lines: 1,
  figures: 0,
});

let sketchInto: (hasher: NgramHasher, lower: string, words: WordStarts | undefined) => NgramSketch;

/**
 * Hashes words and character 4-grams (digits folded to `0`, spaces collapsed) of a lower-cased
 * text into a fixed-size space, and counts its profile, in one tight loop. Of a long text only the
 * first {@link sketchHead} and last {@link sketchTail} characters are hashed; its profile counts
 * every character.
 */
export class NgramHasher {
  private readonly seed: number;
  // One bit per slot: the slots of the current text.
  private readonly seen = new Uint32Array(hashedDimensions >>> 5);
  private slots = new Uint32Array(1024);

  static {
    sketchInto = (hasher, lower, words) => hasher.read(lower, words);
  }

  constructor(seed: number = defaultHashSeed) {
    this.seed = seed >>> 0;
  }

  /** The sketch of `lower` (valid until the next call). */
  sketch(lower: string): NgramSketch {
    return this.read(lower, undefined);
  }

  // Counters live in locals, not in the profile object, and a run of lower-case letters past a
  // line's start has its own inner loop: the fewer values the loop keeps, the fewer it spills.
  private read(lower: string, words: WordStarts | undefined): NgramSketch {
    const length = lower.length;
    // Every character adds at most two slots (its 4-gram and, at a word's end, the word's).
    if (this.slots.length < 2 * length + 4) this.slots = new Uint32Array(2 * length + 1024);
    this.seen.fill(0);
    const { seen, slots, seed } = this;
    let starts = words?.starts;
    if (words !== undefined && words.starts.length < (length >>> 1) + 2)
      starts = words.starts = new Int32Array(length + 1024);
    let wordStarts = 0;
    let previousAlnum = false;
    let inNumber = false;
    // Words the sketched parts end (the n-gram loop) and words of the middle, counted at their starts.
    let wordsCount = 0;
    let middleWords = 0;
    let distinctWords = 0;
    let digits = 0;
    let mathsSymbols = 0;
    let codeSymbols = 0;
    let optionLines = 0;
    let listLines = 0;
    let nonAscii = 0;
    let count = 0;
    let window = 0;
    let previousSpace = true;
    let word = 0;
    let wordLength = 0;
    let grams = 0;
    // Whether the previous character was part of a word (kept by the middle's loop only).
    let previousWordCode = false;
    // Position on the line after leading spaces (3 = past the start), and its first two characters.
    let column = 0;
    let first = 0;
    let second = 0;
    // Past the sketched head, up to the tail, a cheaper loop only counts (see `sketchHead`).
    let middleFrom = -1;
    let middleEnd = -1;
    if (length > sketchHead + sketchTail) {
      const headEnd = wordEndFrom(lower, sketchHead);
      const tailStart = wordEndFrom(lower, length - sketchTail);
      if (tailStart > headEnd + 1) {
        middleFrom = headEnd + 1;
        middleEnd = tailStart;
      }
    }
    // One step past the end reads a space, which ends the last word.
    for (let index = 0; index <= length; index++) {
      if (index === middleFrom) {
        for (; index < middleEnd; index++) {
          let code = lower.charCodeAt(index);
          if (code >= 97 && code <= 122 && column >= 3) {
            if (!previousAlnum && starts !== undefined) starts[wordStarts++] = index;
            if (!previousWordCode) middleWords++;
            while (index + 1 < middleEnd) {
              code = lower.charCodeAt(index + 1);
              if (code < 97 || code > 122) break;
              index++;
            }
            previousAlnum = true;
            previousWordCode = true;
            inNumber = false;
            continue;
          }
          // A space past a line's start ends a word and counts nothing.
          if (code === 32 && column >= 3) {
            previousAlnum = false;
            previousWordCode = false;
            inNumber = false;
            continue;
          }
          if (starts !== undefined) {
            const digit = code >= 48 && code <= 57;
            const alnum = digit || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
            if (alnum && !previousAlnum) starts[wordStarts++] = index;
            if (digit) {
              if (!inNumber) words!.figures++;
              inNumber = true;
            } else if (code !== 46 && code !== 44) inNumber = false;
            if (code === 63) words!.questions++;
            else if (code === 10) words!.lines++;
            previousAlnum = alnum;
          }
          let kind: number;
          if (code < 128) kind = kinds[code]!;
          else {
            nonAscii++;
            kind = mathsExtras.has(code) ? 4 : code === 0x2022 || code === 0x3000 ? 3 : 1;
          }
          if (column < 3 && !(column === 0 && kind === 3)) {
            if (column === 0) {
              first = code;
              if (code === 45 || code === 42 || code === 0x2022) listLines++;
            } else if (column === 1) {
              second = code;
              const closes = code === 41 || code === 46 || code === 58;
              if (first >= 97 && first <= 101 && closes) optionLines++;
              else if (first >= 48 && first <= 57 && closes) listLines++;
            } else if (first === 40 && second >= 97 && second <= 101 && code === 41) optionLines++;
            column++;
          }
          if (code === 10) column = 0;
          const wordCode = kind === 1 || kind === 2;
          if (wordCode && !previousWordCode) middleWords++;
          previousWordCode = wordCode;
          if (kind === 2) digits++;
          else if (kind === 4) mathsSymbols++;
          else if (kind === 5) codeSymbols++;
        }
        // The tail's n-grams start afresh, at a character that is not part of a word.
        window = 0;
        grams = 0;
        previousSpace = true;
      }
      let code = index < length ? lower.charCodeAt(index) : 32;
      // Most characters are lower-case letters past a line's start and the text's first 4-gram:
      // one more character of the word and of the 4-grams, nothing to count. Only `wordLength > 0`
      // and `grams >= 4` are ever read, so the run need not count them.
      if (code >= 97 && code <= 122 && column >= 3 && grams >= 3) {
        if (!previousAlnum && starts !== undefined) starts[wordStarts++] = index;
        wordLength = 1;
        grams = 4;
        for (;;) {
          word = Math.imul(word ^ code, 16777619);
          window = (window << 8) | code;
          const slot = Math.imul(window ^ seed, 0x9e3779b1) >>> shift;
          if (((seen[slot >>> 5]! >>> (slot & 31)) & 1) === 0) {
            seen[slot >>> 5]! |= 1 << (slot & 31);
            slots[count++] = slot;
          }
          if (index + 1 >= length) break;
          const next = lower.charCodeAt(index + 1);
          if (next < 97 || next > 122) break;
          code = next;
          index++;
        }
        previousSpace = false;
        previousAlnum = true;
        inNumber = false;
        continue;
      }
      if (starts !== undefined && index < length) {
        // The keyword pass's view: ASCII letters and digits make words; dots and commas join figures.
        const digit = code >= 48 && code <= 57;
        const alnum = digit || (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
        if (alnum && !previousAlnum) starts[wordStarts++] = index;
        if (digit) {
          if (!inNumber) words!.figures++;
          inNumber = true;
        } else if (code !== 46 && code !== 44) inNumber = false;
        if (code === 63) words!.questions++;
        else if (code === 10) words!.lines++;
        previousAlnum = alnum;
      }
      let kind: number;
      if (code < 128) kind = kinds[code]!;
      else {
        nonAscii++;
        kind = mathsExtras.has(code) ? 4 : code === 0x2022 || code === 0x3000 ? 3 : 1;
      }
      if (column < 3 && !(column === 0 && kind === 3)) {
        if (column === 0) {
          first = code;
          if (code === 45 || code === 42 || code === 0x2022) listLines++;
        } else if (column === 1) {
          second = code;
          const closes = code === 41 || code === 46 || code === 58;
          if (first >= 97 && first <= 101 && closes) optionLines++;
          else if (first >= 48 && first <= 57 && closes) listLines++;
        } else if (first === 40 && second >= 97 && second <= 101 && code === 41) optionLines++;
        column++;
      }
      if (code === 10) column = 0;
      let folded = code;
      if (kind === 1 || kind === 2) {
        if (kind === 2) {
          digits++;
          folded = 48;
        }
        word = Math.imul(word ^ folded, 16777619);
        wordLength++;
      } else {
        if (kind === 3) {
          if (previousSpace) continue;
          folded = 32;
        } else if (kind === 4) mathsSymbols++;
        else if (kind === 5) codeSymbols++;
        if (wordLength > 0) {
          const hashed = fmix(word ^ seed);
          wordsCount++;
          const unigram = hashed & mask;
          if (((seen[unigram >>> 5]! >>> (unigram & 31)) & 1) === 0) {
            seen[unigram >>> 5]! |= 1 << (unigram & 31);
            slots[count++] = unigram;
            distinctWords++;
          }
          word = 0;
          wordLength = 0;
        }
      }
      previousSpace = kind === 3;
      window = (window << 8) | (folded & 0xff);
      // The 4-gram ending here; Math.imul reads the window as a signed 32-bit word either way.
      if (++grams >= 4) {
        const slot = Math.imul(window ^ seed, 0x9e3779b1) >>> shift;
        if (((seen[slot >>> 5]! >>> (slot & 31)) & 1) === 0) {
          seen[slot >>> 5]! |= 1 << (slot & 31);
          slots[count++] = slot;
        }
      }
    }
    if (words !== undefined) words.count = wordStarts;
    const profile: TextProfile = {
      characters: length,
      words: wordsCount + middleWords,
      distinctWords,
      sketchedWords: wordsCount,
      digits,
      mathsSymbols,
      codeSymbols,
      optionLines,
      listLines,
      nonAscii,
    };
    return { slots, count, profile };
  }
}

/**
 * The sketch of `lower`, and into `words` the word starts and counts the keyword pass reads
 * (reset first), from the same pass over the text.
 */
export function sketchWithWords(hasher: NgramHasher, lower: string, words: WordStarts): NgramSketch {
  words.count = 0;
  words.questions = 0;
  words.lines = 1;
  words.figures = 0;
  return sketchInto(hasher, lower, words);
}
