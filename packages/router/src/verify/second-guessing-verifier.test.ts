import { describe, expect, it } from 'vitest';
import { createSecondGuessingVerifier } from './second-guessing-verifier.js';
import { verifierInput } from './test-input.js';
import type { VerifierFinding } from './verifier.js';

const verifier = createSecondGuessingVerifier();
const problem = 'Find the smallest integer n such that 3n + 7 exceeds 100.';
const check = (text: string, question = problem) =>
  verifier.verify(verifierInput(text, question)) as VerifierFinding | undefined;

describe('second-guessing verifier', () => {
  it('flags a worked answer that doubts its own reasoning, more for each phrase', () => {
    const one = check('3n + 7 > 100 gives n > 31. However, n = 31 gives 100. So n = 32.');
    expect(one).toEqual({ penalty: 0.2, reason: 'the answer doubts its own reasoning ("however")' });
    const two = check("Assume n = 30. That doesn't work, so let's try 31. Then n = 32.");
    expect(two?.penalty).toBe(0.5);
    expect(two?.reason).toContain('"assume"');
  });

  it('leaves a straight answer alone, and prose questions alone whatever the answer says', () => {
    expect(check('3n + 7 > 100 gives 3n > 93, so n > 31 and the answer is 32.')).toBeUndefined();
    expect(
      check('However you deploy it, keep backups.', 'Explain how to deploy Postgres safely.'),
    ).toBeUndefined();
  });

  it('matches whole words only', () => {
    expect(check('The assumed value 3 × 31 + 7 = 100 is not above 100, so n = 32.')).toBeUndefined();
  });
});
