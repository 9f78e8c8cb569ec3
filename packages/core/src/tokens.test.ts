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

describe('token estimates of multimodal requests', () => {
  it('add image and file tokens to the text of a user message', () => {
    const text = estimateTokens({ messages: [{ role: 'user', content: 'x'.repeat(400) }] }).input;
    const withParts = estimateTokens({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'x'.repeat(400) },
            { type: 'image', url: 'https://example.com/a.png' },
            { type: 'file', data: Buffer.alloc(400, 65).toString('base64'), mediaType: 'text/plain' },
          ],
        },
      ],
    }).input;
    expect(withParts).toBe(text + 1600 + 100);
  });

  it('reserve room for a thinking budget when no maxTokens is set', () => {
    const request = {
      messages: [{ role: 'user' as const, content: 'think' }],
      reasoning: { budgetTokens: 4000 },
    };
    expect(estimateTokens(request).output).toBe(4000);
    expect(estimateTokens({ ...request, maxTokens: 6000 }).output).toBe(6000);
  });
});

describe('usage sums', () => {
  it('sum cache-write and reasoning counts when either side has them, and leave them out otherwise', () => {
    const sum = addUsage(
      {
        inputTokens: 10,
        outputTokens: 5,
        cachedInputTokens: 0,
        cacheWriteInputTokens: 4,
        reasoningTokens: 2,
      },
      { inputTokens: 3, outputTokens: 1, cachedInputTokens: 1, cacheWrite1hInputTokens: 0 },
    );
    expect(sum).toEqual({
      inputTokens: 13,
      outputTokens: 6,
      cachedInputTokens: 1,
      cacheWriteInputTokens: 4,
      cacheWrite1hInputTokens: 0,
      reasoningTokens: 2,
    });
    expect(Object.keys(addUsage(emptyUsage(), emptyUsage()))).toEqual([
      'inputTokens',
      'outputTokens',
      'cachedInputTokens',
    ]);
  });
});
