import type { ChatChunk } from '@forge1/core';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { BaseStreamMapper } from '../provider-utils/stream-mapper.js';
import { toFinishReason, toUsage } from './map-response.js';

/**
 * Turns chat completion chunks into core chunks: text deltas, tool-call deltas, and each
 * tool call whole once the choice finishes. Usage comes from the chunk that carries it (the
 * last one, with `stream_options.include_usage`), also as a `usage` chunk.
 */
export class OpenAIStreamMapper extends BaseStreamMapper<ChatCompletionChunk> {
  readonly missing = 'a finish reason';

  map(chunk: ChatCompletionChunk): ChatChunk[] {
    const out: ChatChunk[] = [];
    this.state.model ||= chunk.model;
    this.state.id ||= chunk.id;
    if (chunk.usage) {
      this.state.usage = toUsage(chunk.usage);
      out.push({ type: 'usage', usage: this.state.usage });
    }
    const choice = chunk.choices[0];
    if (!choice) return out;
    const delta = choice.delta;
    if (delta?.content) out.push({ type: 'text-delta', text: delta.content });
    for (const part of delta?.tool_calls ?? []) {
      out.push(
        this.calls.delta(part.index, {
          ...(part.id ? { id: part.id } : {}),
          ...(part.function?.name ? { name: part.function.name } : {}),
          argumentsDelta: part.function?.arguments ?? '',
        }),
      );
    }
    if (choice.finish_reason) {
      this.state.finishReason = toFinishReason(choice.finish_reason);
      out.push(...this.calls.completeAll());
    }
    return out;
  }
}
