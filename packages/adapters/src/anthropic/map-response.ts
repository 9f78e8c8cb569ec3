import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatResult, FinishReason, RateLimitInfo, ToolCall, Usage } from '@forge1/core';
import { withCounts } from '../provider-utils/usage-counts.js';
import { JSON_TOOL_NAME } from './map-request.js';

/** Maps an Anthropic `stop_reason` to core's {@link FinishReason}. */
export function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}

/** Anthropic usage fields; any may be missing or null in stream events. */
export interface AnthropicUsageFields {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: {
    ephemeral_5m_input_tokens?: number | null;
    ephemeral_1h_input_tokens?: number | null;
  } | null;
}

/**
 * Maps Anthropic usage. Anthropic's `input_tokens` counts only the uncached part, so the
 * input is `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`;
 * `cachedInputTokens` is `cache_read_input_tokens` and `cacheWriteInputTokens` is
 * `cache_creation_input_tokens`, of which `cache_creation.ephemeral_1h_input_tokens` is
 * `cacheWrite1hInputTokens`. Anthropic reports no thinking count: `reasoningTokens` is the
 * thinking text at four characters a token, at most the output, and only when there was some.
 */
export function toUsage(usage: AnthropicUsageFields | null | undefined, thinkingChars = 0): Usage {
  const read = usage?.cache_read_input_tokens ?? 0;
  const written = usage?.cache_creation_input_tokens ?? 0;
  const outputTokens = usage?.output_tokens ?? 0;
  return withCounts(
    { inputTokens: (usage?.input_tokens ?? 0) + read + written, outputTokens, cachedInputTokens: read },
    {
      cacheWriteInputTokens: written,
      cacheWrite1hInputTokens: usage?.cache_creation?.ephemeral_1h_input_tokens,
      reasoningTokens: Math.min(outputTokens, Math.ceil(thinkingChars / 4)),
    },
  );
}

/** What a mapped result needs besides the message itself. */
export interface ResultContext {
  provider: string;
  latencyMs: number;
  rateLimit: RateLimitInfo | undefined;
  requestId: string | undefined;
  /** The request asked for JSON through the `json_response` tool. */
  jsonTool: boolean;
}

/** Maps a message to core's {@link ChatResult}; a `json_response` tool call becomes the text. */
export function toChatResult(message: Message, context: ResultContext): ChatResult {
  let text = '';
  const toolCalls: ToolCall[] = [];
  let finishReason = toFinishReason(message.stop_reason);
  let thinkingChars = 0;
  for (const block of message.content) {
    if (block.type === 'thinking') thinkingChars += block.thinking.length;
    if (block.type === 'text') text += block.text;
    else if (block.type === 'tool_use') {
      if (context.jsonTool && block.name === JSON_TOOL_NAME) {
        text = JSON.stringify(block.input);
        finishReason = 'stop';
      } else {
        toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
      }
    }
  }
  const result: ChatResult = {
    text,
    toolCalls,
    finishReason,
    usage: toUsage(message.usage, thinkingChars),
    provider: context.provider,
    model: message.model,
    latencyMs: context.latencyMs,
  };
  if (context.rateLimit) result.rateLimit = context.rateLimit;
  const requestId = context.requestId ?? message.id;
  if (requestId) result.providerRequestId = requestId;
  return result;
}
