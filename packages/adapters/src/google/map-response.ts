import type { ChatResult, FinishReason, RateLimitInfo, ToolCall, Usage } from '@forge1/core';
import type { GenerateContentResponse, GenerateContentResponseUsageMetadata } from '@google/genai';
import { withCounts } from '../provider-utils/usage-counts.js';

const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'LANGUAGE',
]);

/** Maps a Gemini `finishReason` to core's {@link FinishReason}; STOP with calls is `tool-calls`. */
export function toFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === undefined || reason === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(reason)) return 'content-filter';
  if (reason === 'MALFORMED_FUNCTION_CALL' || reason === 'UNEXPECTED_TOOL_CALL') return 'error';
  return 'other';
}

/**
 * Maps Gemini usage: input is `promptTokenCount` (which includes the cached part) plus
 * `toolUsePromptTokenCount`; `cachedInputTokens` is `cachedContentTokenCount`; output is
 * `candidatesTokenCount` plus `thoughtsTokenCount` (thinking is billed as output), and
 * `thoughtsTokenCount` is `reasoningTokens` too.
 */
export function toUsage(usage: GenerateContentResponseUsageMetadata | undefined): Usage {
  return withCounts(
    {
      inputTokens: (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0),
      outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
      cachedInputTokens: usage?.cachedContentTokenCount ?? 0,
    },
    { reasoningTokens: usage?.thoughtsTokenCount },
  );
}

/** Text and tool calls of the first candidate; thought parts are left out. */
export function contentOf(
  response: GenerateContentResponse,
  nextCallId: () => string,
): { text: string; toolCalls: ToolCall[] } {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const part of response.candidates?.[0]?.content?.parts ?? []) {
    if (part.thought) continue;
    if (typeof part.text === 'string') text += part.text;
    if (part.functionCall) {
      toolCalls.push({
        id: part.functionCall.id ?? nextCallId(),
        name: part.functionCall.name ?? '',
        arguments: JSON.stringify(part.functionCall.args ?? {}),
      });
    }
  }
  return { text, toolCalls };
}

/** Why a response has no answer: a blocked prompt is a content filter. */
export function finishOf(response: GenerateContentResponse, hasToolCalls: boolean): FinishReason {
  const candidate = response.candidates?.[0];
  if (!candidate && response.promptFeedback?.blockReason) return 'content-filter';
  return toFinishReason(candidate?.finishReason, hasToolCalls);
}

/** What a mapped result needs besides the response itself. */
export interface ResultContext {
  provider: string;
  model: string;
  latencyMs: number;
  rateLimit: RateLimitInfo | undefined;
}

/** Maps a `generateContent` response to core's {@link ChatResult}. */
export function toChatResult(response: GenerateContentResponse, context: ResultContext): ChatResult {
  let n = 0;
  const { text, toolCalls } = contentOf(response, () => `call_${n++}`);
  const result: ChatResult = {
    text,
    toolCalls,
    finishReason: finishOf(response, toolCalls.length > 0),
    usage: toUsage(response.usageMetadata),
    provider: context.provider,
    model: response.modelVersion ?? context.model,
    latencyMs: context.latencyMs,
  };
  if (context.rateLimit) result.rateLimit = context.rateLimit;
  if (response.responseId) result.providerRequestId = response.responseId;
  return result;
}
