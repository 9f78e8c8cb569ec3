import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatChunk, FinishReason, Usage } from '@forge1/core';
import { JSON_TOOL_NAME } from './map-request.js';
import { type AnthropicUsageFields, toFinishReason, toUsage } from './map-response.js';

interface OpenBlock {
  /** Index among the tool calls of the message, for `tool-call-delta`. */
  toolIndex: number;
  id: string;
  name: string;
  arguments: string;
  /** The `json_response` tool: its arguments stream out as text. */
  json: boolean;
}

/**
 * Turns Anthropic stream events into core chunks. Usage starts from `message_start` and is
 * overwritten field by field by each `message_delta` (whose counts are cumulative).
 */
export class AnthropicStreamMapper {
  finishReason: FinishReason | undefined;
  model: string | undefined;
  id: string | undefined;
  /** True once `message_stop` arrived. */
  stopped = false;
  private readonly usageFields: AnthropicUsageFields = {};
  private readonly blocks = new Map<number, OpenBlock>();
  private toolCount = 0;

  private readonly jsonTool: boolean;

  constructor(jsonTool: boolean) {
    this.jsonTool = jsonTool;
  }

  get usage(): Usage {
    return toUsage(this.usageFields);
  }

  private mergeUsage(usage: AnthropicUsageFields | null | undefined) {
    if (!usage) return;
    for (const key of [
      'input_tokens',
      'output_tokens',
      'cache_read_input_tokens',
      'cache_creation_input_tokens',
    ] as const) {
      const value = usage[key];
      if (typeof value === 'number') this.usageFields[key] = value;
    }
  }

  /** Core chunks for one provider event. */
  map(event: RawMessageStreamEvent): ChatChunk[] {
    switch (event.type) {
      case 'message_start':
        this.model = event.message.model;
        this.id = event.message.id;
        this.mergeUsage(event.message.usage);
        return [];
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type !== 'tool_use') return [];
        const json = this.jsonTool && block.name === JSON_TOOL_NAME;
        const open: OpenBlock = {
          toolIndex: json ? -1 : this.toolCount++,
          id: block.id,
          name: block.name,
          arguments: '',
          json,
        };
        this.blocks.set(event.index, open);
        if (json) return [];
        return [
          {
            type: 'tool-call-delta',
            index: open.toolIndex,
            id: block.id,
            name: block.name,
            argumentsDelta: '',
          },
        ];
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') return delta.text ? [{ type: 'text-delta', text: delta.text }] : [];
        if (delta.type !== 'input_json_delta') return [];
        const open = this.blocks.get(event.index);
        if (!open || !delta.partial_json) return [];
        open.arguments += delta.partial_json;
        if (open.json) return [{ type: 'text-delta', text: delta.partial_json }];
        return [{ type: 'tool-call-delta', index: open.toolIndex, argumentsDelta: delta.partial_json }];
      }
      case 'content_block_stop': {
        const open = this.blocks.get(event.index);
        this.blocks.delete(event.index);
        if (!open || open.json) return [];
        return [
          {
            type: 'tool-call',
            toolCall: { id: open.id, name: open.name, arguments: open.arguments || '{}' },
          },
        ];
      }
      case 'message_delta': {
        this.mergeUsage(event.usage);
        if (event.delta.stop_reason) {
          const reason = toFinishReason(event.delta.stop_reason);
          this.finishReason = this.jsonTool && reason === 'tool-calls' ? 'stop' : reason;
        }
        return [];
      }
      case 'message_stop':
        this.stopped = true;
        return [];
      default:
        return [];
    }
  }
}
