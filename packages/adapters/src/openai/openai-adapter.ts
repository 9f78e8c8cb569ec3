import type { ProviderAdapterV1 } from '@forge1/core';
import OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
} from 'openai/resources/chat/completions';
import { z } from 'zod';
import {
  type BaseAdapterOptions,
  baseAdapterShape,
  parseAdapterOptions,
  stainlessClientOptions,
} from '../provider-utils/adapter-options.js';
import { parseOpenAIRateLimit } from '../provider-utils/headers.js';
import { createSdkAdapter, type SdkAttempt } from '../provider-utils/sdk-adapter.js';
import { normaliseOpenAIError } from './errors.js';
import { type MaxTokensField, toChatCompletionBody } from './map-request.js';
import { toChatResult } from './map-response.js';
import { OpenAIStreamMapper } from './map-stream.js';

/** The part of an `OpenAI` client the adapter uses; a host's own client fits. */
export type OpenAIClientLike = Pick<OpenAI, 'chat' | 'embeddings'>;

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
  const settings = { maxTokensField: options.maxTokensField ?? defaults.maxTokensField };
  const streamUsage = options.streamUsage ?? true;
  const requestOptions = (attempt: SdkAttempt) => ({ signal: attempt.signal, maxRetries: 0 });

  return createSdkAdapter<OpenAIClientLike, ChatCompletionChunk>({
    provider,
    options,
    createClient: (apiKey) =>
      new OpenAI({
        ...stainlessClientOptions(apiKey, options),
        ...(options.organization === undefined ? {} : { organization: options.organization }),
        ...(options.project === undefined ? {} : { project: options.project }),
      }),

    async chat(client, request, attempt) {
      // The body is built fresh for each call: `stream` is set on it rather than spread into a copy.
      const body = toChatCompletionBody(request, settings) as ChatCompletionCreateParamsNonStreaming;
      body.stream = false;
      // The parsed body, then the response it came from: what `withResponse()` gives, without its
      // Promise.all (the response has arrived once the body is parsed).
      const pending = client.chat.completions.create(body, requestOptions(attempt));
      const data = await pending;
      const response = await pending.asResponse();
      return toChatResult(data, {
        provider,
        latencyMs: attempt.elapsed(),
        rateLimit: parseOpenAIRateLimit(response.headers),
        requestId: response.headers.get('x-request-id') ?? undefined,
      });
    },

    async openStream(client, request, attempt) {
      const body = {
        ...toChatCompletionBody(request, settings),
        stream: true as const,
        ...(streamUsage ? { stream_options: { include_usage: true } } : {}),
      };
      const { data, response, request_id } = await client.chat.completions
        .create(body, requestOptions(attempt))
        .withResponse();
      const rateLimit = parseOpenAIRateLimit(response.headers);
      return { events: data, requestId: request_id ?? undefined, rateLimit: () => rateLimit };
    },

    async embed(client, request, attempt) {
      const body = {
        model: request.model,
        input: request.input,
        ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
      };
      const { data, response, request_id } = await client.embeddings
        .create(body, requestOptions(attempt))
        .withResponse();
      const rateLimit = parseOpenAIRateLimit(response.headers);
      const requestId = request_id ?? undefined;
      return {
        embeddings: [...data.data].sort((a, b) => a.index - b.index).map((item) => item.embedding),
        usage: { inputTokens: data.usage?.prompt_tokens ?? 0, outputTokens: 0, cachedInputTokens: 0 },
        provider,
        model: data.model || request.model,
        latencyMs: attempt.elapsed(),
        ...(rateLimit ? { rateLimit } : {}),
        ...(requestId ? { providerRequestId: requestId } : {}),
      };
    },

    streamMapper: () => new OpenAIStreamMapper(),
    normaliseError: normaliseOpenAIError,
  });
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
