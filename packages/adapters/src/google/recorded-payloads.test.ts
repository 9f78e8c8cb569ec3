import type { GenerateContentResponse } from '@google/genai';
import { describe, expect, it } from 'vitest';
import {
  hasRecordedPayloads,
  mapRecorded,
  recordedEvents,
  recordedJson,
} from '../testing/recorded-payloads.js';
import { toChatResult } from './map-response.js';
import { GoogleStreamMapper } from './map-stream.js';

const context = { provider: 'google', model: 'gemini', latencyMs: 1, rateLimit: undefined };
const mapAll = (events: GenerateContentResponse[]) => mapRecorded(new GoogleStreamMapper(), events);

describe.runIf(hasRecordedPayloads())('Gemini mapping of recorded real payloads', () => {
  it('maps a recorded answer: thoughts are output and reported as reasoning', () => {
    const result = toChatResult(recordedJson<GenerateContentResponse>('google/google-text.json'), context);
    expect(result).toMatchObject({
      text: expect.stringContaining('strawberry'),
      finishReason: 'stop',
      model: 'gemini-3-pro-preview',
      providerRequestId: 'Un6LacrVMcjUxs0PmJfWoQc',
    });
    expect(result.usage).toEqual({
      inputTokens: 9,
      outputTokens: 28 + 244,
      cachedInputTokens: 0,
      reasoningTokens: 244,
    });
  });

  it('maps a recorded function call: STOP after a call is tool-calls', () => {
    const result = toChatResult(
      recordedJson<GenerateContentResponse>('google/google-tool-call.json'),
      context,
    );
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([
      { id: 'call_0', name: 'weather', arguments: '{"location":"San Francisco"}' },
    ]);
    expect(result.usage.reasoningTokens).toBe(893);
  });

  it('maps a recorded stream with cumulative usage, the last chunk winning', () => {
    const events = recordedEvents<GenerateContentResponse>('google/google-text.chunks.txt');
    const { chunks, end } = mapAll(events);
    expect(chunks.some((chunk) => chunk.type === 'text-delta')).toBe(true);
    const last = events.at(-1)?.usageMetadata;
    expect(end).toMatchObject({
      finishReason: 'stop',
      usage: {
        inputTokens: last?.promptTokenCount,
        outputTokens: (last?.candidatesTokenCount ?? 0) + (last?.thoughtsTokenCount ?? 0),
        reasoningTokens: last?.thoughtsTokenCount,
      },
    });
  });

  it('reports the usage of every chunk as a usage chunk, the prompt from the first', () => {
    const events = recordedEvents<GenerateContentResponse>('google/google-text.chunks.txt');
    const { chunks } = mapAll(events);
    expect(chunks[0]).toMatchObject({
      type: 'usage',
      usage: { inputTokens: events[0]?.usageMetadata?.promptTokenCount },
    });
    expect(chunks.filter((chunk) => chunk.type === 'usage')).toHaveLength(events.length);
  });

  it('maps a recorded streamed function call whole', () => {
    const { chunks, end } = mapAll(
      recordedEvents<GenerateContentResponse>('google/google-tool-call.chunks.txt'),
    );
    expect(chunks.filter((chunk) => chunk.type === 'tool-call')).toHaveLength(1);
    expect(end?.finishReason).toBe('tool-calls');
  });
});
