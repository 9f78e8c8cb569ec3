import type { WordStarts } from './ngram-hasher.js';

// Bits per ASCII code: word (letter or digit), digit, number separator, question mark, line break.
const wordBit = 1;
const digitBit = 2;
const separatorBit = 4;
const questionBit = 8;
const lineBit = 16;
const classes: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    const digit = code >= 48 && code <= 57;
    const letter = (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
    table[code] =
      (digit || letter ? wordBit : 0) |
      (digit ? digitBit : 0) |
      (code === 46 || code === 44 ? separatorBit : 0) |
      (code === 63 ? questionBit : 0) |
      (code === 10 ? lineBit : 0);
  }
  return table;
})();

/**
 * The word starts of `text` (an ASCII letter or digit after anything else) and its question
 * marks, lines and numbers, into `words`: what the keyword pass reads when no n-gram sketch is
 * made (a sketch records the same, see `sketchWithWords`). Without branches on the characters:
 * word boundaries come too irregularly for a branch predictor.
 */
export function scanWordStarts(text: string, words: WordStarts): void {
  let questions = 0;
  let lines = 1;
  let figures = 0;
  // 1 while inside a word, and while inside a number (its digits and the dots and commas between).
  let inWord = 0;
  let inNumber = 0;
  let count = 0;
  const length = text.length;
  if (words.starts.length < (length >>> 1) + 2) words.starts = new Int32Array(length + 1024);
  const { starts } = words;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    const bits = code < 128 ? classes[code]! : 0;
    const word = bits & wordBit;
    const digit = (bits >>> 1) & 1;
    starts[count] = index;
    count += word & (inWord ^ 1);
    inWord = word;
    figures += digit & (inNumber ^ 1);
    inNumber = digit | (inNumber & (bits >>> 2));
    questions += (bits >>> 3) & 1;
    lines += bits >>> 4;
  }
  words.count = count;
  words.questions = questions;
  words.lines = lines;
  words.figures = figures;
}
