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

/** Message from the end user. */
export interface UserMessage {
  role: 'user';
  content: string;
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
  /** Free-form labels carried into events and usage records. */
  metadata?: Record<string, string>;
}

/** A request bound to one concrete model, as an adapter receives it. */
export interface ProviderChatRequest extends ChatRequest {
  model: string;
}

/** Why the model stopped. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/** Token counts of one call. `cachedInputTokens` is the part of `inputTokens` served from cache. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

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

/** The outcome of one provider call. */
export interface ChatResult {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
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

/** One piece of a streamed answer. The last chunk of a complete stream is `finish`. */
export type ChatChunk =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call-delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  | {
      type: 'finish';
      finishReason: FinishReason;
      usage: Usage;
      provider: string;
      model: string;
      rateLimit?: RateLimitInfo;
      providerRequestId?: string;
    };

/** A zero usage. */
export const emptyUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 });

/** Sums two usages. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
  };
}

/** Total tokens (input plus output) of a usage. */
export const totalTokens = (usage: Usage): number => usage.inputTokens + usage.outputTokens;
