import { readOptions } from '@forge1/core';
import { asksForNumber, optionLetters } from './final-answer.js';
import { proseOf } from './prose.js';
import type { Verifier } from './verifier.js';

/**
 * Phrases by which a worked answer doubts or abandons its own reasoning. Matched case-insensitively
 * on word boundaries.
 * @default the list below
 */
export const defaultSecondGuessingPhrases: readonly string[] = Object.freeze([
  'however',
  'but wait',
  'wait,',
  're-evaluate',
  'reevaluate',
  'recheck',
  're-check',
  're-examine',
  'reconsider',
  'mistake',
  'made an error',
  "doesn't work",
  'does not work',
  "doesn't satisfy",
  'does not satisfy',
  "doesn't match",
  'does not match',
  'contradiction',
  'contradicts',
  'not possible',
  'impossible',
  'assume',
  'assuming',
  "let's try",
  'try another',
  'try again',
]);

/** Options of {@link createSecondGuessingVerifier}. */
export interface SecondGuessingOptions {
  phrases?: readonly string[];
  /** Confidence lost per distinct phrase. @default 0.2 */
  penaltyPerPhrase?: number;
  /** Most confidence lost in all. @default 0.5 */
  maxPenalty?: number;
}

const escapeRegExp = (phrase: string) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * On questions with one right answer (a number, an option), flags worked answers that doubt or
 * abandon their own reasoning ("however", "this doesn't work", "let's try another", "assume"):
 * confident-looking answers that struggled are wrong more often than the rest.
 */
export function createSecondGuessingVerifier(input: SecondGuessingOptions = {}): Verifier {
  const options = readOptions(input, 'createSecondGuessingVerifier');
  const phrases = (options.phrases ?? defaultSecondGuessingPhrases).map((phrase) => ({
    phrase,
    pattern: new RegExp(`(?<![\\w'])${escapeRegExp(phrase.toLowerCase())}(?![\\w'])`),
  }));
  const each = options.penaltyPerPhrase ?? 0.2;
  const most = options.maxPenalty ?? 0.5;
  return {
    name: 'second-guessing',
    verify({ result, question }) {
      if (!asksForNumber(question) && optionLetters(question).length === 0) return undefined;
      const text = proseOf(result.text).toLowerCase();
      const found = phrases.filter(({ pattern }) => pattern.test(text)).map(({ phrase }) => phrase);
      if (found.length === 0) return undefined;
      return {
        penalty: Math.min(most, each * found.length),
        reason: `the answer doubts its own reasoning ("${found.slice(0, 3).join('", "')}")`,
      };
    },
  };
}
