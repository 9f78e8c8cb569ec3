import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import { describe, expect, it } from 'vitest';
import {
  hasRecordedPayloads,
  mapRecorded,
  recordedEvents,
  recordedJson,
} from '../testing/recorded-payloads.js';
import { toChatResult, toUsage } from './map-response.js';
import { AnthropicStreamMapper } from './map-stream.js';

const context = {
  provider: 'anthropic',
  latencyMs: 1,
  rateLimit: undefined,
  requestId: undefined,
  jsonTool: false,
};
const mapAll = (events: RawMessageStreamEvent[], jsonTool = false) =>
  mapRecorded(new AnthropicStreamMapper(jsonTool), events);

describe.runIf(hasRecordedPayloads())('Anthropic mapping of recorded real payloads', () => {
  it('maps a recorded message: text, stop, usage with zero cache counts', () => {
    const result = toChatResult(recordedJson<Message>('anthropic/anthropic-text.json'), context);
    expect(result).toMatchObject({
      text: expect.stringContaining("I'm doing well"),
      finishReason: 'stop',
      model: 'claude-sonnet-4-5-20250929',
      providerRequestId: 'msg_01VdEjxAP5ahtHKrrRdNBteQ',
    });
    expect(result.usage).toEqual({ inputTokens: 12, outputTokens: 29, cachedInputTokens: 0 });
  });

  it('maps a recorded tool call without arguments to {}', () => {
    const result = toChatResult(recordedJson<Message>('anthropic/anthropic-tool-no-args.json'), context);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toEqual([
      { id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', name: 'updateIssueList', arguments: '{}' },
    ]);
    expect(result.usage).toEqual({ inputTokens: 602, outputTokens: 93, cachedInputTokens: 0 });
  });

  it('maps a recorded stream, pings included, with the cumulative usage of message_delta', () => {
    const events = recordedEvents<RawMessageStreamEvent>('anthropic/anthropic-text.chunks.txt');
    const { chunks, end } = mapAll(events);
    expect(chunks.map((chunk) => chunk.type)).toEqual(['usage', ...Array(6).fill('text-delta'), 'usage']);
    expect(end).toMatchObject({
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 30, cachedInputTokens: 0 },
      id: 'msg_01QC4g3HwBThD4BaNtBckFDJ',
    });
  });

  it('reports the input tokens of message_start as the first chunk, before any text', () => {
    const { chunks } = mapAll(recordedEvents<RawMessageStreamEvent>('anthropic/anthropic-text.chunks.txt'));
    expect(chunks[0]).toEqual({
      type: 'usage',
      usage: { inputTokens: 12, outputTokens: 1, cachedInputTokens: 0 },
    });
  });

  it('maps a recorded streamed tool call, its ping between argument fragments', () => {
    const events = recordedEvents<RawMessageStreamEvent>('anthropic/anthropic-json-tool.1.chunks.txt');
    const { chunks, end } = mapAll(events);
    const call = chunks.find((chunk) => chunk.type === 'tool-call');
    expect(call?.type === 'tool-call' && call.toolCall.name).toBe('json');
    expect(call?.type === 'tool-call' && typeof JSON.parse(call.toolCall.arguments)).toBe('object');
    expect(end).toMatchObject({ finishReason: 'tool-calls', usage: { inputTokens: 849, outputTokens: 47 } });
  });

  it('reads cache writes and their 1-hour part with the recorded field names', () => {
    const recorded = recordedJson<Message>('anthropic/anthropic-text.json').usage;
    const usage = toUsage({
      ...recorded,
      cache_creation_input_tokens: 2048,
      cache_read_input_tokens: 1024,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 2048 },
    });
    expect(usage).toEqual({
      inputTokens: 12 + 2048 + 1024,
      outputTokens: 29,
      cachedInputTokens: 1024,
      cacheWriteInputTokens: 2048,
      cacheWrite1hInputTokens: 2048,
    });
  });
});
