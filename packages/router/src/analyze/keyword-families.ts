import { type KeywordFamily, keywordFamilies, familySources as sources } from './keyword-sources.js';
import type { WordStarts } from './ngram-hasher.js';
import { numberKeywordsShaped, numberMayStart } from './number-keywords.js';

export { type KeywordFamily, keywordFamilies };

/** Splits `(?:a|b|c)` (optionally followed by `\\b`) into its top-level alternatives. */
export function alternatives(source: string): string[] {
  const trailing = source.endsWith(')\\b') ? '\\b' : '';
  const inner = source.slice(3, source.length - 1 - trailing.length);
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < inner.length; index++) {
    const char = inner[index];
    if (char === '\\') index++;
    else if (char === '[') index = inner.indexOf(']', index);
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      parts.push(inner.slice(start, index) + trailing);
      start = index + 1;
    }
  }
  parts.push(inner.slice(start) + trailing);
  return parts;
}

/** A sticky pattern with one capture group per family it holds. */
interface FamilyPattern {
  pattern: RegExp;
  /** Family (index in {@link keywordFamilies}) of each capture group. */
  families: number[];
  /** The family index when there is only one (`test` and `lastIndex` then suffice, no match array), else -1. */
  single: number;
  /**
   * Bit set of the ASCII fourth characters the keywords can have, when every keyword starts with
   * at least four literal ASCII characters; null otherwise. A cheap test before the pattern.
   */
  fourths: Uint32Array | null;
}

/**
 * The keywords that start with one character. `all` tries every one; when each keyword starts
 * with at least two literal characters, `pairs` and `seconds` hold smaller patterns with only the
 * keywords that can match after the next two (or one) characters.
 */
interface Bucket {
  all: FamilyPattern;
  /**
   * Patterns by second, then third character: keywords with those characters next, and those
   * whose literal start ends at the second character. Null when some keyword starts with fewer
   * than two literal characters.
   */
  pairs: Array<Array<FamilyPattern | undefined> | undefined> | null;
  /** Patterns by second character: keywords whose literal start ends there. */
  seconds: Array<FamilyPattern | undefined> | null;
  /** Keywords whose second character is beyond ASCII, tried when the text's is too. */
  wide: FamilyPattern | undefined;
}

const quantifiers = new Set(['?', '*', '+', '{']);
const literalEscapes = new Set(['.', '$', '?', '(', ')', '-', "'", '/', '\\']);

/** The literal characters an alternative starts with, up to the first class, group or optional part. */
function literalPrefix(alternative: string): string {
  let prefix = '';
  for (let index = 0; index < alternative.length; ) {
    let char = alternative[index]!;
    let width = 1;
    if (char === '\\') {
      const escaped = alternative[index + 1] ?? '';
      if (!literalEscapes.has(escaped)) break;
      char = escaped;
      width = 2;
    } else if (
      char === '[' ||
      char === '(' ||
      char === ')' ||
      char === '|' ||
      char === '.' ||
      quantifiers.has(char)
    )
      break;
    if (quantifiers.has(alternative[index + width] ?? '') || char.charCodeAt(0) >= 128) break;
    prefix += char.toLowerCase();
    index += width;
  }
  return prefix;
}

interface Alternative {
  family: number;
  source: string;
  prefix: string;
}

function familyPattern(list: readonly Alternative[]): FamilyPattern {
  const order = [...new Set(list.map((item) => item.family))].sort((a, b) => a - b);
  const groups = order.map(
    (family) =>
      `(${list
        .filter((item) => item.family === family)
        .map((item) => item.source)
        .join('|')})`,
  );
  const families = order;
  let fourths: Uint32Array | null = new Uint32Array(4);
  for (const item of list) {
    const fourth = item.prefix.charCodeAt(3);
    if (!(fourth < 128)) {
      fourths = null;
      break;
    }
    fourths[fourth >>> 5]! |= 1 << (fourth & 31);
  }
  return {
    pattern: new RegExp(groups.join('|'), 'y'),
    families,
    single: families.length === 1 ? families[0]! : -1,
    fourths,
  };
}

/** A bucket's patterns; `list` is in family order, then in the order of the sources. */
function bucketOf(all: readonly Alternative[]): Bucket {
  // Keywords whose second character is not ASCII (cómo, médecin) are tried after such a character only.
  const isWide = (item: Alternative) => item.prefix.length === 1 && item.source.charCodeAt(1) >= 128;
  const wideItems = all.filter(isWide);
  const wide = wideItems.length > 0 ? familyPattern(wideItems) : undefined;
  const list = all.filter((item) => !isWide(item));
  if (
    list.some(
      (item) =>
        item.prefix.length < 2 || item.prefix.charCodeAt(1) >= 128 || item.prefix.charCodeAt(2) >= 128,
    )
  )
    return { all: familyPattern(all), pairs: null, seconds: null, wide: undefined };
  const pairs = new Array<Array<FamilyPattern | undefined> | undefined>(128).fill(undefined);
  const seconds: Array<FamilyPattern | undefined> = new Array<FamilyPattern | undefined>(128).fill(undefined);
  const shortBySecond = (second: number) =>
    list.filter((item) => item.prefix.length === 2 && item.prefix.charCodeAt(1) === second);
  for (const item of list) {
    const second = item.prefix.charCodeAt(1);
    if (item.prefix.length === 2) {
      seconds[second] ??= familyPattern(shortBySecond(second));
      continue;
    }
    const third = item.prefix.charCodeAt(2);
    const byThird = pairs[second] ?? new Array<FamilyPattern | undefined>(128).fill(undefined);
    pairs[second] = byThird;
    byThird[third] ??= familyPattern(
      list.filter(
        (other) =>
          other.prefix.charCodeAt(1) === second &&
          (other.prefix.length === 2 || other.prefix.charCodeAt(2) === third),
      ),
    );
  }
  return { all: familyPattern(all), pairs, seconds, wide };
}

