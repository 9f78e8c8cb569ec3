import { describe, expect, it } from 'vitest';
import { chosenOptions, finalAnswer, optionLetters } from './final-answer.js';
import { createFinalAnswerVerifier } from './final-answer-verifier.js';
import { verifierInput } from './test-input.js';
import type { VerifierFinding } from './verifier.js';

const verifier = createFinalAnswerVerifier();
const check = (text: string, question: string) =>
  verifier.verify(verifierInput(text, question)) as VerifierFinding | undefined;
const word = 'Sam buys 3 packs of 12 eggs and breaks 5. How many eggs are left?';
const choice = 'Which gas do plants absorb?\nA) Oxygen\nB) Carbon dioxide\nC) Nitrogen\nD) Helium';

describe('final-answer verifier', () => {
  it('accepts a word problem whose final number is the last computed result', () => {
    expect(check('3 × 12 = 36 eggs, and 36 - 5 = 31 are left. The answer is 31.', word)).toBeUndefined();
    expect(check('3 × 12 = 36, 36 - 5 = 31.\n#### 31', word)).toBeUndefined();
  });

  it('flags a final number the answer never computed', () => {
    expect(check('3 × 12 = 36, 36 - 5 = 31.\n#### 41', word)?.reason).toBe(
      'final answer 41 is not the last computed result (31)',
    );
  });

  it('flags a word problem answered without any final answer', () => {
    expect(
      check('We multiply the packs by the eggs in each and take away the broken ones.', word)?.reason,
    ).toBe('no final answer');
  });

  it('reads the final answer from boxed text, a JSON answer field or the last line', () => {
    expect(finalAnswer('so \\boxed{\\frac{3}{4}}')?.value).toBe(0.75);
    expect(finalAnswer('```json\n{"reasoning": "…", "answer": "1,200"}\n```')?.value).toBe(1200);
    expect(finalAnswer('Work.\nSo she pays $42.50 in total.')?.value).toBe(42.5);
    expect(finalAnswer('The answer is x^2 + 1')).toMatchObject({ value: undefined, marked: true });
    expect(finalAnswer('So the answer is 36 - 5 = 31.')?.value).toBe(31);
    expect(finalAnswer('```json\n{"answer": "x^2 + 1"}\n```')).toMatchObject({
      value: undefined,
      marked: true,
    });
  });

  it('reads the options of a multiple-choice question, on lines or inline', () => {
    expect(optionLetters(choice)).toEqual(['A', 'B', 'C', 'D']);
    expect(optionLetters('Pick one: (A) red (B) blue (C) green')).toEqual(['A', 'B', 'C']);
    expect(optionLetters('Explain A) and then B.')).toEqual([]);
    expect(optionLetters('Options:\n[A] red\n[B] blue')).toEqual(['A', 'B']);
    expect(optionLetters('Which is right?\na: red\nb: blue')).toEqual([]);
  });

  it('accepts exactly one chosen option, however it is written', () => {
    for (const text of [
      'Plants absorb carbon dioxide. The answer is B.',
      'Answer: (B)',
      'B) Carbon dioxide',
      '**B**',
      'Option A is wrong because plants release oxygen. The correct answer is B.',
    ]) {
      expect(check(text, choice), text).toBeUndefined();
    }
  });

  it('flags a multiple-choice answer that picks no option or several', () => {
    expect(check('Plants take in a gas from the air to make sugar.', choice)?.reason).toBe(
      'no option chosen among A, B, C, D',
    );
    expect(check('The answer is B. On reflection, the answer is C.', choice)?.reason).toBe(
      'several options chosen (B, C)',
    );
    expect(chosenOptions('I choose D', ['A', 'B', 'C', 'D'])).toEqual(['D']);
  });

  it('leaves questions that ask for no number or option alone', () => {
    expect(check('Paris.', 'What is the capital of France?')).toBeUndefined();
  });
});
