import { extractSignals } from '@forge1/router';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsCode, containsMaths, isSpaceCode } from './text-scanners.js';

// The regular expressions the scanners replace: the scanners must agree with them on any text.
const codePattern =
  /```|\b(?:function|def|class|return|const|let|var|import|func|public|private|SELECT|INSERT|UPDATE|DELETE)\b[^\n]*[({=;:]|=>|\)\s*\{|;\s*$/m;
const mathsPattern =
  /[∑∫√≤≥π]|\\frac|\b\d+(?:\.\d+)?\s*[*/^]\s*\d|\b[a-z]\s*[=<>]\s*\d|\b(?:equation|integral|derivative|recurrence|theorem|prove|probability|variance|regression|O\(n)/i;

const pieces = [
  ...'abxnOoDSE019_.,;:=<>*/^(){}`\\-\'" \t\n\r\u00a0\u2028∑πİK'.split(''),
  'Π',
  '\u212a',
  'İ',
  'ϖ',
  '```',
  '=>',
  ') {',
  'function',
  'def ',
  'SELECT',
  'select',
  'Return',
  'const x',
  'import',
  '\\frac',
  '\\FRAC',
  'equation',
  'Prove',
  'o(n',
  'O(N',
  '3.5',
  '12 * 4',
  'x = 2',
  'N>3',
  'theorem',
  'variance',
];
const texts = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((parts) => parts.join(''));

describe('text scanners', () => {
  it('detect code exactly where the code pattern does', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(containsCode(text)).toBe(codePattern.test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('detect maths exactly where the maths pattern does', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(containsMaths(text)).toBe(mathsPattern.test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('give the same answers inside the analysis, which shares one pass over the words', () => {
    fc.assert(
      fc.property(fc.array(texts, { maxLength: 3 }), (parts) => {
        const text = parts.join(' what is a for example ');
        const signals = extractSignals({ messages: [{ role: 'user', content: text }] });
        expect(signals.code).toBe(codePattern.test(text));
        expect(signals.maths).toBe(mathsPattern.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('agree with \\s on every UTF-16 code unit', () => {
    for (let code = 0; code < 0x10000; code++) {
      expect(isSpaceCode(code)).toBe(/\s/.test(String.fromCharCode(code)));
    }
  });
});
