import type { ChatChunk, ChatResult, ProviderAdapterV1, ProviderChatRequest } from '@forge1/core';

/** A provider double that answers with the last user message and records every request it got. */
export interface EchoAdapter extends ProviderAdapterV1 {
  /** Every request as the provider received it. */
  readonly requests: ProviderChatRequest[];
}

/** Options of {@link createEchoAdapter}. */
export interface EchoAdapterOptions {
  /** Sizes of the streamed text pieces, used in turn (a placeholder may be cut anywhere). @default [3] */
  chunkSizes?: readonly number[];
  /** Also answer with a tool call `save({ note: <the text> })`. @default false */
  toolCall?: boolean;
}

const lastUserText = (request: ProviderChatRequest): string => {
  const message = [...request.messages].reverse().find((item) => item.role === 'user');
  if (!message) return '';
  const content = message.content as unknown;
  if (typeof content === 'string') return content;
  return (content as Array<{ type: string; text?: string }>)
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
};

/** Creates an {@link EchoAdapter} for `provider`. */
export function createEchoAdapter(provider: string, options: EchoAdapterOptions = {}): EchoAdapter {
  const requests: ProviderChatRequest[] = [];
  const sizes = options.chunkSizes?.length ? options.chunkSizes : [3];
  const answer = (request: ProviderChatRequest): ChatResult => {
    requests.push(structuredClone(request));
    const text = lastUserText(request);
    return {
      text,
      toolCalls: options.toolCall
        ? [{ id: 'call-1', name: 'save', arguments: JSON.stringify({ note: text }) }]
        : [],
      finishReason: options.toolCall ? 'tool-calls' : 'stop',
      usage: {
        inputTokens: 10 + Math.ceil(text.length / 4),
        outputTokens: 1 + Math.ceil(text.length / 4),
        cachedInputTokens: 0,
      },
      provider,
      model: request.model,
      latencyMs: 1,
    };
  };
  const pieces = (text: string) => {
    const out: string[] = [];
    for (let at = 0, turn = 0; at < text.length; turn++) {
      const size = Math.max(1, sizes[turn % sizes.length]!);
      out.push(text.slice(at, at + size));
      at += size;
    }
    return out;
  };
  return {
    specificationVersion: 'v1',
    provider,
    requests,
    async chat(request) {
      return answer(request);
    },
    async *stream(request): AsyncIterable<ChatChunk> {
      const result = answer(request);
      for (const text of pieces(result.text)) yield { type: 'text-delta', text };
      for (const call of result.toolCalls) {
        const deltas = pieces(call.arguments);
        for (const [i, argumentsDelta] of deltas.entries()) {
          yield {
            type: 'tool-call-delta',
            index: 0,
            ...(i === 0 ? { id: call.id, name: call.name } : {}),
            argumentsDelta,
          };
        }
        yield { type: 'tool-call', toolCall: call };
      }
      yield {
        type: 'finish',
        finishReason: result.finishReason,
        usage: result.usage,
        provider,
        model: request.model,
      };
    },
  };
}
