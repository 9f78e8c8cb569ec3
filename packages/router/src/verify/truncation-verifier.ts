import type { Verifier } from './verifier.js';

/** Flags an answer the provider cut at the length limit (`finishReason: 'length'`). */
export function createTruncationVerifier(options: { penalty?: number } = {}): Verifier {
  const penalty = options.penalty ?? 0.5;
  return {
    name: 'truncation',
    verify: ({ result }) =>
      result.finishReason === 'length' ? { penalty, reason: 'cut off at the length limit' } : undefined,
  };
}
