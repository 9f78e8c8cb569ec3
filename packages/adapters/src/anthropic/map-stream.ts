import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatChunk } from '@forge1/core';
import { BaseStreamMapper, type StreamEnd, streamEnd } from '../provider-utils/stream-mapper.js';
import { JSON_TOOL_NAME } from './map-request.js';
import { type AnthropicUsageFields, toFinishReason, toUsage } from './map-response.js';

const USAGE_KEYS = [
  'input_tokens',
  'output_tokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
] as const;

/**
 * Turns Anthropic stream events into core chunks. Usage starts from `message_start` and is
 * overwritten field by field by each `message_delta` (whose counts are cumulative); both yield
 * a `usage` chunk, so the input tokens are known from the first event. With the
 * JSON mode `tool`, the `json_response` tool's arguments stream out as text.
 */
export class AnthropicStreamMapper extends BaseStreamMapper<RawMessageStreamEvent> {
  readonly missing = 'message_stop';
  private stopped = false;
  private readonly usageFields: AnthropicUsageFields = {};
  /** Content blocks of the `json_response` tool. */
  private readonly jsonBlocks = new Set<number>();
  private readonly jsonTool: boolean;

  constructor(jsonTool: boolean) {
    super('{}');
    this.jsonTool = jsonTool;
  }

  private thinkingChars = 0;

  private mergeUsage(usage: AnthropicUsageFields | null | undefined) {
    if (!usage) return;
    for (const key of USAGE_KEYS) {
      const value = usage[key];
      if (typeof value === 'number') this.usageFields[key] = value;
    }
    if (usage.cache_creation) this.usageFields.cache_creation = usage.cache_creation;
  }

  private usageChunk(): ChatChunk {
    return { type: 'usage', usage: toUsage(this.usageFields, this.thinkingChars) };
  }

  map(event: RawMessageStreamEvent): ChatChunk[] {
    switch (event.type) {
      case 'message_start':
        this.state.model = event.message.model;
        this.state.id = event.message.id;
        this.mergeUsage(event.message.usage);
        // The input is known from the first event: reported at once, for a stream cut short.
        return [this.usageChunk()];
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type !== 'tool_use') return [];
        if (this.jsonTool && block.name === JSON_TOOL_NAME) {
          this.jsonBlocks.add(event.index);
          return [];
        }
        return [this.calls.delta(event.index, { id: block.id, name: block.name })];
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') return delta.text ? [{ type: 'text-delta', text: delta.text }] : [];
        if (delta.type === 'thinking_delta') this.thinkingChars += delta.thinking.length;
        if (delta.type !== 'input_json_delta' || !delta.partial_json) return [];
        if (this.jsonBlocks.has(event.index)) return [{ type: 'text-delta', text: delta.partial_json }];
        return [this.calls.delta(event.index, { argumentsDelta: delta.partial_json })];
      }
      case 'content_block_stop': {
        this.jsonBlocks.delete(event.index);
        const call = this.calls.complete(event.index);
        return call ? [call] : [];
      }
      case 'message_delta': {
        this.mergeUsage(event.usage);
        const usage = this.usageChunk();
        if (event.delta.stop_reason) {
          const reason = toFinishReason(event.delta.stop_reason);
          this.state.finishReason = this.jsonTool && reason === 'tool-calls' ? 'stop' : reason;
        }
        return [usage];
      }
      case 'message_stop':
        this.stopped = true;
        return [];
      default:
        return [];
    }
  }

  override end(): StreamEnd | undefined {
    if (!this.stopped) return undefined;
    return streamEnd({ ...this.state, usage: toUsage(this.usageFields, this.thinkingChars) });
  }
}
