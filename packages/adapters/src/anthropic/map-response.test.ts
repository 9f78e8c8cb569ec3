import { describe, expect, it } from 'vitest';
import { toUsage } from './map-response.js';

describe('Anthropic toUsage', () => {
  it('adds cache reads and writes to the input, reads as cached and writes as cache writes', () => {
    expect(
      toUsage({
        input_tokens: 12,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 30,
        cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20 },
        output_tokens: 29,
      }),
    ).toEqual({
      inputTokens: 142,
      outputTokens: 29,
      cachedInputTokens: 100,
      cacheWriteInputTokens: 30,
      cacheWrite1hInputTokens: 20,
    });
  });

  it('estimates reasoning tokens from the thinking text, never above the output', () => {
    expect(toUsage({ input_tokens: 5, output_tokens: 100 }, 120).reasoningTokens).toBe(30);
    expect(toUsage({ input_tokens: 5, output_tokens: 10 }, 120).reasoningTokens).toBe(10);
    expect(toUsage({ input_tokens: 5, output_tokens: 10 }).reasoningTokens).toBeUndefined();
  });
});
