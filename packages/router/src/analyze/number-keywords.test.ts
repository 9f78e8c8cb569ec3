import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alternatives, keywordFamilies } from './keyword-families.js';
import { familySources } from './keyword-sources.js';
import { numberKeywordsShaped, numberMayStart } from './number-keywords.js';

const all = keywordFamilies.flatMap((family) => alternatives(familySources[family]));
const numberKeywords = all
  .filter((source) => source.startsWith('\\d'))
  .map((source) => new RegExp(source, 'y'));

const pieces = [
  '1',
  '42',
  '3.5',
  '1,000',
  '.',
  ',',
  'k',
  'k ',
  ' ',
  'm',
  'mg',
  ' mg',
  'g',
  '-',
  ':',
  '%',
  'x',
];
const words = [' minutes ago', ' hours ago', ' transactions', ' users', ' mg', 'mg ', ' patients\n'];
const texts = fc
  .array(fc.constantFrom(...pieces, ...words), { maxLength: 24 })
  .map((parts) => parts.join(''));

describe('keywords that start with a number', () => {
  it('all have a shape the cheap test knows, so the keyword pass uses it', () => {
    expect(numberKeywords.length).toBeGreaterThan(0);
    expect(numberKeywordsShaped(all)).toBe(true);
    expect(numberKeywordsShaped([...all, String.raw`\d+%`])).toBe(false);
  });

  it('are never skipped by the cheap test where one matches', () => {
    fc.assert(
      fc.property(texts, (text) => {
        for (let index = 0; index < text.length; index++) {
          const code = text.charCodeAt(index);
          if (code < 48 || code > 57) continue;
          const matches = numberKeywords.some((pattern) => {
            pattern.lastIndex = index;
            return pattern.test(text);
          });
          if (matches) expect(numberMayStart(text, index)).toBe(true);
        }
      }),
    );
  });

  it('are skipped after a date, a time or a unit other than mg', () => {
    for (const text of ['2025-03-11', '14:02:11', '300ms', '4s', 'v1.2.3-beta']) {
      expect(numberMayStart(text, 0)).toBe(text === '300ms');
    }
  });
});
