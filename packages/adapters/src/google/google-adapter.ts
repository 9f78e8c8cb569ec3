import {
  type ChatChunk,
  type ChatResult,
  type ProviderAdapterV1,
  type ProviderCall,
  type ProviderChatRequest,
  systemClock,
} from '@forge1/core';
import { GoogleGenAI, type HttpOptions } from '@google/genai';
import { z } from 'zod';
import { type BaseAdapterOptions, baseAdapterShape, parseAdapterOptions } from '../shared/adapter-options.js';
import { createCallControl } from '../shared/call-control.js';
import { createClientCache } from '../shared/client-cache.js';
import { type HeaderSource, parseOpenAIRateLimit } from '../shared/headers.js';
import { errorScope, toProviderError } from '../shared/provider-errors.js';
import { normaliseGoogleError } from './errors.js';
import { toGenerateContentParameters } from './map-request.js';
import { GoogleStreamMapper, toChatResult } from './map-response.js';

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
  const clock = parsed.clock ?? systemClock;
  const baseFetch =
    parsed.fetch ?? ((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
  const clients = createClientCache<GoogleClientLike>({
    maxClients: parsed.maxClients,
    build: (apiKey, keyId) => {
      const created = parsed.createClient?.(apiKey, keyId);
      if (created) return created;
      const httpOptions: HttpOptions = {};
      if (parsed.baseURL !== undefined) httpOptions.baseUrl = parsed.baseURL;
      if (parsed.defaultHeaders !== undefined) httpOptions.headers = parsed.defaultHeaders;
      if (parsed.apiVersion !== undefined) httpOptions.apiVersion = parsed.apiVersion;
      return new GoogleGenAI({ apiKey, httpOptions });
    },
  });
  const ownClients = parsed.client === undefined && parsed.createClient === undefined;
  const clientFor = (call: ProviderCall) => parsed.client ?? clients.get(call.apiKey, call.keyId);
  const scopeOf = (request: ProviderChatRequest, call: ProviderCall) => errorScope(provider, request, call);

  // Per call: a fetch that keeps the response headers (ApiError carries none), and, for a
  // host's client, retries forced off.
  const perCall = () => {
    const seen: { headers?: Headers } = {};
    const httpOptions: HttpOptions = {};
    if (ownClients) {
      httpOptions.fetch = async (input, init) => {
        const response = await baseFetch(input, init);
        seen.headers = response.headers;
        return response;
      };
    } else {
      httpOptions.retryOptions = { attempts: 1 };
    }
    return { seen, httpOptions };
  };
  const headersOf = (seen: { headers?: Headers }, sdk: HeaderSource) => seen.headers ?? sdk;

  return {
    specificationVersion: 'v1',
    provider,

    async chat(request, call): Promise<ChatResult> {
      const control = createCallControl(call, clock);
      const scope = { ...scopeOf(request, call), control };
      const started = clock.now();
      const { seen, httpOptions } = perCall();
      try {
        const parameters = toGenerateContentParameters(request);
        const response = await clientFor(call).models.generateContent({
          ...parameters,
          config: { ...parameters.config, abortSignal: control.signal, httpOptions },
        });
        return toChatResult(response, {
          provider,
          model: request.model,
          latencyMs: clock.now() - started,
          rateLimit: parseOpenAIRateLimit(headersOf(seen, response.sdkHttpResponse?.headers)),
        });
      } catch (error) {
        throw normaliseGoogleError(error, scope, clock.now(), seen.headers);
      } finally {
        control.dispose();
      }
    },

    async *stream(request, call): AsyncIterable<ChatChunk> {
      const control = createCallControl(call, clock);
      const scope = { ...scopeOf(request, call), control };
      const mapper = new GoogleStreamMapper();
      const { seen, httpOptions } = perCall();
      let finished = false;
      let sdkHeaders: HeaderSource;
      try {
        const parameters = toGenerateContentParameters(request);
        const chunks = await clientFor(call).models.generateContentStream({
          ...parameters,
          config: { ...parameters.config, abortSignal: control.signal, httpOptions },
        });
        for await (const chunk of chunks) {
          control.touch();
          sdkHeaders ??= chunk.sdkHttpResponse?.headers;
          for (const out of mapper.map(chunk)) yield out;
        }
        if (control.callerAborted() || control.timedOut()) throw control.signal.reason;
        const finishReason = mapper.finish;
        if (finishReason === undefined) {
          throw toProviderError(
            { category: 'unavailable', message: 'stream ended before a finishReason', cause: undefined },
            scope,
          );
        }
        finished = true;
        const rateLimit = parseOpenAIRateLimit(headersOf(seen, sdkHeaders));
        yield {
          type: 'finish',
          finishReason,
          usage: mapper.usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
          provider,
          model: mapper.model ?? request.model,
          ...(rateLimit ? { rateLimit } : {}),
          ...(mapper.id ? { providerRequestId: mapper.id } : {}),
        };
      } catch (error) {
        throw normaliseGoogleError(error, scope, clock.now(), seen.headers);
      } finally {
        if (!finished) control.abort();
        control.dispose();
      }
    },
  };
}
