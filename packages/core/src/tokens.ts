import type { ChatRequest } from './chat.js';
import type { MessageContent } from './content.js';
import { estimateFilePartTokens, estimateImagePartTokens } from './media-tokens.js';

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
 * per message, the rule of thumb the providers document for English text; images and files
 * by the rules of {@link estimateImagePartTokens} and {@link estimateFilePartTokens}.
 */
export const estimateTokens: TokenEstimator = (request) => {
  let chars = 0;
  let mediaTokens = 0;
  for (const message of request.messages) {
    chars += 16;
    if (message.role === 'user') {
      const counted = countContent(message.content);
      chars += counted.chars;
      mediaTokens += counted.mediaTokens;
    } else chars += message.content.length;
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) chars += call.name.length + call.arguments.length;
    }
  }
  for (const tool of request.tools ?? []) chars += JSON.stringify(tool).length;
  // Thinking counts inside the output limit at every provider; without a limit it needs room.
  const reasoning = request.reasoning?.budgetTokens ?? 0;
  return {
    input: Math.ceil(chars / 4) + mediaTokens,
    output: request.maxTokens ?? Math.max(defaultOutputReserve, reasoning),
  };
};

function countContent(content: MessageContent): { chars: number; mediaTokens: number } {
  if (typeof content === 'string') return { chars: content.length, mediaTokens: 0 };
  let chars = 0;
  let mediaTokens = 0;
  for (const part of content) {
    if (part.type === 'text') chars += part.text.length;
    else if (part.type === 'image') mediaTokens += estimateImagePartTokens(part);
    else mediaTokens += estimateFilePartTokens(part);
  }
  return { chars, mediaTokens };
}

/** Tokens of streamed characters, for partial usage when a stream is cut before its final usage. */
export const estimateCharTokens = (chars: number): number => Math.ceil(chars / 4);
