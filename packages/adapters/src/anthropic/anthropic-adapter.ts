import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ProviderAdapterV1, ProviderChatRequest } from '@forge1/core';
import { z } from 'zod';
import {
  type BaseAdapterOptions,
  baseAdapterShape,
  parseAdapterOptions,
  stainlessClientOptions,
} from '../provider-utils/adapter-options.js';
import { parseAnthropicRateLimit } from '../provider-utils/headers.js';
import { createSdkAdapter, type SdkAttempt } from '../provider-utils/sdk-adapter.js';
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
  const settings = { defaultMaxTokens: parsed.defaultMaxTokens ?? 1024, jsonMode: parsed.jsonMode ?? 'tool' };
  const requestOptions = (attempt: SdkAttempt) => ({
    signal: attempt.signal,
    maxRetries: 0,
    timeout: SDK_TIMEOUT_MS,
  });
  const usesJsonTool = (request: ProviderChatRequest) =>
    request.responseFormat?.type === 'json' && settings.jsonMode === 'tool';

  return createSdkAdapter<AnthropicClientLike, RawMessageStreamEvent>({
    provider,
    options: parsed,
    createClient: (apiKey) => new Anthropic(stainlessClientOptions(apiKey, parsed)),

    async chat(client, request, attempt) {
      const body = { ...toMessagesBody(request, settings), stream: false as const };
      const { data, response, request_id } = await client.messages
        .create(body, requestOptions(attempt))
        .withResponse();
      const result = toChatResult(data, {
        provider,
        latencyMs: attempt.elapsed(),
        rateLimit: parseAnthropicRateLimit(response.headers, attempt.now()),
        requestId: request_id ?? undefined,
        jsonTool: usesJsonTool(request),
      });
      const warnings = unsupportedOptions(request, body);
      if (warnings.length) result.warnings = [...(result.warnings ?? []), ...warnings];
      return result;
    },

    async openStream(client, request, attempt) {
      const body = { ...toMessagesBody(request, settings), stream: true as const };
      const { data, response, request_id } = await client.messages
        .create(body, requestOptions(attempt))
        .withResponse();
      const rateLimit = parseAnthropicRateLimit(response.headers, attempt.now());
      return { events: data, requestId: request_id ?? undefined, rateLimit: () => rateLimit };
    },

    streamMapper: (request) => new AnthropicStreamMapper(usesJsonTool(request)),
    normaliseError: normaliseAnthropicError,
  });
}
