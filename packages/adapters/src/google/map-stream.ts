import type { ChatChunk } from '@forge1/core';
import type { GenerateContentResponse } from '@google/genai';
import { BaseStreamMapper } from '../provider-utils/stream-mapper.js';
import { contentOf, finishOf, toUsage } from './map-response.js';

/**
 * Turns `generateContentStream` chunks into core chunks. Each chunk's `usageMetadata` is
 * cumulative, so the last one wins, and each yields a `usage` chunk (the prompt's tokens from
 * the first); a function call arrives whole and yields a delta and a
 * complete call. The finish reason is core's, read from the chunk that carries one (STOP after
 * a call is `tool-calls`; a blocked prompt is `content-filter`).
 */
export class GoogleStreamMapper extends BaseStreamMapper<GenerateContentResponse, never> {
  readonly missing = 'a finishReason';

  map(response: GenerateContentResponse): ChatChunk[] {
    const out: ChatChunk[] = [];
    if (response.usageMetadata) {
      this.state.usage = toUsage(response.usageMetadata);
      out.push({ type: 'usage', usage: this.state.usage });
    }
    this.state.model ??= response.modelVersion;
    this.state.id ??= response.responseId;
    let next = this.calls.count;
    const { text, toolCalls } = contentOf(response, () => `call_${next++}`);
    if (text) out.push({ type: 'text-delta', text });
    for (const toolCall of toolCalls) out.push(...this.calls.whole(toolCall));
    const blocked = !response.candidates?.length && Boolean(response.promptFeedback?.blockReason);
    if (blocked || response.candidates?.[0]?.finishReason) {
      this.state.finishReason = finishOf(response, this.calls.count > 0);
    }
    return out;
  }
}
