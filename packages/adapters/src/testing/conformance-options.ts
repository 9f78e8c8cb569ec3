import type { Clock, ProviderAdapterV1 } from '@forge1/core';

/** What the conformance kit hands to `create`. */
export interface ConformanceTarget {
  /** Base URL of the emulator for the adapter's wire format (OpenAI's includes `/v1`). */
  baseURL: string;
  /** Base URLs of all three wire formats. */
  urls: { openai: string; anthropic: string; google: string };
  /** Pass it to the adapter (`clock` option) so that timeouts run on the kit's fake time. */
  clock: Clock;
}

/** The cases of the adapter contract; any may be skipped with a reason. */
export type ConformanceCase =
  | 'text'
  | 'rate-limit-headers'
  | 'tools'
  | 'tool-results'
  | 'json'
  | 'stream'
  | 'stream-tools'
  | 'auth-error'
  | 'rate-limited'
  | 'rate-limited-retry-after'
  | 'unavailable'
  | 'overloaded'
  | 'context-length'
  | 'malformed'
  | 'dropped'
  | 'mid-stream-error'
  | 'timeout'
  | 'abort-before'
  | 'abort-mid-stream'
  | 'retry-after-honoured'
  | 'multimodal'
  | 'reasoning'
  | 'caching'
  | 'embedding';

/** Options of {@link runAdapterConformance}. */
export interface AdapterConformanceOptions {
  /** Name of the suite in the test report. */
  name: string;
  /** Wire format the adapter speaks. */
  provider: 'openai' | 'anthropic' | 'google';
  /** Builds the adapter under test, pointed at the emulator. */
  create: (target: ConformanceTarget) => ProviderAdapterV1;
  /** Provider name the adapter must report. @default `provider` */
  providerName?: string;
  /** Model to ask for. @default a model of the wire format's provider in core's catalog */
  model?: string;
  /** Embedding model to ask for. @default `text-embedding-3-small` (openai), `gemini-embedding-001` (google) */
  embeddingModel?: string;
  /** Cases to skip, each with the reason printed in the report. */
  skip?: Partial<Record<ConformanceCase, string>>;
}