// Where every keyword that starts with a digit has a known shape, numbers that none can start skip the pattern.
const numbersFiltered: boolean = numberKeywordsShaped(
  keywordFamilies.flatMap((family) => alternatives(sources[family])),
);

/**
 * Sticky regular expressions per first character of a keyword, each with one capture group per
 * family: at a word start only the keywords that can begin with its first characters are tried.
 * Compiled once.
 */
const buckets: Array<Bucket | undefined> = (() => {
  const byChar = new Map<number, Alternative[]>();
  keywordFamilies.forEach((family, familyIndex) => {
    for (const source of alternatives(sources[family])) {
      const digits = source.startsWith('\\d');
      const chars = digits ? '0123456789' : source[0]!.toLowerCase();
      const prefix = digits ? '' : literalPrefix(source);
      for (const char of chars) {
        const code = char.charCodeAt(0);
        byChar.set(code, [...(byChar.get(code) ?? []), { family: familyIndex, source, prefix }]);
      }
    }
  });
  const table: Array<Bucket | undefined> = new Array<Bucket | undefined>(128).fill(undefined);
  for (const [code, list] of byChar) table[code] = bucketOf(list);
  return table;
})();

/**
 * Where a bucket has a keyword to try: `slots` maps `first << 7 | second` (a second code beyond
 * ASCII counts as 0) to a slot (0: none), and `thirds` holds four words of bits per slot, one bit
 * per possible third character. Small enough to stay in cache, so most word starts cost two loads.
 */
const bucketStarts: { slots: Uint16Array; thirds: Uint32Array } = (() => {
  const slots = new Uint16Array(128 * 128);
  const masks: number[] = [0, 0, 0, 0];
  buckets.forEach((bucket, first) => {
    if (bucket === undefined) return;
    for (let second = 0; second < 128; second++) {
      const mask = [0, 0, 0, 0];
      let any = false;
      for (let third = 0; third < 128; third++) {
        const some =
          bucket.pairs === null ||
          bucket.seconds?.[second] !== undefined ||
          bucket.pairs[second]?.[third] !== undefined ||
          (second === 0 && bucket.wide !== undefined);
        if (!some) continue;
        mask[third >>> 5]! |= 1 << (third & 31);
        any = true;
      }
      if (!any) continue;
      slots[(first << 7) | second] = masks.length / 4;
      masks.push(...mask);
    }
  });
  return { slots, thirds: Uint32Array.from(masks) };
})();

/** True when the bucket of the word start's first two characters may hold a keyword with this third. */
function bucketMayStart(key: number, third: number): boolean {
  const slot = bucketStarts.slots[key]!;
  return slot !== 0 && ((bucketStarts.thirds[(slot << 2) | (third >>> 5)]! >>> (third & 31)) & 1) === 1;
}

/** Other words looked for in the same pass over the word starts. */
export interface WordVisitor<T extends { word: string }> {
  /**
   * By `first << 7 | second` of a word's first two character codes (a second code beyond ASCII
   * counts as 0): 0 when no word starts so, else one more than the index in `words` of the words
   * that do.
   */
  starts: Uint8Array;
  /** Four words of bits per `starts` value: the third characters (codes beyond ASCII count as 0) its words have. */
  thirds: Uint32Array;
  /** The same for the fourth characters (every bit when a word has only three). */
  fourths: Uint32Array;
  /** Lists of words (lower-case) sharing their first two characters. */
  words: ReadonlyArray<readonly T[]>;
  /** Called where one of the words starts at a word start. */
  at(index: number, word: T): void;
}

/** The smallest pattern of the bucket that holds every keyword that can match at `index`. */
function patternAt(bucket: Bucket, text: string, index: number): FamilyPattern | undefined {
  if (bucket.pairs === null || bucket.seconds === null) return bucket.all;
  const second = text.charCodeAt(index + 1);
  if (!(second < 128)) return second >= 128 ? bucket.wide : undefined;
  const third = text.charCodeAt(index + 2);
  const byThird = bucket.pairs[second];
  return (byThird !== undefined && third < 128 ? byThird[third] : undefined) ?? bucket.seconds[second];
}

