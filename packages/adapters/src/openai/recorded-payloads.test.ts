import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import {
  hasRecordedPayloads,
  mapRecorded,
  recordedEvents,
  recordedJson,
} from '../testing/recorded-payloads.js';
import { toChatResult, toUsage } from './map-response.js';
import { OpenAIStreamMapper } from './map-stream.js';

const context = { provider: 'openai', latencyMs: 1, rateLimit: undefined, requestId: undefined };
const mapAll = (events: ChatCompletionChunk[]) => mapRecorded(new OpenAIStreamMapper(), events);

describe.runIf(hasRecordedPayloads())('OpenAI mapping of recorded real payloads', () => {
  it('maps a recorded chat completion: text, stop, usage and id', () => {
    const completion = recordedJson<ChatCompletion>('openai/openai-text.json');
    const result = toChatResult(completion, context);
    expect(result.text).toBe(completion.choices[0]?.message.content);
    expect(result).toMatchObject({
      finishReason: 'stop',
      model: 'gpt-4.1-nano-2025-04-14',
      providerRequestId: 'chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU',
      usage: { inputTokens: 16, outputTokens: 363, cachedInputTokens: 0 },
    });
    expect(result.usage.reasoningTokens).toBeUndefined();
  });

  it('maps a recorded text stream to its deltas and the usage of its last chunk', () => {
    const events = recordedEvents<ChatCompletionChunk>('openai/openai-text.chunks.txt');
    const { chunks, end } = mapAll(events);
    const text = events.map((event) => event.choices[0]?.delta.content ?? '').join('');
    expect(chunks.map((chunk) => (chunk.type === 'text-delta' ? chunk.text : '')).join('')).toBe(text);
    expect(end).toMatchObject({
      finishReason: 'stop',
      usage: { inputTokens: 16, outputTokens: 300, cachedInputTokens: 0 },
      model: 'gpt-4.1-nano-2025-04-14',
    });
  });

  it('reports the usage chunk as it arrives, after the finish reason', () => {
    const { chunks } = mapAll(recordedEvents<ChatCompletionChunk>('openai/openai-text.chunks.txt'));
    expect(chunks.filter((chunk) => chunk.type === 'usage')).toEqual([
      { type: 'usage', usage: { inputTokens: 16, outputTokens: 300, cachedInputTokens: 0 } },
    ]);
    expect(chunks.at(-1)?.type).toBe('usage');
  });

  it('maps a recorded raw SSE tool-call stream to one whole call', () => {
    const events = recordedEvents<ChatCompletionChunk>(
      'openai/2018feb66ae13fcf5333d61b95849decc68d3f63bd38172889367e1afb1e04f7.bin',
    );
    const { chunks, end } = mapAll(events);
    const calls = chunks.filter((chunk) => chunk.type === 'tool-call');
    expect(calls).toHaveLength(1);
    const call = calls[0]?.type === 'tool-call' ? calls[0].toolCall : undefined;
    expect(call?.name).toBe('get_weather');
    expect(call?.id).toBe('call_4XzlGBLtUe9dy3GVNV4jhq7h');
    expect(typeof JSON.parse(call?.arguments ?? '')).toBe('object');
    expect(end?.finishReason).toBe('tool-calls');
    expect(end?.usage.inputTokens).toBeGreaterThan(0);
  });

  it('reads reasoning and cached tokens from the detail fields the recordings carry', () => {
    const completion = recordedJson<ChatCompletion>('openai/openai-text.json');
    const usage = completion.usage;
    if (!usage) throw new Error('the recording has usage');
    const withDetails = {
      ...usage,
      prompt_tokens_details: { ...usage.prompt_tokens_details, cached_tokens: 8 },
      completion_tokens_details: { ...usage.completion_tokens_details, reasoning_tokens: 120 },
    };
    expect(toUsage(withDetails)).toEqual({
      inputTokens: 16,
      outputTokens: 363,
      cachedInputTokens: 8,
      reasoningTokens: 120,
    });
  });
});
