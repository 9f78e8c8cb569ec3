import type { ProviderAdapterV1, ProviderChatRequest } from '@forge1/core';
import { type GenerateContentResponse, GoogleGenAI, type HttpOptions } from '@google/genai';
import { z } from 'zod';
import {
  type BaseAdapterOptions,
  baseAdapterShape,
  parseAdapterOptions,
} from '../provider-utils/adapter-options.js';
import { type HeaderSource, parseOpenAIRateLimit } from '../provider-utils/headers.js';
import { createSdkAdapter, type SdkAttempt } from '../provider-utils/sdk-adapter.js';
import { normaliseGoogleError } from './errors.js';
import { toGenerateContentParameters } from './map-request.js';
import { toChatResult } from './map-response.js';
import { GoogleStreamMapper } from './map-stream.js';

// About four characters a token, the rule Google documents for Gemini text.
const estimateEmbedTokens = (input: readonly string[]) =>
  input.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);

/** The part of a `GoogleGenAI` client the adapter uses; a host's own client fits. */
export type GoogleClientLike = Pick<GoogleGenAI, 'models'>;

/** Options of {@link google}. */
export interface GoogleAdapterOptions extends BaseAdapterOptions<GoogleClientLike> {
  /** Provider name. @default 'google' */
  name?: string;
  /** API version path segment. @default the SDK's (`v1beta`) */
  apiVersion?: string;
  /** The fetch the SDK uses (response headers are read through it). @default globalThis.fetch */
  fetch?: typeof fetch;
}

const schema = z.object({
  ...baseAdapterShape,
  name: z.string().min(1).optional(),
  apiVersion: z.string().min(1).optional(),
  fetch: z
    .custom<typeof fetch>((value) => typeof value === 'function', 'expected a fetch function')
    .optional(),
});

/**
 * The Gemini API adapter, over the official `@google/genai` SDK (its retries are off unless
 * asked for; one client per key). System messages become `systemInstruction`; JSON mode is
 * `responseMimeType: application/json` with `responseJsonSchema`.
 *
 * @example
 * ```ts
 * import { google } from '@forge1/adapters/google';
 * const adapter = google();
 * ```
 * @throws ValidationError when an option is invalid.
 */
export function google(options: GoogleAdapterOptions = {}): ProviderAdapterV1 {
  const parsed = parseAdapterOptions<GoogleAdapterOptions>(schema, options, 'google adapter options');
  const provider = parsed.name ?? 'google';
  const baseFetch =
    parsed.fetch ?? ((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
  const ownClients = parsed.client === undefined && parsed.createClient === undefined;

  // Per attempt: a fetch that keeps the response headers (ApiError carries none), and, for a
  // host's client, retries forced off.
  const httpOptionsFor = (attempt: SdkAttempt): HttpOptions => {
    if (!ownClients) return { retryOptions: { attempts: 1 } };
    return {
      fetch: async (input, init) => {
        const response = await baseFetch(input, init);
        attempt.responseHeaders = response.headers;
        return response;
      },
    };
  };
  const configFor = (request: ProviderChatRequest, attempt: SdkAttempt) => {
    const parameters = toGenerateContentParameters(request);
    return {
      ...parameters,
      config: { ...parameters.config, abortSignal: attempt.signal, httpOptions: httpOptionsFor(attempt) },
    };
  };
  const rateLimitOf = (attempt: SdkAttempt, sdk: HeaderSource) =>
    parseOpenAIRateLimit(attempt.responseHeaders ?? sdk);

  return createSdkAdapter<GoogleClientLike, GenerateContentResponse>({
    provider,
    options: parsed,
    createClient: (apiKey) => {
      const httpOptions: HttpOptions = {};
      if (parsed.baseURL !== undefined) httpOptions.baseUrl = parsed.baseURL;
      if (parsed.defaultHeaders !== undefined) httpOptions.headers = parsed.defaultHeaders;
      if (parsed.apiVersion !== undefined) httpOptions.apiVersion = parsed.apiVersion;
      return new GoogleGenAI({ apiKey, httpOptions });
    },

    async chat(client, request, attempt) {
      const response = await client.models.generateContent(configFor(request, attempt));
      return toChatResult(response, {
        provider,
        model: request.model,
        latencyMs: attempt.elapsed(),
        rateLimit: rateLimitOf(attempt, response.sdkHttpResponse?.headers),
      });
    },

    async openStream(client, request, attempt) {
      const chunks = await client.models.generateContentStream(configFor(request, attempt));
      let sdkHeaders: HeaderSource;
      async function* events() {
        for await (const chunk of chunks) {
          sdkHeaders ??= chunk.sdkHttpResponse?.headers;
          yield chunk;
        }
      }
      return { events: events(), rateLimit: () => rateLimitOf(attempt, sdkHeaders) };
    },

    async embed(client, request, attempt) {
      const response = await client.models.embedContent({
        model: request.model,
        contents: request.input,
        config: {
          abortSignal: attempt.signal,
          httpOptions: httpOptionsFor(attempt),
          ...(request.dimensions === undefined ? {} : { outputDimensionality: request.dimensions }),
        },
      });
      const rateLimit = rateLimitOf(attempt, response.sdkHttpResponse?.headers);
      return {
        embeddings: (response.embeddings ?? []).map((embedding) => embedding.values ?? []),
        // The Gemini API reports no token counts for embeddings: estimated, and said so.
        usage: { inputTokens: estimateEmbedTokens(request.input), outputTokens: 0, cachedInputTokens: 0 },
        provider,
        model: request.model,
        latencyMs: attempt.elapsed(),
        ...(rateLimit ? { rateLimit } : {}),
        warnings: ['usage estimated: the Gemini API reports no token counts for embeddings'],
      };
    },

    streamMapper: () => new GoogleStreamMapper(),
    normaliseError: (error, scope, now, attempt) =>
      normaliseGoogleError(error, scope, now, attempt.responseHeaders),
  });
}
