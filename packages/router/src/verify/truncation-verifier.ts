import { readOptions } from '@forge1/core';
import type { Verifier } from './verifier.js';

/** Flags an answer the provider cut at the length limit (`finishReason: 'length'`). */
export function createTruncationVerifier(input: { penalty?: number } = {}): Verifier {
  const options = readOptions(input, 'createTruncationVerifier');
  const penalty = options.penalty ?? 0.5;
  return {
    name: 'truncation',
    verify: ({ result }) =>
      result.finishReason === 'length' ? { penalty, reason: 'cut off at the length limit' } : undefined,
  };
}
