import { readOptions } from '@forge1/core';
import { statedEqualities } from './equalities.js';
import { asksForNumber, chosenOptions, finalAnswer, optionLetters } from './final-answer.js';
import { normaliseArithmetic, proseOf } from './prose.js';
import type { Verifier } from './verifier.js';

/** Options of {@link createFinalAnswerVerifier}. */
export interface FinalAnswerOptions {
  /** Penalty for a missing final answer or option. @default 0.5 */
  missingPenalty?: number;
  /** Penalty for a final number that matches none of the last computed results, or several options. @default 0.4 */
  inconsistentPenalty?: number;
  /** How many of the last computed results the final number may match. @default 3 */
  recentResults?: number;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
const show = (value: number) => String(Math.round(value * 1e6) / 1e6);

/**
 * Checks that an answer ends in an answer: a multiple-choice question gets exactly one option; a
 * question that asks for a number gets a final number, and that number is one of the results the
 * answer last computed.
 */
export function createFinalAnswerVerifier(input: FinalAnswerOptions = {}): Verifier {
  const options = readOptions(input, 'createFinalAnswerVerifier');
  const missing = options.missingPenalty ?? 0.5;
  const inconsistent = options.inconsistentPenalty ?? 0.4;
  const recent = options.recentResults ?? 3;
  return {
    name: 'final-answer',
    verify({ result, question }) {
      const text = result.text;
      if (result.toolCalls.length > 0 || text.trim().length === 0) return undefined;
      const letters = optionLetters(question);
      if (letters.length > 0) {
        const chosen = chosenOptions(proseOf(text), letters);
        if (chosen.length === 0)
          return { penalty: missing, reason: `no option chosen among ${letters.join(', ')}` };
        if (chosen.length > 1)
          return { penalty: inconsistent, reason: `several options chosen (${chosen.join(', ')})` };
        return undefined;
      }
      if (!asksForNumber(question)) return undefined;
      const answer = finalAnswer(text);
      if (answer === undefined) return { penalty: missing, reason: 'no final answer' };
      const final = answer.value;
      if (final === undefined) return undefined;
      const prose = normaliseArithmetic(proseOf(text));
      if (!statedEqualities(prose).some((eq) => eq.holds)) return undefined;
      // Results: every number an "=" ends on ("x = 110" as well as "3 * 4 = 12"), last ones first.
      const results = [...prose.matchAll(/=\s*(-?\d+(?:\.\d+)?)(?![\d.]*\s*[-+*/^(])/g)].map((m) =>
        Number(m[1]),
      );
      if (results.slice(-recent).some((value) => close(value, final))) return undefined;
      return {
        penalty: inconsistent,
        reason: `final answer ${show(final)} is not the last computed result (${show(results.at(-1)!)})`,
      };
    },
  };
}
