import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import {
  type ChatChunk,
  type ChatResult,
  type ProviderAdapterV1,
  type ProviderCall,
  type ProviderChatRequest,
  systemClock,
} from '@forge1/core';
import { z } from 'zod';
import { type BaseAdapterOptions, baseAdapterShape, parseAdapterOptions } from '../shared/adapter-options.js';
import { createCallControl } from '../shared/call-control.js';
import { createClientCache } from '../shared/client-cache.js';
import { parseAnthropicRateLimit } from '../shared/headers.js';
import { errorScope, toProviderError } from '../shared/provider-errors.js';
import { normaliseAnthropicError } from './errors.js';
import { type AnthropicJsonMode, toMessagesBody, unsupportedOptions } from './map-request.js';
import { toChatResult } from './map-response.js';
import { AnthropicStreamMapper } from './map-stream.js';

/** The part of an `Anthropic` client the adapter uses; a host's own client fits. */
export type AnthropicClientLike = Pick<Anthropic, 'messages'>;

/** Options of {@link anthropic}. */
export interface AnthropicAdapterOptions extends BaseAdapterOptions<AnthropicClientLike> {
  /** Provider name. @default 'anthropic' */
  name?: string;
  /** `max_tokens` sent when a request sets no `maxTokens` (the API requires one). @default 1024 */
  defaultMaxTokens?: number;
  /**
   * How JSON mode is asked for: `tool` forces a `json_response` tool whose input (the
   * JSON) becomes the text; `output-format` uses structured outputs (`output_config.format`).
   * @default 'tool'
   */
  jsonMode?: AnthropicJsonMode;
}

const schema = z.object({
  ...baseAdapterShape,
  name: z.string().min(1).optional(),
  defaultMaxTokens: z.int().positive().optional(),
  jsonMode: z.enum(['tool', 'output-format']).optional(),
});

// Without an explicit timeout the SDK refuses large non-streaming `max_tokens`; the call's
// own timeout (or this one) applies instead.
const SDK_TIMEOUT_MS = 600_000;

/**
 * The Anthropic messages adapter, over the official `@anthropic-ai/sdk` (SDK retries off; one
 * client per key). System messages go to the top-level `system`; `max_tokens` defaults to
 * `defaultMaxTokens`.
 *
 * @example
 * ```ts
 * import { anthropic } from '@forge1/adapters/anthropic';
 * const adapter = anthropic({ defaultMaxTokens: 2048 });
 * ```
 * @throws ValidationError when an option is invalid.
 */
export function anthropic(options: AnthropicAdapterOptions = {}): ProviderAdapterV1 {
  const parsed = parseAdapterOptions<AnthropicAdapterOptions>(schema, options, 'anthropic adapter options');
  const provider = parsed.name ?? 'anthropic';
  const clock = parsed.clock ?? systemClock;
  const settings = { defaultMaxTokens: parsed.defaultMaxTokens ?? 1024, jsonMode: parsed.jsonMode ?? 'tool' };
  const clients = createClientCache<AnthropicClientLike>({
    maxClients: parsed.maxClients,
    build: (apiKey, keyId) =>
      parsed.createClient?.(apiKey, keyId) ??
      new Anthropic({
        apiKey,
        maxRetries: 0,
        ...(parsed.baseURL === undefined ? {} : { baseURL: parsed.baseURL }),
        ...(parsed.defaultHeaders === undefined ? {} : { defaultHeaders: parsed.defaultHeaders }),
      }),
  });
  const clientFor = (call: ProviderCall) => parsed.client ?? clients.get(call.apiKey, call.keyId);
  const scopeOf = (request: ProviderChatRequest, call: ProviderCall) => errorScope(provider, request, call);
  const requestOptions = (signal: AbortSignal) => ({ signal, maxRetries: 0, timeout: SDK_TIMEOUT_MS });
  const usesJsonTool = (request: ProviderChatRequest) =>
    request.responseFormat?.type === 'json' && settings.jsonMode === 'tool';

  return {
    specificationVersion: 'v1',
    provider,

    async chat(request, call): Promise<ChatResult> {
      const control = createCallControl(call, clock);
      const scope = { ...scopeOf(request, call), control };
      const started = clock.now();
      try {
        const body = { ...toMessagesBody(request, settings), stream: false as const };
        const { data, response, request_id } = await clientFor(call)
          .messages.create(body, requestOptions(control.signal))
          .withResponse();
        const result = toChatResult(data, {
          provider,
          latencyMs: clock.now() - started,
          rateLimit: parseAnthropicRateLimit(response.headers, clock.now()),
          requestId: request_id ?? undefined,
          jsonTool: usesJsonTool(request),
        });
        const warnings = unsupportedOptions(request);
        if (warnings.length) result.warnings = [...(result.warnings ?? []), ...warnings];
        return result;
      } catch (error) {
        throw normaliseAnthropicError(error, scope, clock.now());
      } finally {
        control.dispose();
      }
    },

    async *stream(request, call): AsyncIterable<ChatChunk> {
      const control = createCallControl(call, clock);
      const scope = { ...scopeOf(request, call), control };
      const mapper = new AnthropicStreamMapper(usesJsonTool(request));
      let finished = false;
      try {
        const body = { ...toMessagesBody(request, settings), stream: true as const };
        const { data, response, request_id } = await clientFor(call)
          .messages.create(body, requestOptions(control.signal))
          .withResponse();
        const rateLimit = parseAnthropicRateLimit(response.headers, clock.now());
        for await (const event of data as AsyncIterable<RawMessageStreamEvent>) {
          control.touch();
          for (const out of mapper.map(event)) yield out;
        }
        // The SDK ends a stream quietly when its signal aborts.
        if (control.callerAborted() || control.timedOut()) throw control.signal.reason;
        if (!mapper.stopped || mapper.finishReason === undefined) {
          throw toProviderError(
            { category: 'unavailable', message: 'stream ended before message_stop', cause: undefined },
            scope,
          );
        }
        finished = true;
        const requestId = request_id ?? mapper.id;
        yield {
          type: 'finish',
          finishReason: mapper.finishReason,
          usage: mapper.usage,
          provider,
          model: mapper.model ?? request.model,
          ...(rateLimit ? { rateLimit } : {}),
          ...(requestId ? { providerRequestId: requestId } : {}),
        };
      } catch (error) {
        throw normaliseAnthropicError(error, scope, clock.now());
      } finally {
        if (!finished) control.abort();
        control.dispose();
      }
    },
  };
}
