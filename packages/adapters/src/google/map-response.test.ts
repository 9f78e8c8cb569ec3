import { describe, expect, it } from 'vitest';
import { toFinishReason, toUsage } from './map-response.js';

describe('Gemini mapping', () => {
  it('counts thoughts as output and reads the cached part of the prompt', () => {
    expect(
      toUsage({
        promptTokenCount: 29,
        candidatesTokenCount: 15,
        thoughtsTokenCount: 893,
        cachedContentTokenCount: 10,
      }),
    ).toEqual({ inputTokens: 29, outputTokens: 908, cachedInputTokens: 10, reasoningTokens: 893 });
  });

  it('maps finish reasons', () => {
    expect(toFinishReason('STOP', true)).toBe('tool-calls');
    expect(toFinishReason('MAX_TOKENS', false)).toBe('length');
    expect(toFinishReason('SAFETY', false)).toBe('content-filter');
  });
});
