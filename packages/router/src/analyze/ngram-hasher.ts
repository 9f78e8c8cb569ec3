// Hashed word and character n-grams, fed one character at a time by the analysis pass, plus the
// character counts the difficulty model reads. Buffers are reused between requests: read a sketch
// (or copy it with `snapshot`) before the next request is analysed.

/** Slots of the hashed feature space (a power of two). */
export const hashedDimensions = 1 << 15;
const mask = hashedDimensions - 1;

/** Seed of the n-gram hashes; a model is trained for one seed, so it travels with the weights. */
export const defaultHashSeed = 0x5f3759df;

/** Character counts of the text, made by the same pass as the n-grams. */
export interface TextProfile {
  characters: number;
  words: number;
  /** Distinct hashed word unigrams. */
  distinctWords: number;
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
 * Accumulates word unigrams and bigrams and character 4-grams (digits folded to `0`, spaces
 * collapsed) into a fixed-size hashed space. Call `start`, then `push` each character code of the
 * lower-cased text in order, then `finish`.
 */
export class NgramHasher {
  readonly #seed: number;
  #stamps = new Uint32Array(hashedDimensions);
  #generation = 0;
  #slots = new Uint32Array(1024);
  #count = 0;
  #window = 0;
  #previousSpace = true;
  #word = 0;
  #wordLength = 0;
  #previousWord = 0;
  #lineColumn = 0;
  #lineFirst = 0;
  #lineSecond = 0;
  #profile: TextProfile = NgramHasher.#emptyProfile();

  constructor(seed: number = defaultHashSeed) {
    this.#seed = seed >>> 0;
  }

  static #emptyProfile(): TextProfile {
    return {
      characters: 0,
      words: 0,
      distinctWords: 0,
      digits: 0,
      mathsSymbols: 0,
      codeSymbols: 0,
      optionLines: 0,
      listLines: 0,
      nonAscii: 0,
    };
  }

  /** Begins a new text. */
  start(): void {
    this.#generation = (this.#generation + 1) >>> 0;
    if (this.#generation === 0) {
      this.#stamps.fill(0);
      this.#generation = 1;
    }
    this.#count = 0;
    this.#window = 0;
    this.#previousSpace = true;
    this.#word = 0;
    this.#wordLength = 0;
    this.#previousWord = 0;
    this.#lineColumn = 0;
    this.#lineFirst = 0;
    this.#lineSecond = 0;
    this.#profile = NgramHasher.#emptyProfile();
  }

  /** Adds one slot once. Returns true when it was new. */
  #add(hash: number): boolean {
    const slot = hash & mask;
    if (this.#stamps[slot] === this.#generation) return false;
    this.#stamps[slot] = this.#generation;
    if (this.#count === this.#slots.length) {
      const grown = new Uint32Array(this.#slots.length * 2);
      grown.set(this.#slots);
      this.#slots = grown;
    }
    this.#slots[this.#count++] = slot;
    return true;
  }

  #endWord(): void {
    if (this.#wordLength === 0) return;
    const word = fmix(this.#word ^ this.#seed);
    this.#profile.words++;
    if (this.#add(word)) this.#profile.distinctWords++;
    if (this.#previousWord !== 0) this.#add(fmix(Math.imul(this.#previousWord, 31) ^ word ^ 0x9e3779b9));
    this.#previousWord = word;
    this.#word = 0;
    this.#wordLength = 0;
  }

  #lineStart(code: number, kind: number): void {
    // Column 0 is the first non-space character of a line.
    if (this.#lineColumn === 0) {
      if (kind === 3) return;
      this.#lineFirst = code;
      this.#lineColumn = 1;
      if (code === 45 || code === 42 || code === 0x2022) this.#profile.listLines++;
      return;
    }
    if (this.#lineColumn === 1) {
      this.#lineSecond = code;
      this.#lineColumn = 2;
      const first = this.#lineFirst;
      const closes = code === 41 || code === 46 || code === 58;
      if (first >= 97 && first <= 101 && closes) this.#profile.optionLines++;
      else if (first >= 48 && first <= 57 && closes) this.#profile.listLines++;
      return;
    }
    if (this.#lineColumn === 2) {
      this.#lineColumn = 3;
      if (this.#lineFirst === 40 && this.#lineSecond >= 97 && this.#lineSecond <= 101 && code === 41)
        this.#profile.optionLines++;
    }
  }

  /** Reads the next character code of the lower-cased text. */
  push(code: number): void {
    const profile = this.#profile;
    profile.characters++;
    let kind: number;
    if (code < 128) kind = kinds[code]!;
    else {
      profile.nonAscii++;
      kind = mathsExtras.has(code) ? 4 : code === 0x2022 || code === 0x3000 ? 3 : 1;
    }
    if (this.#lineColumn < 3) this.#lineStart(code, kind);
    if (code === 10) this.#lineColumn = 0;
    let folded = code;
    if (kind === 2) {
      profile.digits++;
      folded = 48;
    } else if (kind === 3) {
      if (this.#previousSpace) {
        this.#endWord();
        return;
      }
      folded = 32;
    } else if (kind === 4) profile.mathsSymbols++;
    else if (kind === 5) profile.codeSymbols++;
    this.#previousSpace = kind === 3;
    if (kind === 1 || kind === 2) {
      this.#word = Math.imul(this.#word ^ folded, 16777619);
      this.#wordLength++;
    } else this.#endWord();
    this.#window = ((this.#window << 8) | (folded & 0xff)) >>> 0;
    if (profile.characters >= 4) this.#add(fmix(this.#window ^ this.#seed ^ 0x27d4eb2d));
  }

  /** Ends the text and returns its sketch (valid until the next `start`). */
  finish(): NgramSketch {
    this.#endWord();
    return { slots: this.#slots, count: this.#count, profile: this.#profile };
  }
}

/** A copy of a sketch's slots that outlives the hasher's next text. */
export function snapshotSlots(sketch: NgramSketch): Uint32Array {
  return sketch.slots.slice(0, sketch.count);
}
