import {
  createArithmeticVerifier,
  createBuiltInVerifiers,
  createFinalAnswerVerifier,
  createJsonSchemaVerifier,
  createLlmJudge,
  createSecondGuessingVerifier,
  createTruncationVerifier,
} from '@forge1/router';
import { describe, expect, it } from 'vitest';
import { refusal, rejection } from './test-refusal.js';
import { verifierInput } from './verify/test-input.js';

const cheap = { provider: 'openai', model: 'gpt-5-nano' };

describe('the public verifier factories check their options at construction', () => {
  it('name a penalty outside 0..1', () => {
    expect(refusal(() => createArithmeticVerifier({ penalty: 2 }))).toEqual(['penalty']);
    expect(refusal(() => createTruncationVerifier({ penalty: Number.NaN }))).toEqual(['penalty']);
    expect(refusal(() => createJsonSchemaVerifier({ schemaPenalty: -0.1 }))).toEqual(['schemaPenalty']);
    expect(refusal(() => createFinalAnswerVerifier({ recentResults: 0 }))).toEqual(['recentResults']);
    expect(refusal(() => createLlmJudge({ model: cheap, penalty: Infinity }))).toEqual(['penalty']);
  });

  it('name phrases that are not non-empty strings, and options they do not know', () => {
    expect(refusal(() => createSecondGuessingVerifier({ phrases: ['however', ''] }))).toEqual(['phrases.1']);
    expect(refusal(() => createSecondGuessingVerifier({ phrases: 'however' as never }))).toEqual(['phrases']);
    expect(refusal(() => createSecondGuessingVerifier({ maxPenalty: 3 }))).toEqual(['maxPenalty']);
    expect(refusal(() => createFinalAnswerVerifier({ missingPenaly: 0.2 } as never))).toEqual(['']);
    expect(refusal(() => createLlmJudge({ model: { provider: 'openai' } } as never))).toEqual([
      'model.model',
    ]);
    expect(refusal(() => createLlmJudge({ model: cheap, when: 'always' } as never))).toEqual(['when']);
  });

  it('keep the options they accept', () => {
    const verifier = createSecondGuessingVerifier({ phrases: ['on second thought'], penaltyPerPhrase: 0.3 });
    const input = verifierInput(
      '3n + 7 > 100 gives n > 31. On second thought, n = 32.',
      'Find the smallest integer n such that 3n + 7 exceeds 100.',
    );
    expect(verifier.verify(input)).toMatchObject({ penalty: 0.3 });
    expect(createArithmeticVerifier({ penalty: 0.9 }).verify(verifierInput('2 + 2 = 5'))).toMatchObject({
      penalty: 0.9,
    });
  });
});

describe('the public verifiers refuse a malformed input', () => {
  it('with a validation_error naming the field, for every built-in one', () => {
    for (const verifier of createBuiltInVerifiers()) {
      expect(refusal(() => verifier.verify(null as never))).toEqual(['input']);
      const input = verifierInput('fine');
      expect(
        refusal(() => verifier.verify({ ...input, result: { ...input.result, text: 7 } } as never)),
      ).toEqual(['input.result.text']);
    }
  });

  it('by rejecting, for the LLM judge', async () => {
    const judge = createLlmJudge({ model: cheap });
    await expect(rejection(judge.verify(undefined as never) as Promise<unknown>)).resolves.toEqual(['input']);
  });
});
