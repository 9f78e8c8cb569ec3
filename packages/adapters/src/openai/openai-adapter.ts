import {
  type ChatChunk,
  type ChatResult,
  type ProviderAdapterV1,
  type ProviderCall,
  type ProviderChatRequest,
  systemClock,
} from '@forge1/core';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { type BaseAdapterOptions, baseAdapterShape, parseAdapterOptions } from '../shared/adapter-options.js';
import { createCallControl } from '../shared/call-control.js';
import { createClientCache } from '../shared/client-cache.js';
import { parseOpenAIRateLimit } from '../shared/headers.js';
import { errorScope, toProviderError } from '../shared/provider-errors.js';
import { normaliseOpenAIError } from './errors.js';
import { type MaxTokensField, toChatCompletionBody } from './map-request.js';
import { toChatResult } from './map-response.js';
import { OpenAIStreamMapper } from './map-stream.js';

/** The part of an `OpenAI` client the adapter uses; a host's own client fits. */
export type OpenAIClientLike = Pick<OpenAI, 'chat'>;

/** Options of {@link openai}. */
export interface OpenAIAdapterOptions extends BaseAdapterOptions<OpenAIClientLike> {
  /** `OpenAI-Organization` header. */
  organization?: string;
  /** `OpenAI-Project` header. */
  project?: string;
  /**
   * Request field for `maxTokens`. OpenAI's reasoning models accept only `max_completion_tokens`;
   * many compatible servers only `max_tokens`.
   * @default 'max_completion_tokens' (openai), 'max_tokens' (openaiCompatible)
   */
  maxTokensField?: MaxTokensField;
  /** Ask for usage at the end of streams (`stream_options.include_usage`). @default true */
  streamUsage?: boolean;
}

/** Options of {@link openaiCompatible}. */
export interface OpenAICompatibleAdapterOptions extends OpenAIAdapterOptions {
  /** Provider name, as in the catalog and key pool (`deepseek`, `qwen`, `vllm`, `ollama`). */
  name: string;
  /** Base URL of the compatible API, e.g. `https://api.deepseek.com/v1`. */
  baseURL: string;
}

const openAIShape = {
  ...baseAdapterShape,
  organization: z.string().optional(),
  project: z.string().optional(),
  maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
  streamUsage: z.boolean().optional(),
};
const openAISchema = z.object(openAIShape);
const compatibleSchema = z.object({
  ...openAIShape,
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, dot, dash or underscore'),
  baseURL: z.url(),
});

function createOpenAIAdapter(
  provider: string,
  options: OpenAIAdapterOptions,
  defaults: { maxTokensField: MaxTokensField },
): ProviderAdapterV1 {
  const clock = options.clock ?? systemClock;
  const settings = { maxTokensField: options.maxTokensField ?? defaults.maxTokensField };
  const streamUsage = options.streamUsage ?? true;
  const clients = createClientCache<OpenAIClientLike>({
    maxClients: options.maxClients,
    build: (apiKey, keyId) =>
      options.createClient?.(apiKey, keyId) ??
      new OpenAI({
        apiKey,
        maxRetries: 0,
        ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
        ...(options.defaultHeaders === undefined ? {} : { defaultHeaders: options.defaultHeaders }),
        ...(options.organization === undefined ? {} : { organization: options.organization }),
        ...(options.project === undefined ? {} : { project: options.project }),
      }),
  });
  const clientFor = (call: ProviderCall) => options.client ?? clients.get(call.apiKey, call.keyId);
  const scopeOf = (request: ProviderChatRequest, call: ProviderCall) => errorScope(provider, request, call);

  return {
    specificationVersion: 'v1',
    provider,

    async chat(request, call): Promise<ChatResult> {
      const control = createCallControl(call, clock);
      const scope = { ...scopeOf(request, call), control };
      const started = clock.now();
      try {
        const body = { ...toChatCompletionBody(request, settings), stream: false as const };
        const { data, response, request_id } = await clientFor(call)
          .chat.completions.create(body, { signal: control.signal, maxRetries: 0 })
          .withResponse();
        return toChatResult(data, {
          provider,
          latencyMs: clock.now() - started,
          rateLimit: parseOpenAIRateLimit(response.headers),
          requestId: request_id ?? undefined,
        });
      } catch (error) {
        throw normaliseOpenAIError(error, scope, clock.now());
      } finally {
        control.dispose();
      }
    },

    async *stream(request, call): AsyncIterable<ChatChunk> {
      const control = createCallControl(call, clock);
      const scope = { ...scopeOf(request, call), control };
      const mapper = new OpenAIStreamMapper();
      let finished = false;
      try {
        const body = {
          ...toChatCompletionBody(request, settings),
          stream: true as const,
          ...(streamUsage ? { stream_options: { include_usage: true } } : {}),
        };
        const { data, response, request_id } = await clientFor(call)
          .chat.completions.create(body, { signal: control.signal, maxRetries: 0 })
          .withResponse();
        const rateLimit = parseOpenAIRateLimit(response.headers);
        for await (const chunk of data as AsyncIterable<ChatCompletionChunk>) {
          control.touch();
          for (const out of mapper.map(chunk)) yield out;
        }
        if (control.callerAborted() || control.timedOut()) throw control.signal.reason;
        if (mapper.finishReason === undefined) {
          throw toProviderError(
            { category: 'unavailable', message: 'stream ended before a finish reason', cause: undefined },
            scope,
          );
        }
        finished = true;
        const requestId = request_id ?? mapper.id;
        yield {
          type: 'finish',
          finishReason: mapper.finishReason,
          usage: mapper.usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
          provider,
          model: mapper.model ?? request.model,
          ...(rateLimit ? { rateLimit } : {}),
          ...(requestId ? { providerRequestId: requestId } : {}),
        };
      } catch (error) {
        throw normaliseOpenAIError(error, scope, clock.now());
      } finally {
        // A consumer that stops early must not leave the connection open.
        if (!finished) control.abort();
        control.dispose();
      }
    },
  };
}

/**
 * The OpenAI chat completions adapter, over the official `openai` SDK (SDK retries off; one
 * client per key).
 *
 * @example
 * ```ts
 * import { openai } from '@forge1/adapters/openai';
 * const adapter = openai();
 * const result = await adapter.chat(
 *   { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
 *   { apiKey: new Secret(process.env.OPENAI_API_KEY!) },
 * );
 * ```
 * @throws ValidationError when an option is invalid.
 */
export function openai(options: OpenAIAdapterOptions = {}): ProviderAdapterV1 {
  const parsed = parseAdapterOptions<OpenAIAdapterOptions>(openAISchema, options, 'openai adapter options');
  return createOpenAIAdapter('openai', parsed, { maxTokensField: 'max_completion_tokens' });
}

/**
 * An adapter for any OpenAI-compatible chat completions API (DeepSeek, Qwen, vLLM, Ollama, …);
 * its provider name is `name`.
 *
 * @example
 * ```ts
 * const deepseek = openaiCompatible({ name: 'deepseek', baseURL: 'https://api.deepseek.com/v1' });
 * ```
 * @throws ValidationError when `name` or `baseURL` is missing or invalid.
 */
export function openaiCompatible(options: OpenAICompatibleAdapterOptions): ProviderAdapterV1 {
  const parsed = parseAdapterOptions<OpenAICompatibleAdapterOptions>(
    compatibleSchema,
    options,
    'openaiCompatible adapter options',
  );
  return createOpenAIAdapter(parsed.name, parsed, { maxTokensField: 'max_tokens' });
}
