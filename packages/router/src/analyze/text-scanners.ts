// Scanners for the code and maths signals: cheap regular expressions that fail fast, and `indexOf`
// for keywords, instead of one expression with many alternatives tried at every position.
// `text-scanners.test.ts` checks them against the regular expressions they replace.

const isDigitCode = (code: number) => code >= 48 && code <= 57;
const isWordCode = (code: number) =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;

/** JavaScript's `\s`. */
export function isSpaceCode(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** True when `word` (lower-case ASCII) starts at `index`, compared case-insensitively. */
function startsWithFolded(text: string, index: number, word: string): boolean {
  if (index + word.length > text.length) return false;
  for (let offset = 0; offset < word.length; offset++) {
    const code = text.charCodeAt(index + offset);
    const folded = code >= 65 && code <= 90 ? code + 32 : code;
    if (folded !== word.charCodeAt(offset)) return false;
  }
  return true;
}

/** Words indexed by their first two character codes (`first << 7 | second`, ASCII only). */
interface WordTable {
  words: Array<readonly string[] | undefined>;
}

function wordTable(words: readonly string[]): WordTable {
  const table: WordTable = { words: new Array<readonly string[] | undefined>(128 * 128).fill(undefined) };
  for (const word of words) {
    const key = (word.charCodeAt(0) << 7) | word.charCodeAt(1);
    table.words[key] = [...(table.words[key] ?? []), word];
  }
  return table;
}

/**
 * True when `accept` agrees at a word start of `haystack` whose first two characters begin one of
 * the table's words.
 */
function findAtWordStart(haystack: string, table: WordTable, accept: (index: number) => boolean): boolean {
  let previousIsWord = false;
  const last = haystack.length - 1;
  for (let index = 0; index < last; index++) {
    const code = haystack.charCodeAt(index);
    const word = isWordCode(code);
    if (word && !previousIsWord) {
      const second = haystack.charCodeAt(index + 1);
      if (second < 128) {
        const candidates = table.words[(code << 7) | second];
        if (candidates !== undefined) {
          if (accept(index)) return true;
        }
      }
    }
    previousIsWord = word;
  }
  return false;
}

const mathsSymbols = /[∑∫√≤≥π]|\\frac/i;
const operators = ['*', '/', '^'];

/**
 * Arithmetic such as `12 * 4` or `2.5^2`, read outwards from each operator (`*`, `/` or `^`): a
 * digit after it (spaces allowed), and before it (spaces allowed) a run of digits that starts at
 * a word boundary. A run after a dot starts at one, so the optional fraction needs no check.
 */
function containsArithmetic(text: string): boolean {
  for (const operator of operators) {
    for (let at = text.indexOf(operator); at >= 0; at = text.indexOf(operator, at + 1)) {
      if (!isDigitCode(text.charCodeAt(afterSpaces(text, at + 1)))) continue;
      let before = at - 1;
      while (before >= 0 && isSpaceCode(text.charCodeAt(before))) before--;
      if (before < 0 || !isDigitCode(text.charCodeAt(before))) continue;
      while (before > 0 && isDigitCode(text.charCodeAt(before - 1))) before--;
      if (before === 0 || !isWordCode(text.charCodeAt(before - 1))) return true;
    }
  }
  return false;
}
const comparison = /\b[a-z]\s*[=<>]\s*\d/i;

/** `[=<>]\s*\d`, found with `indexOf`: most texts have few of these characters or none. */
function containsComparisonTail(text: string): boolean {
  for (const sign of comparisonSigns) {
    for (let at = text.indexOf(sign); at >= 0; at = text.indexOf(sign, at + 1)) {
      if (isDigitCode(text.charCodeAt(afterSpaces(text, at + 1)))) return true;
    }
  }
  return false;
}
const comparisonSigns = ['=', '<', '>'];
const mathsWords = [
  'equation',
  'integral',
  'derivative',
  'recurrence',
  'theorem',
  'prove',
  'probability',
  'variance',
  'regression',
  'o(n',
];
const mathsTable = wordTable(mathsWords);

/** A word that {@link countKeywordFamilies}' pass looks for besides the keywords. */
export interface CheckedWord {
  /** Lower-case. */
  word: string;
  kind: 'maths' | 'code';
}

/**
 * The maths and code words grouped by their lower-case first two characters, in the shape of
 * {@link WordVisitor}, for a pass over the words of the lower-cased text.
 */
export const checkedWords: {
  starts: Uint8Array;
  thirds: Uint32Array;
  fourths: Uint32Array;
  words: readonly (readonly CheckedWord[])[];
} = {
  starts: new Uint8Array(128 * 128),
  thirds: new Uint32Array(0),
  fourths: new Uint32Array(0),
  words: [],
};
const mathsVocabulary =
  /\b(?:equation|integral|derivative|recurrence|theorem|prove|probability|variance|regression|O\(n)/i;
/** `\\b` before `index`, for a word character at `index`. */
export const isWordStart = (text: string, index: number): boolean =>
  index === 0 || !isWordCode(text.charCodeAt(index - 1));

/** True when a maths word starts at word start `index` of `lower` (`text` lower-cased, same length). */
export function mathsWordAt(text: string, lower: string, index: number): boolean {
  const second = lower.charCodeAt(index + 1);
  if (!(second < 128)) return false;
  const candidates = mathsTable.words[(lower.charCodeAt(index) << 7) | second];
  if (candidates === undefined || !isWordStart(text, index)) return false;
  for (const word of candidates) if (startsWithFolded(text, index, word)) return true;
  return false;
}

/**
 * Maths: symbols, LaTeX fractions, arithmetic, one-letter equations, or maths vocabulary.
 * `vocabulary` says whether a maths word was already found by a pass over the words (see
 * {@link mathsWordAt}); when it is undefined, this function looks for one itself.
 */
export function containsMaths(text: string, vocabulary?: boolean): boolean {
  if (mathsSymbols.test(text)) return true;
  if (containsArithmetic(text)) return true;
  if (containsComparisonTail(text) && comparison.test(text)) return true;
  if (vocabulary !== undefined) return vocabulary;
  const lower = text.toLowerCase();
  // Word starts line up unless lower-casing changed a length or made a letter (K, the Kelvin sign).
  if (lower.length !== text.length || text.includes('\u212a')) return mathsVocabulary.test(text);
  return findAtWordStart(lower, mathsTable, (index) => mathsWordAt(text, lower, index));
}

const isLineEnd = (code: number) => code === 10 || code === 13 || code === 0x2028 || code === 0x2029;

/** The index after the spaces (JavaScript's `\s`) that start at `from`. */
function afterSpaces(text: string, from: number): number {
  let index = from;
  while (index < text.length && isSpaceCode(text.charCodeAt(index))) index++;
  return index;
}

/** `/```|=>|\)\s*\{|;\s*$/m`, found with `indexOf`. */
function containsCodeShape(text: string): boolean {
  if (text.includes('```') || text.includes('=>')) return true;
  for (let at = text.indexOf(')'); at >= 0; at = text.indexOf(')', at + 1))
    if (text.charCodeAt(afterSpaces(text, at + 1)) === 123) return true;
  // `;` then spaces up to the end of a line (a line end is itself a space) or of the text.
  for (let at = text.indexOf(';'); at >= 0; at = text.indexOf(';', at + 1)) {
    const end = afterSpaces(text, at + 1);
    if (end === text.length) return true;
    for (let index = at + 1; index < end; index++) if (isLineEnd(text.charCodeAt(index))) return true;
  }
  return false;
}

const codeTable = wordTable([
  'function',
  'def',
  'class',
  'return',
  'const',
  'let',
  'var',
  'import',
  'func',
  'public',
  'private',
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
]);

{
  const groups = new Map<number, CheckedWord[]>();
  const all: CheckedWord[] = [
    ...mathsWords.map((word) => ({ word, kind: 'maths' as const })),
    ...codeTable.words
      .flat()
      .flatMap((word) => (word === undefined ? [] : [{ word: word.toLowerCase(), kind: 'code' as const }])),
  ];
  for (const item of all) {
    const key = ((item.word.charCodeAt(0) & 127) << 7) | (item.word.charCodeAt(1) & 127);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const words: CheckedWord[][] = [];
  const thirds = new Uint32Array((groups.size + 1) * 4);
  const fourths = new Uint32Array((groups.size + 1) * 4);
  for (const [key, group] of groups) {
    words.push(group);
    checkedWords.starts[key] = words.length;
    for (const item of group) {
      const third = item.word.charCodeAt(2) & 127;
      thirds[(words.length << 2) | (third >>> 5)]! |= 1 << (third & 31);
      // A three-letter word may be followed by anything.
      if (item.word.length < 4) fourths.fill(0xffffffff, words.length << 2, (words.length << 2) + 4);
      else {
        const fourth = item.word.charCodeAt(3) & 127;
        fourths[(words.length << 2) | (fourth >>> 5)]! |= 1 << (fourth & 31);
      }
    }
  }
  checkedWords.words = words;
  checkedWords.thirds = thirds;
  checkedWords.fourths = fourths;
}

/** The keyword at `start` is a whole word, and `(`, `{`, `=`, `;` or `:` follows later on its line. */
function codeStatementAt(text: string, start: number, word: string): boolean {
  const after = start + word.length;
  if (after < text.length && isWordCode(text.charCodeAt(after))) return false;
  for (let index = after; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) return false;
    if (code === 40 || code === 123 || code === 61 || code === 59 || code === 58) return true;
  }
  return false;
}

/** True when a code keyword starts at word start `index` and a statement character follows on its line. */
export function codeWordAt(text: string, index: number): boolean {
  const second = text.charCodeAt(index + 1);
  if (!(second < 128)) return false;
  const candidates = codeTable.words[(text.charCodeAt(index) << 7) | second];
  if (candidates === undefined || !isWordStart(text, index)) return false;
  for (const word of candidates)
    if (text.startsWith(word, index) && codeStatementAt(text, index, word)) return true;
  return false;
}

/**
 * Code: a fence, an arrow, `) {`, a line ending in `;`, or a statement keyword. `statement` says
 * whether a pass over the words already found a keyword statement (see {@link codeWordAt}).
 */
export function containsCode(text: string, statement?: boolean): boolean {
  if (containsCodeShape(text)) return true;
  if (statement !== undefined) return statement;
  return findAtWordStart(text, codeTable, (index) => codeWordAt(text, index));
}
