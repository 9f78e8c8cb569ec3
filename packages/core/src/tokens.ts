import type { ChatRequest } from './chat.js';

/** Token estimate of a request before it is sent. */
export interface TokenEstimate {
  input: number;
  /** Output tokens to reserve: `maxTokens` when set, else a default. */
  output: number;
}

/** Estimates a request's tokens before the call; actual usage always wins afterwards. */
export type TokenEstimator = (request: ChatRequest) => TokenEstimate;

/** Output tokens reserved when a request sets no `maxTokens`. */
export const defaultOutputReserve = 512;

/**
 * The default estimator: about four characters per token plus a few tokens of overhead
 * per message, the rule of thumb the providers document for English text.
 */
export const estimateTokens: TokenEstimator = (request) => {
  let chars = 0;
  for (const message of request.messages) {
    chars += message.content.length + 16;
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) chars += call.name.length + call.arguments.length;
    }
  }
  for (const tool of request.tools ?? []) chars += JSON.stringify(tool).length;
  return { input: Math.ceil(chars / 4), output: request.maxTokens ?? defaultOutputReserve };
};

/** Tokens of streamed characters, for partial usage when a stream is cut before its final usage. */
export const estimateCharTokens = (chars: number): number => Math.ceil(chars / 4);
