import { describe, expect, it } from 'vitest';
import { toUsage } from './map-response.js';

describe('Anthropic toUsage', () => {
  it('adds cache reads and writes to the input and counts only reads as cached', () => {
    expect(
      toUsage({
        input_tokens: 12,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 30,
        output_tokens: 29,
      }),
    ).toEqual({ inputTokens: 142, outputTokens: 29, cachedInputTokens: 100 });
  });
});
