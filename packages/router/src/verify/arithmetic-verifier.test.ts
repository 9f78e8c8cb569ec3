import type { ChatResult, RouteDecision } from '@forge1/core';
import { describe, expect, it } from 'vitest';
import { createArithmeticVerifier } from './arithmetic-verifier.js';
import { mayStateEquality, statedEqualities } from './equalities.js';
import { evaluateExpression } from './expression.js';
import { normaliseArithmetic, proseOf } from './prose.js';
import type { VerifierFinding } from './verifier.js';

const verifier = createArithmeticVerifier();
const check = (text: string) =>
  verifier.verify({
    result: { text, toolCalls: [], finishReason: 'stop' } as unknown as ChatResult,
    request: { messages: [{ role: 'user', content: 'q' }] },
    decision: {} as RouteDecision,
    question: 'q',
  }) as VerifierFinding | undefined;
const equalities = (text: string) => statedEqualities(normaliseArithmetic(proseOf(text)));

describe('arithmetic verifier', () => {
  it('evaluates plain arithmetic and nothing else', () => {
    expect(evaluateExpression('3 + 4 * 2')).toBe(11);
    expect(evaluateExpression('(3 + 4) * 2')).toBe(14);
    expect(evaluateExpression('2^10 - 24')).toBe(1000);
    expect(evaluateExpression('-3 + 5')).toBe(2);
    expect(evaluateExpression('50%')).toBe(0.5);
    expect(evaluateExpression('2023 3 + 4')).toBeUndefined();
    expect(evaluateExpression('x + 1')).toBeUndefined();
    expect(evaluateExpression('1 / 0')).toBeUndefined();
  });

  it('finds a wrong sum in a confident answer', () => {
    const finding = check('Tom has 3 apples and buys 4 more, so 3 + 4 = 8. He has 8 apples.');
    expect(finding?.reason).toContain('3 + 4 = 8 is wrong (7)');
  });

  it('accepts correct arithmetic in the notations answers use', () => {
    for (const text of [
      '12 × 7 = 84, then 84 + 16 = 100.',
      'Each box costs $12.50, so 4 x 12.50 = $50.00 in total.',
      'The area is 1,250 * 4 = 5,000 square feet.',
      'So \\frac{3}{4} \\times 100 = 75\\%.',
      '3/4 = 75% of the budget',
      'Total = 3 \\cdot 4 = 12 = 6 + 6.',
      'Average speed: 150 / 4 = 37.5 km/h, about 37.5.',
      'One third is 1/3 = 0.33 of the cake.',
      'Running total: 3 * 4 = 12 + 1 = 13.',
    ]) {
      expect(check(text), text).toBeUndefined();
    }
  });

  it('leaves algebra, function values, code and prose alone', () => {
    for (const text of [
      'Solve 2x + 3 = 7, so x = 2.',
      'We have f(3) = 9 and g(2) = 5.',
      'Let n = 5; then n^2 = 25.',
      '```python\ntotal = 3 + 4\nprint(total == 8)\n```',
      'Use `a = b + 1` to update it.',
      'In 2023 3 + 4 = 7 happened.',
      '- 3 + 4 = 7 is the first step.',
      'The ratio a:b = 2:3 holds.',
      'x^2 = 9 gives x = 3 or x = -3.',
      '\\sqrt{16} = 4',
    ]) {
      expect(check(text), text).toBeUndefined();
    }
  });

  it('reads the string values of a JSON answer', () => {
    const text = '```json\n{"reasoning": "We need 6 \\\\times 7 = 43 boxes.", "answer": "43"}\n```';
    expect(check(text)?.reason).toContain('6 * 7 = 43 is wrong (42)');
  });

  it('checks each link of a chain and counts every wrong one', () => {
    const found = equalities('5 + 5 = 10 = 2 * 6, and 9 - 3 = 5.');
    expect(found.map((eq) => eq.holds)).toEqual([true, false, false]);
    expect(check('5 + 5 = 10 = 2 * 6, and 9 - 3 = 5.')?.reason).toContain('and 1 more');
  });

  it('allows rounding the written decimals imply, and approximations', () => {
    expect(check('22 / 7 = 3.14 roughly')).toBeUndefined();
    expect(check('22 / 7 = 3.2')).toBeDefined();
    expect(check('100 / 3 ≈ 33')).toBeUndefined();
    expect(check('12 * 7 = 85')).toBeDefined();
  });

  it('skips answers with no equals sign, and still reads one a JSON escape writes', () => {
    expect(mayStateEquality('The capital of France is Paris, 2 km from here.')).toBe(false);
    expect(check('{"working": "3 + 4 \\u003d 8"}')?.reason).toContain('3 + 4 = 8 is wrong (7)');
    expect(check('So 100 / 4 ≈ 30.')).toBeDefined();
  });
});
