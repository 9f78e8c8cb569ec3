import { describe, expect, it } from 'vitest';
import {
  addUsage,
  defaultOutputReserve,
  emptyUsage,
  estimateCharTokens,
  estimateTokens,
  totalTokens,
} from './index.js';

describe('token estimates', () => {
  it('count about four characters a token plus per-message overhead, and reserve maxTokens', () => {
    const estimate = estimateTokens({
      messages: [{ role: 'user', content: 'x'.repeat(400) }],
      maxTokens: 300,
    });
    expect(estimate).toEqual({ input: 104, output: 300 });
  });

  it('reserve the default output when maxTokens is not set', () => {
    expect(estimateTokens({ messages: [{ role: 'user', content: '' }] }).output).toBe(defaultOutputReserve);
  });

  it('count tool definitions and earlier tool calls', () => {
    const plain = estimateTokens({ messages: [{ role: 'user', content: 'weather?' }] }).input;
    const withTools = estimateTokens({
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        },
      ],
      tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
    }).input;
    expect(withTools).toBeGreaterThan(plain + 10);
  });

  it('estimate streamed characters', () => {
    expect(estimateCharTokens(0)).toBe(0);
    expect(estimateCharTokens(9)).toBe(3);
  });
});

describe('usage arithmetic', () => {
  it('adds usages and totals input plus output', () => {
    const sum = addUsage(
      { inputTokens: 1, outputTokens: 2, cachedInputTokens: 1 },
      { ...emptyUsage(), inputTokens: 5 },
    );
    expect(sum).toEqual({ inputTokens: 6, outputTokens: 2, cachedInputTokens: 1 });
    expect(totalTokens(sum)).toBe(8);
  });
});
