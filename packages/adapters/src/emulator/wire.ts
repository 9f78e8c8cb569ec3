import type { IncomingHttpHeaders } from 'node:http';
import type { Answer } from './answers.js';
import type { EmulatorProvider } from './emulator-options.js';
import type { EmulatorRequest } from './emulator-request.js';
import type { RateLimitState } from './rate-limiter.js';

/** An error answer: status, JSON body and extra headers. */
export interface WireError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** One SSE event, already framed, and how many answer characters it carries. */
export interface StreamFrame {
  data: string;
  outputChars: number;
}

/** Per-response facts the wire formats need. */
export interface ResponseContext {
  requestId: string;
  /** Epoch milliseconds on the emulator's clock. */
  now: number;
  inputTokens: number;
  /** Part of `inputTokens` read from the prompt cache. */
  cachedInputTokens: number;
  /** Part of `inputTokens` written to the prompt cache (Anthropic breakpoints). */
  cacheWriteInputTokens: number;
  /** Lifetime of the cache write. */
  cacheTtl: '5m' | '1h';
  rateLimit: RateLimitState;
  windowMs: number;
}

/** A 429 from the key's own limits. */
export interface RateLimitRefusal {
  kind: 'requests' | 'tokens';
  limit: number;
  used: number;
  requested: number;
  /** Milliseconds until the request fits; Infinity when it never will. */
  retryAfterMs: number;
}

/** Which route a request hit. */
export interface RouteMatch {
  provider: EmulatorProvider;
  /** False for an unknown route of that provider. */
  known: boolean;
  /** Google's model comes from the path. */
  model?: string;
  /** Google's stream comes from the path. */
  stream?: boolean;
  /** Google streams are SSE only with `alt=sse`; otherwise a JSON array. */
  sse?: boolean;
  /** An embeddings endpoint (OpenAI `/v1/embeddings`, Gemini `:embedContent`). */
  embed?: boolean;
  /** Gemini `:batchEmbedContents`. */
  batch?: boolean;
}

/** One provider's wire format: request parsing, answers, errors and headers. */
export interface ProviderWire {
  provider: EmulatorProvider;
  readKey(headers: IncomingHttpHeaders, url: URL): string | undefined;
  /** The request, or the provider's 400 for a malformed one. */
  parse(body: unknown, route: RouteMatch): EmulatorRequest | WireError;
  /** Headers of every response: request id and rate-limit headers. */
  headers(context: Pick<ResponseContext, 'requestId' | 'now' | 'rateLimit'>): Record<string, string>;
  missingKey(): WireError;
  invalidKey(): WireError;
  notFound(method: string, path: string): WireError;
  invalidJson(): WireError;
  contextLength(request: EmulatorRequest, inputTokens: number, contextWindow: number): WireError;
  rateLimited(
    refusal: RateLimitRefusal,
    request: Pick<EmulatorRequest, 'model'>,
    context: ResponseContext,
  ): WireError;
  faultStatus(
    status: number,
    request: Pick<EmulatorRequest, 'model'>,
    retryAfterSeconds: number | undefined,
  ): WireError;
  body(answer: Answer, request: EmulatorRequest, context: ResponseContext): unknown;
  stream(answer: Answer, request: EmulatorRequest, context: ResponseContext): StreamFrame[];
  /** The error body as sent, with the request id where the provider puts one in it. */
  errorBody(error: WireError, requestId: string): unknown;
  /** The in-stream error event for a mid-stream fault with this status. */
  streamError(status: number): string;
}
