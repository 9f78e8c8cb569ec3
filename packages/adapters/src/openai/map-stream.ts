import type { ChatChunk, FinishReason, ToolCall, Usage } from '@forge1/core';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { toFinishReason, toUsage } from './map-response.js';

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Turns chat completion chunks into core chunks: text deltas, tool-call deltas, and each
 * tool call whole once the choice finishes. Usage comes from the last chunk
 * (`stream_options.include_usage`).
 */
export class OpenAIStreamMapper {
  finishReason: FinishReason | undefined;
  usage: Usage | undefined;
  model: string | undefined;
  id: string | undefined;
  private readonly calls = new Map<number, PendingCall>();

  /** Core chunks for one provider chunk. */
  map(chunk: ChatCompletionChunk): ChatChunk[] {
    const out: ChatChunk[] = [];
    this.model ||= chunk.model;
    this.id ||= chunk.id;
    if (chunk.usage) this.usage = toUsage(chunk.usage);
    const choice = chunk.choices[0];
    if (!choice) return out;
    const delta = choice.delta;
    if (delta?.content) out.push({ type: 'text-delta', text: delta.content });
    for (const part of delta?.tool_calls ?? []) {
      let pending = this.calls.get(part.index);
      if (!pending) {
        pending = { id: '', name: '', arguments: '' };
        this.calls.set(part.index, pending);
      }
      if (part.id) pending.id = part.id;
      if (part.function?.name) pending.name += part.function.name;
      const argumentsDelta = part.function?.arguments ?? '';
      pending.arguments += argumentsDelta;
      out.push({
        type: 'tool-call-delta',
        index: part.index,
        argumentsDelta,
        ...(part.id ? { id: part.id } : {}),
        ...(part.function?.name ? { name: part.function.name } : {}),
      });
    }
    if (choice.finish_reason) {
      this.finishReason = toFinishReason(choice.finish_reason);
      out.push(...this.completeCalls());
    }
    return out;
  }

  /** Tool calls still open (a stream that ended without a finish reason). */
  completeCalls(): ChatChunk[] {
    const done = [...this.calls.entries()].sort(([a], [b]) => a - b);
    this.calls.clear();
    return done.map(([, call]): ChatChunk => {
      const toolCall: ToolCall = { id: call.id, name: call.name, arguments: call.arguments };
      return { type: 'tool-call', toolCall };
    });
  }
}