/** False when no keyword of the pattern can have `fourth` as its fourth character. */
function mayStartWith(found: FamilyPattern, fourth: number): boolean {
  if (found.fourths === null) return true;
  if (!(fourth < 128)) return false;
  return ((found.fourths[fourth >>> 5]! >>> (fourth & 31)) & 1) === 1;
}

// Character classes of ASCII codes for the pass: word (letter or digit), digit, number separator.
const wordClass = 1;
const digitClass = 2;
const separatorClass = 4;
const classes: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    const digit = code >= 48 && code <= 57;
    const letter = (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
    table[code] =
      (digit || letter ? wordClass : 0) |
      (digit ? digitClass : 0) |
      (code === 46 || code === 44 ? separatorClass : 0);
  }
  return table;
})();

/**
 * Counts keyword hits per family at the word starts of `text` (lower-case): at each, the sticky
 * pattern of its first characters is tried; a hit skips the word starts inside the matched text.
 * With `sketched`, the word starts are those a sketch recorded into `words` (see
 * `sketchWithWords`); else this pass finds them (an ASCII letter or digit after anything else) and
 * counts question marks, lines and numbers into `words` as a sketch does. `visit` is told where its
 * words start, so that other word checks share the pass. One loop for both, with no call per word
 * start: most begin like no keyword.
 */
export function countKeywordFamilies<T extends { word: string }>(
  text: string,
  counts: Record<KeywordFamily, number>,
  words: WordStarts,
  sketched: boolean,
  visit?: WordVisitor<T>,
): void {
  const length = text.length;
  if (!sketched && words.starts.length < (length >>> 1) + 2) words.starts = new Int32Array(length + 1024);
  const { starts } = words;
  const count = sketched ? words.count : 0;
  let questions = 0;
  let lines = 1;
  let figures = 0;
  let inNumber = false;
  let previousIsWord = false;
  let found = 0;
  let skipUntil = 0;
  // Hits by family index, copied into `counts` at the end: a typed array keeps the loop monomorphic.
  const hits = new Int32Array(keywordFamilies.length);
  for (let at = 0, index = -1; ; ) {
    if (sketched) {
      if (at >= count) break;
      index = starts[at++]!;
    } else {
      // On to the next word start, counting what the characters before it hold.
      let start = -1;
      while (++index < length) {
        const code = text.charCodeAt(index);
        // Most characters are lower-case letters inside a word: nothing to count, no word start.
        if (previousIsWord && code >= 97 && code <= 122) {
          inNumber = false;
          continue;
        }
        const kind = code < 128 ? classes[code]! : 0;
        if (kind === 0) {
          if (code === 63) questions++;
          else if (code === 10) lines++;
          inNumber = false;
          previousIsWord = false;
          continue;
        }
        const digit = (kind & digitClass) !== 0;
        if (digit && !inNumber) figures++;
        inNumber = digit || (inNumber && (kind & separatorClass) !== 0);
        const word = (kind & wordClass) !== 0;
        const starting = word && !previousIsWord;
        previousIsWord = word;
        if (starting) {
          start = index;
          break;
        }
      }
      if (start < 0) break;
      starts[found++] = start;
    }
    if (index < skipUntil) continue;
    const code = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    const key = (code << 7) | (next < 128 ? next : 0);
    const after = text.charCodeAt(index + 2);
    const third = after < 128 ? after : 0;
    if (visit !== undefined) {
      const list = visit.starts[key]!;
      if (list !== 0 && ((visit.thirds[(list << 2) | (third >>> 5)]! >>> (third & 31)) & 1) === 1) {
        const fourthCode = text.charCodeAt(index + 3);
        const fourth = fourthCode < 128 ? fourthCode : 0;
        if (((visit.fourths[(list << 2) | (fourth >>> 5)]! >>> (fourth & 31)) & 1) === 1)
          for (const item of visit.words[list - 1]!)
            if (text.startsWith(item.word, index)) visit.at(index, item);
      }
    }
    const pattern = bucketMayStart(key, third) ? patternAt(buckets[code]!, text, index) : undefined;
    if (pattern === undefined || !mayStartWith(pattern, text.charCodeAt(index + 3))) continue;
    if (code <= 57 && numbersFiltered && !numberMayStart(text, index)) continue;
    pattern.pattern.lastIndex = index;
    if (pattern.single >= 0) {
      if (pattern.pattern.test(text)) {
        hits[pattern.single]! += 1;
        skipUntil = pattern.pattern.lastIndex;
      }
    } else {
      const match = pattern.pattern.exec(text);
      if (match) {
        for (let group = 1; group < match.length; group++) {
          if (match[group] !== undefined) {
            hits[pattern.families[group - 1]!]! += 1;
            break;
          }
        }
        skipUntil = index + match[0].length;
      }
    }
  }
  keywordFamilies.forEach((family, familyIndex) => {
    counts[family] += hits[familyIndex]!;
  });
  if (sketched) return;
  words.count = found;
  words.questions = questions;
  words.lines = lines;
  words.figures = figures;
}
