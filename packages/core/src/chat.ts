import type { MessageContent } from './content.js';

/** A tool the model may call, described by a JSON schema of its arguments. */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** A call the model asked for; `arguments` is the raw JSON text it produced. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** Message from the system (instructions). */
export interface SystemMessage {
  role: 'system';
  content: string;
}

/** Message from the end user: text, or parts (text, images, files). */
export interface UserMessage {
  role: 'user';
  content: MessageContent;
}

/** Earlier model turn: text, tool calls, or both. */
export interface AssistantMessage {
  role: 'assistant';
  content: string;
  toolCalls?: ToolCall[];
}

/** The result of a tool call, answering the assistant turn that asked for it. */
export interface ToolMessage {
  role: 'tool';
  toolCallId: string;
  /** Name of the tool; Gemini needs it to pair results with calls. */
  name?: string;
  content: string;
}

/** One turn of a conversation. */
export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** How the answer must be shaped: free text, any JSON object, or JSON matching a schema. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json'; schema?: Record<string, unknown>; name?: string };

/** How hard a reasoning model should think. */
export type ReasoningEffort = 'low' | 'medium' | 'high';

/**
 * Reasoning settings: an effort level (OpenAI `reasoning_effort`) or a budget of thinking
 * tokens (Anthropic `thinking.budget_tokens`, Gemini `thinkingConfig.thinkingBudget`). An adapter
 * maps the one its provider takes and derives it from the other when only that one is given.
 */
export interface ReasoningOptions {
  effort?: ReasoningEffort;
  /** Thinking tokens the model may spend; they are billed as output. */
  budgetTokens?: number;
}

/** Lifetime of a prompt-cache entry: Anthropic's 5-minute default or its 1-hour option. */
export type CacheTtl = '5m' | '1h';

/**
 * Prompt caching: mark the stable prefix (system prompt and tools) as cacheable. Anthropic
 * needs explicit `cache_control` breakpoints and bills the write at a premium (1.25 × input
 * for 5 minutes, 2 × for 1 hour); OpenAI and Gemini cache prefixes on their own.
 */
export interface PromptCacheOptions {
  /** @default '5m' */
  ttl?: CacheTtl;
}

/** A chat request, provider-neutral. */
export interface ChatRequest {
  messages: ChatMessage[];
  /** A model the caller prefers; the router may honour it (see the router's options). */
  model?: string;
  /** Upper bound on output tokens. */
  maxTokens?: number;
  temperature?: number;
  stop?: string[];
  tools?: ToolDefinition[];
  /** `auto` (default), `none`, `required`, or one tool by name. */
  toolChoice?: 'auto' | 'none' | 'required' | { name: string };
  responseFormat?: ResponseFormat;
  /** Reasoning effort or thinking budget, for models that reason. */
  reasoning?: ReasoningOptions;
  /** Prompt caching of the system prompt and tools; absent means no explicit breakpoints. */
  cache?: PromptCacheOptions;
  /** Free-form labels carried into events and usage records. */
  metadata?: Record<string, string>;
}

/** A request bound to one concrete model, as an adapter receives it. */
export interface ProviderChatRequestV1 extends ChatRequest {
  model: string;
}
/** The current version of {@link ProviderChatRequestV1}. */
export type ProviderChatRequest = ProviderChatRequestV1;

/** Why the model stopped. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/**
 * Token counts of one call. `inputTokens` is every prompt token, of which `cachedInputTokens`
 * were read from the provider's cache and `cacheWriteInputTokens` were written to it (the two
 * never overlap). `outputTokens` is every generated token, of which `reasoningTokens` were
 * thinking. Absent optional counts are 0.
 */
export interface UsageV1 {
  inputTokens: number;
  outputTokens: number;
  /** Part of `inputTokens` read from the prompt cache. */
  cachedInputTokens: number;
  /** Part of `inputTokens` written to the prompt cache (Anthropic `cache_creation_input_tokens`). */
  cacheWriteInputTokens?: number;
  /** Part of `cacheWriteInputTokens` written with the 1-hour lifetime (priced higher). */
  cacheWrite1hInputTokens?: number;
  /** Part of `outputTokens` spent thinking (OpenAI `reasoning_tokens`, Gemini `thoughtsTokenCount`). */
  reasoningTokens?: number;
}
/** The current version of {@link UsageV1}. */
export type Usage = UsageV1;

/**
 * Rate-limit figures read from a response's headers, normalised to counts and
 * relative milliseconds. Absent fields were not sent.
 */
export interface RateLimitInfo {
  limitRequests?: number;
  limitTokens?: number;
  remainingRequests?: number;
  remainingTokens?: number;
  /** Milliseconds until the request budget is fully replenished. */
  resetRequestsMs?: number;
  /** Milliseconds until the token budget is fully replenished. */
  resetTokensMs?: number;
}

/** What every answered provider call reports, whatever it was for (chat or embeddings). */
export interface ProviderAnswerV1 {
  usage: UsageV1;
  provider: string;
  model: string;
  latencyMs: number;
  /** Rate-limit headers of the response, for the key pool to learn real limits. */
  rateLimit?: RateLimitInfo;
  /** Provider request id, for support tickets. */
  providerRequestId?: string;
  /** Options the provider could not honour (the call went ahead without them). */
  warnings?: string[];
}

/** The outcome of one provider chat call. */
export interface ChatResultV1 extends ProviderAnswerV1 {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
}
/** The current version of {@link ChatResultV1}. */
export type ChatResult = ChatResultV1;

/** One piece of a streamed answer. The last chunk of a complete stream is `finish`. */
export type ChatChunkV1 =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call-delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  /**
   * Usage the provider reported before the end (Anthropic's `message_start`, a usage-only chunk):
   * the latest one wins. The gateway meters an attempt cut short with it, and does not pass it on.
   */
  | { type: 'usage'; usage: UsageV1 }
  | {
      type: 'finish';
      finishReason: FinishReason;
      usage: UsageV1;
      provider: string;
      model: string;
      rateLimit?: RateLimitInfo;
      providerRequestId?: string;
    };
/** The current version of {@link ChatChunkV1}. */
export type ChatChunk = ChatChunkV1;

/** A zero usage. */
export const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 });

/** Sums two usages; an optional count appears in the sum when either side has it. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
  };
  for (const key of optionalUsageKeys) {
    if (a[key] !== undefined || b[key] !== undefined) sum[key] = (a[key] ?? 0) + (b[key] ?? 0);
  }
  return sum;
}

/** The optional counts of {@link Usage}. */
export const optionalUsageKeys = [
  'cacheWriteInputTokens',
  'cacheWrite1hInputTokens',
  'reasoningTokens',
] as const;

/** Total tokens (input plus output) of a usage. */
export const totalTokens = (usage: Usage): number => usage.inputTokens + usage.outputTokens;
