import { createArithmeticVerifier } from './arithmetic-verifier.js';
import { createFenceVerifier } from './fence-verifier.js';
import { createFinalAnswerVerifier } from './final-answer-verifier.js';
import { createJsonSchemaVerifier } from './json-schema-verifier.js';
import { createSecondGuessingVerifier } from './second-guessing-verifier.js';
import { createTruncationVerifier } from './truncation-verifier.js';
import type { Verifier } from './verifier.js';

/**
 * The judge's deterministic verifiers, in the order they run: truncation, json-schema, fences,
 * arithmetic, final-answer, second-guessing.
 */
export function createBuiltInVerifiers(): Verifier[] {
  return [
    createTruncationVerifier(),
    createJsonSchemaVerifier(),
    createFenceVerifier(),
    createArithmeticVerifier(),
    createFinalAnswerVerifier(),
    createSecondGuessingVerifier(),
  ];
}
