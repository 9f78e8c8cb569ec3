import type { ChatResult, FinishReason, RateLimitInfo, ToolCall, Usage } from '@forge1/core';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { withCounts } from '../provider-utils/usage-counts.js';

/** Maps an OpenAI `finish_reason` to core's {@link FinishReason}. */
export function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

type OpenAIUsage = ChatCompletion['usage'] | ChatCompletionChunk['usage'];

/**
 * Maps OpenAI usage: `prompt_tokens` (which includes cached tokens) is the input,
 * `prompt_tokens_details.cached_tokens` the cached part. DeepSeek reports the cached part
 * as `prompt_cache_hit_tokens` instead; it is read when the OpenAI field is absent.
 * `completion_tokens_details.reasoning_tokens` (part of `completion_tokens`) is `reasoningTokens`.
 */
export function toUsage(usage: OpenAIUsage): Usage {
  if (!usage) return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
  const deepseek = (usage as { prompt_cache_hit_tokens?: unknown }).prompt_cache_hit_tokens;
  const cached = usage.prompt_tokens_details?.cached_tokens ?? (typeof deepseek === 'number' ? deepseek : 0);
  return withCounts(
    {
      inputTokens: usage.prompt_tokens ?? 0,
      outputTokens: usage.completion_tokens ?? 0,
      cachedInputTokens: cached ?? 0,
    },
    { reasoningTokens: usage.completion_tokens_details?.reasoning_tokens },
  );
}

/** What a mapped result needs besides the completion itself. */
export interface ResultContext {
  provider: string;
  latencyMs: number;
  rateLimit: RateLimitInfo | undefined;
  requestId: string | undefined;
}

/** Maps a chat completion to core's {@link ChatResult}. */
export function toChatResult(completion: ChatCompletion, context: ResultContext): ChatResult {
  const choice = completion.choices[0];
  const toolCalls: ToolCall[] = [];
  for (const call of choice?.message.tool_calls ?? []) {
    if (call.type === 'function') {
      toolCalls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
  }
  const result: ChatResult = {
    text: choice?.message.content ?? '',
    toolCalls,
    finishReason: toFinishReason(choice?.finish_reason),
    usage: toUsage(completion.usage),
    provider: context.provider,
    model: completion.model || '',
    latencyMs: context.latencyMs,
  };
  if (context.rateLimit) result.rateLimit = context.rateLimit;
  const requestId = context.requestId ?? completion.id;
  if (requestId) result.providerRequestId = requestId;
  const refusal = choice?.message.refusal;
  if (refusal) result.warnings = [`refusal: ${refusal}`];
  return result;
}
