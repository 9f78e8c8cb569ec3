import { readOptions } from '@forge1/core';
import { mayStateEquality, statedEqualities } from './equalities.js';
import { normaliseArithmetic, proseOf } from './prose.js';
import type { Verifier } from './verifier.js';

const show = (value: number) => String(Math.round(value * 1e6) / 1e6);

/**
 * Recomputes the arithmetic an answer states ("12 × 7 = 84", "so 3 + 4 = 8") and flags each
 * equality that does not hold.
 */
export function createArithmeticVerifier(input: { penalty?: number } = {}): Verifier {
  const options = readOptions(input, 'createArithmeticVerifier');
  const penalty = options.penalty ?? 0.6;
  return {
    name: 'arithmetic',
    verify({ result }) {
      if (!mayStateEquality(result.text)) return undefined;
      const wrong = statedEqualities(normaliseArithmetic(proseOf(result.text))).filter((eq) => !eq.holds);
      if (wrong.length === 0) return undefined;
      const first = wrong[0]!;
      const more = wrong.length > 1 ? ` and ${wrong.length - 1} more` : '';
      return { penalty, reason: `${first.left} = ${first.right} is wrong (${show(first.actual)})${more}` };
    },
  };
}
