import type { ProviderAnswerV1, Usage } from './chat.js';

/** An embeddings request, provider-neutral: one vector per input string. */
export interface EmbedRequest {
  /** The texts to embed, in order. */
  input: string[];
  /** A model the caller prefers (an embedding model of the catalog). */
  model?: string;
  /** Length of each vector, for models that can shorten it (OpenAI `dimensions`, Gemini `outputDimensionality`). */
  dimensions?: number;
  /** Free-form labels carried into events and usage records. */
  metadata?: Record<string, string>;
}

/** An embeddings request bound to one concrete model, as an adapter receives it. */
export interface ProviderEmbedRequest extends EmbedRequest {
  model: string;
}

/** The outcome of one embeddings call. */
export interface EmbedResult extends ProviderAnswerV1 {
  /** One vector per input, in the order of `input`. */
  embeddings: number[][];
  /** Input tokens only; output and cache counts are 0. */
  usage: Usage;
}
