import type { GenerateContentResponse } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { GoogleStreamMapper } from './map-stream.js';

const chunk = (value: object) => value as GenerateContentResponse;

describe('GoogleStreamMapper', () => {
  it("ends with core's tool-calls when STOP follows a function call", () => {
    const mapper = new GoogleStreamMapper();
    const out = mapper.map(
      chunk({ candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] } }] }),
    );
    expect(out.map((piece) => piece.type)).toEqual(['tool-call-delta', 'tool-call']);
    expect(out[1]).toEqual({
      type: 'tool-call',
      toolCall: { id: 'call_0', name: 'f', arguments: '{"a":1}' },
    });
    expect(mapper.end()).toBeUndefined();
    mapper.map(chunk({ candidates: [{ content: { parts: [{ text: '' }] }, finishReason: 'STOP' }] }));
    expect(mapper.end()?.finishReason).toBe('tool-calls');
  });

  it('gives each id-less call of one chunk its own id', () => {
    const mapper = new GoogleStreamMapper();
    const parts = [{ functionCall: { name: 'f', args: {} } }, { functionCall: { name: 'g', args: {} } }];
    const out = mapper.map(chunk({ candidates: [{ content: { parts } }] }));
    const ids = out.flatMap((piece) => (piece.type === 'tool-call' ? [piece.toolCall.id] : []));
    expect(ids).toEqual(['call_0', 'call_1']);
  });

  it('ends a blocked prompt as content-filter, with the last usage', () => {
    const mapper = new GoogleStreamMapper();
    mapper.map(
      chunk({
        promptFeedback: { blockReason: 'SAFETY' },
        usageMetadata: { promptTokenCount: 7 },
        responseId: 'r1',
      }),
    );
    expect(mapper.end()).toEqual({
      finishReason: 'content-filter',
      usage: { inputTokens: 7, outputTokens: 0, cachedInputTokens: 0 },
      id: 'r1',
    });
  });
});
