import type { ChatChunkV1, ChatResultV1, ProviderChatRequestV1 } from '../chat.js';
import type { EmbedResult, ProviderEmbedRequest } from '../embeddings.js';
import type { Secret } from '../secret.js';

/** Per-call settings an adapter receives with each request. */
export interface ProviderCallV1 {
  /** The key to use; call `reveal()` only where the SDK client is built. */
  apiKey: Secret;
  /** The key's id, for errors and events (never the secret). */
  keyId?: string;
  /** Aborts the HTTP request itself. */
  signal?: AbortSignal;
  /** Per-attempt timeout in milliseconds. */
  timeoutMs?: number;
  /**
   * Whether a retry wrapper may retry a rate-limited error on this same key. The gateway
   * sets false: it moves to another key instead and lets the pool cool this one down.
   * @default true
   */
  retryRateLimits?: boolean;
}
/** The current version of {@link ProviderCallV1}. */
export type ProviderCall = ProviderCallV1;

/**
 * A provider behind one interface. Implementations throw only normalised
 * `ProviderError`s (and `AbortedError` when the signal fires).
 *
 * Conformance: `@forge1/adapters/testing` runs the contract against an adapter.
 */
export interface ProviderAdapterV1 {
  readonly specificationVersion: 'v1';
  /** Provider name as used in the catalog and key pool (`openai`, `anthropic`, `deepseek`, …). */
  readonly provider: string;
  /** One request, answered whole. */
  chat(request: ProviderChatRequestV1, call: ProviderCallV1): Promise<ChatResultV1>;
  /** Yields chunks and ends with one `finish` chunk carrying the final usage. */
  stream(request: ProviderChatRequestV1, call: ProviderCallV1): AsyncIterable<ChatChunkV1>;
  /**
   * Optional. Embeds texts with an embedding model; one vector per input, in order. An adapter
   * without it cannot serve embedding models.
   */
  embed?(request: ProviderEmbedRequest, call: ProviderCallV1): Promise<EmbedResult>;
  /** Releases clients and sockets. */
  close?(): Promise<void>;
}
